"""Identity resolution: which records of the three back ends are one person.

Normalise, compare, cluster and merge, with stewards' decisions kept in a `LinkStore`.
Imports nothing of the gateway, and of the adapters only their model.
"""

from gateway.identity import normalise
from gateway.identity.match import Evidence, Match, Matcher, Rule
from gateway.identity.names import NameFrequencies, nickname_group
from gateway.identity.records import Comparable, RecordKey, comparable

__all__ = [
    "Comparable",
    "Evidence",
    "Match",
    "Matcher",
    "NameFrequencies",
    "RecordKey",
    "Rule",
    "comparable",
    "nickname_group",
    "normalise",
]
