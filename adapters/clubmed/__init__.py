"""Club Med API: `adapter.ClubMedAdapter` over `client`, `mapping`, `travel` and `filter`
(CONTRACT.md is the API as both sides speak it). Its simulator is `sandboxes/clubmed/`,
which imports none of them.
"""

from adapters.clubmed.adapter import ClubMedAdapter
from adapters.clubmed.client import ClubMedClient, ClubMedSettings

__all__ = ["ClubMedAdapter", "ClubMedClient", "ClubMedSettings"]
