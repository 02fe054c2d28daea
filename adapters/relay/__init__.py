"""Relay Network customer data (CDM) API: `adapter.RelayAdapter` over `client`, `auth` and
`mapping`; `SPEC`, how the gateway configures and builds it. Its simulator is
`sandboxes/relay/`, which imports none of them.
"""

from adapters.relay.adapter import SPEC, RelayAdapter
from adapters.relay.client import RelayClient, RelaySettings

__all__ = ["SPEC", "RelayAdapter", "RelayClient", "RelaySettings"]
