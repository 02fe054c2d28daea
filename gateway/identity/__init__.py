"""Identity resolution: which records of the three back ends are one person.

Normalise, compare, cluster and merge, with stewards' decisions kept in a `LinkStore`.
Imports nothing of the gateway, and of the adapters only their model.
"""

from gateway.identity import normalise
from gateway.identity.links import Decision, Decisions, LinkStore, SQLiteLinkStore
from gateway.identity.match import Evidence, Match, Matcher, Rule
from gateway.identity.merge import Conflict, Merged, MergePolicy, Sourced, WinBy, conflicts, merge
from gateway.identity.names import NameFrequencies, nickname_group
from gateway.identity.person import Linked, Member, Person, cluster, resolve
from gateway.identity.records import Comparable, RecordKey, comparable

__all__ = [
    "Comparable",
    "Conflict",
    "Decision",
    "Decisions",
    "Evidence",
    "LinkStore",
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
    "cluster",
    "comparable",
    "conflicts",
    "merge",
    "nickname_group",
    "normalise",
    "resolve",
]
