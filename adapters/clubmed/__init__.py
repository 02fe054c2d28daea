"""Club Med API: `adapter.ClubMedAdapter` over `client`, `mapping`, `travel` and `filter`
(CONTRACT.md is the API as both sides speak it); `SPEC`, how the gateway configures and builds
it. Its simulator is `sandboxes/clubmed/`, which imports none of them.
"""

from adapters.clubmed.adapter import SPEC, ClubMedAdapter
from adapters.clubmed.client import ClubMedClient, ClubMedSettings

__all__ = ["SPEC", "ClubMedAdapter", "ClubMedClient", "ClubMedSettings"]
