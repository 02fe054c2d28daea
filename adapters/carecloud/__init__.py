"""CareCloud CRM (Enterprise REST API): `adapter.CareCloudAdapter` over `client`, `auth`,
`mapping`, `loyalty` and `statuses`. Its simulator is `sandboxes/carecloud/`, which imports
none of them.
"""

from adapters.carecloud.adapter import CareCloudAdapter
from adapters.carecloud.client import CareCloudClient, CareCloudSettings

__all__ = ["CareCloudAdapter", "CareCloudClient", "CareCloudSettings"]
