"""A person: the records that are one human, their merged values, and where they disagree.

`resolve` is the one call the GraphQL layer makes: from a seed record and the candidates
its searches found (and the records stewards linked to it), the cluster by the matcher
and the stored decisions, its stable id from the store, the merged values and conflicts.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from adapters.model import Customer
from gateway.identity.links import Decision, Decisions, LinkStore
from gateway.identity.match import Match, Matcher
from gateway.identity.merge import Conflict, Merged, MergePolicy, conflicts, merge
from gateway.identity.records import Comparable, RecordKey, comparable

__all__ = ["APART_BELOW", "Linked", "Member", "Person", "cluster", "resolve"]

# A record that matches one member still stays out when it scores below this against
# another: joining transitively let a spouse or twin in through an incomplete record (no
# first name, shared family phone). bench/identity.py's persons, seeds 42 / 7 / 1234: with
# no veto, precision .9947/.9900/.9932 and recall .9587/.9581/.9591; at 0.01: P .9971/
# .9936/.9947; at 0.05: P .9979/.9969/.9982, R .9552/.9539/.9566; at 0.2: R .9514/.9466/.9516.
APART_BELOW: Final = 0.05


class Linked(enum.StrEnum):
    """How a record came to be in the person."""

    SEED = "seed"  # the record the person was resolved from
    RULES = "rules"  # the matcher said so
    STEWARD = "steward"  # a steward linked it


@dataclass(frozen=True, slots=True)
class Member:
    """A record of the person, with why: its best match against a record already in.

    `match` is None for the seed and for a steward's link that the rules would not make.
    """

    customer: Customer
    linked_by: Linked
    match: Match | None = None

    @property
    def key(self) -> RecordKey:
        return RecordKey.of(self.customer)


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    members: tuple[Member, ...]
    values: Merged
    conflicts: tuple[Conflict, ...]


def cluster(
    seed: Customer,
    candidates: Iterable[Customer],
    matcher: Matcher,
    decisions: Decisions | None = None,
) -> tuple[Member, ...]:
    """The seed and every candidate reached from it, record by record.

    A candidate joins when a steward linked it to a member or when it matches one (so a
    record can join through another, not only through the seed); a steward's unlink from
    any member keeps it out, whatever the rules or another link say.
    """
    decided = decisions or Decisions()
    members = [Member(seed, Linked.SEED)]
    seen = {RecordKey.of(seed)}
    pool = {key: c for c in candidates if (key := RecordKey.of(c)) not in seen}
    normalised: dict[RecordKey, Comparable] = {RecordKey.of(seed): comparable(seed)}
    grew = True
    while grew and pool:
        grew = False
        for key, candidate in list(pool.items()):
            verdicts = [decided.between(key, m.key) for m in members]
            if Decision.UNLINK in verdicts:
                continue
            x = normalised.setdefault(key, comparable(candidate))
            matches = [matcher.compare(x, normalised[m.key]) for m in members]
            best = max(matches, key=lambda m: m.score)
            if Decision.LINK in verdicts:
                members.append(Member(candidate, Linked.STEWARD, best if best.same else None))
            elif best.same and min(m.score for m in matches) >= APART_BELOW:
                members.append(Member(candidate, Linked.RULES, best))
            else:
                continue
            del pool[key]
            grew = True
    return tuple(members)


async def resolve(
    seed: Customer,
    candidates: Iterable[Customer],
    *,
    matcher: Matcher,
    store: LinkStore,
    policy: MergePolicy | None = None,
    updated_at: Mapping[RecordKey, datetime] | None = None,
) -> Person:
    """The person `seed` is, from the candidates found for it; its id persisted in `store`."""
    pool = list(candidates)
    decisions = await store.decisions([RecordKey.of(c) for c in (seed, *pool)])
    members = cluster(seed, pool, matcher, decisions)
    person_id = await store.assign_person([m.key for m in members])
    records = [m.customer for m in members]
    return Person(person_id, members, merge(records, policy, updated_at), conflicts(records))
