"""Identity resolution: which records of the three back ends are one person.

Normalise, search, compare, cluster and merge, with stewards' decisions and person ids kept
in a `LinkStore` (built in the lifespan: the `SQLiteLinkStore` creates its file; a fleet's
is `gateway.fleet.links.RedisLinkStore`).
Imports nothing of the gateway, and of the adapters only their model.
"""

from gateway.identity import normalise
from gateway.identity.links import (
    Decision,
    Decisions,
    LinkStore,
    LinkStoreUnavailable,
    SQLiteLinkStore,
    minted_person_id,
)
from gateway.identity.match import Evidence, Match, Matcher, Rule
from gateway.identity.merge import Conflict, Merged, MergePolicy, Sourced, WinBy, conflicts, merge
from gateway.identity.names import NameFrequencies, nickname_group
from gateway.identity.person import Linked, Member, Person, cluster, resolve
from gateway.identity.records import Comparable, RecordKey, comparable
from gateway.identity.search import candidate_filters

__all__ = [
    "Comparable",
    "Conflict",
    "Decision",
    "Decisions",
    "Evidence",
    "LinkStore",
    "LinkStoreUnavailable",
    "Linked",
    "Match",
    "Matcher",
    "Member",
    "MergePolicy",
    "Merged",
    "NameFrequencies",
    "Person",
    "RecordKey",
    "Rule",
    "SQLiteLinkStore",
    "Sourced",
    "WinBy",
    "candidate_filters",
    "cluster",
    "comparable",
    "conflicts",
    "merge",
    "minted_person_id",
    "nickname_group",
    "normalise",
    "resolve",
]
