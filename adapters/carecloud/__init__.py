"""CareCloud CRM (Enterprise REST API): `adapter.CareCloudAdapter` over `client`, `auth`,
`mapping`, `loyalty` and `statuses`; `SPEC`, how the gateway configures and builds it. Its
simulator is `sandboxes/carecloud/`, which imports none of them.
"""

from adapters.carecloud.adapter import SPEC, CareCloudAdapter
from adapters.carecloud.client import CareCloudClient, CareCloudSettings

__all__ = ["SPEC", "CareCloudAdapter", "CareCloudClient", "CareCloudSettings"]
