"""Relay Network customer data (CDM) API: `adapter.RelayAdapter` over `client`, `auth` and
`mapping`. Its simulator is `sandboxes/relay/`, which imports none of them.
"""

from adapters.relay.adapter import RelayAdapter
from adapters.relay.client import RelayClient, RelaySettings

__all__ = ["RelayAdapter", "RelayClient", "RelaySettings"]
