"""Clustering from a seed, stewards' decisions over the rules, and the resolved person."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.model import Backend
from gateway.identity import (
    Decision,
    Decisions,
    Linked,
    LinkStore,
    Matcher,
    RecordKey,
    cluster,
    resolve,
)
from tests.gateway.identity.records import jan

pytestmark = pytest.mark.anyio

CLUBMED, CARECLOUD, RELAY = Backend.CLUBMED, Backend.CARECLOUD, Backend.RELAY


def test_a_record_joins_through_another_member_not_only_the_seed() -> None:
    seed = jan(CLUBMED, "1", phone=None, birthdate=None)  # shares only the e-mail with c1
    via = jan(CARECLOUD, "c1")
    far = jan(RELAY, "R1", email=None)  # shares phone, name and birthdate with c1 only
    members = cluster(seed, [far, via], Matcher())
    assert [m.key for m in members] == [RecordKey.of(r) for r in (seed, via, far)]
    assert [m.linked_by for m in members] == [Linked.SEED, Linked.RULES, Linked.RULES]
    assert all(m.match is not None and m.match.same for m in members[1:])


def test_a_hard_negative_is_kept_out_of_the_person() -> None:
    twin = jan(CARECLOUD, "c2", first_name="Petr", email="petr@example.com", phone="420777000111")
    assert len(cluster(jan(), [twin], Matcher())) == 1


def test_a_stewards_link_brings_in_what_the_rules_keep_apart() -> None:
    seed, other = jan(), jan(RELAY, "R9", first_name="Petr", email=None, phone=None)
    decisions = Decisions({frozenset((RecordKey.of(seed), RecordKey.of(other))): Decision.LINK})
    members = cluster(seed, [other], Matcher(), decisions)
    assert [m.linked_by for m in members] == [Linked.SEED, Linked.STEWARD]
    assert members[1].match is None  # the rules would not have made it


def test_a_stewards_unlink_keeps_out_what_the_rules_would_merge() -> None:
    seed, other = jan(), jan(RELAY, "R1")
    decisions = Decisions({frozenset((RecordKey.of(seed), RecordKey.of(other))): Decision.UNLINK})
    assert len(cluster(seed, [other], Matcher(), decisions)) == 1


async def test_a_resolved_person_keeps_its_id_as_records_join_and_leave(store: LinkStore) -> None:
    matcher = Matcher()
    a, b, c = jan(CLUBMED, "1"), jan(CARECLOUD, "c1"), jan(RELAY, "R1")
    first = await resolve(a, [b], matcher=matcher, store=store)
    joined = await resolve(c, [a, b], matcher=matcher, store=store)  # from another seed
    assert joined.id == first.id and len(joined.members) == 3
    await store.unlink(RecordKey.of(c), RecordKey.of(a))
    await store.unlink(RecordKey.of(c), RecordKey.of(b))
    kept = await resolve(a, [b, c], matcher=matcher, store=store)
    left = await resolve(c, [a, b], matcher=matcher, store=store)
    assert kept.id == first.id and len(kept.members) == 2
    assert left.id != first.id and len(left.members) == 1
    assert await store.members(first.id) == {RecordKey.of(a), RecordKey.of(b)}


async def test_a_resolved_person_carries_values_with_sources_and_conflicts(
    store: LinkStore,
) -> None:
    a = jan(CLUBMED, "1", locale="cs-CZ")
    b = jan(CARECLOUD, "c1", birthdate=date(1984, 6, 11), middle_name="Karel")
    person = await resolve(a, [b], matcher=Matcher(), store=store)
    assert person.values.middle_name is not None
    assert person.values.middle_name.source == RecordKey(CARECLOUD, "c1")
    assert [c.field for c in person.conflicts] == ["birthdate"]


def test_a_record_clearly_apart_from_one_member_stays_out_though_it_matches_another() -> None:
    seed = jan()
    # No first name, the family phone: it joins the seed on the phone and surname.
    household = jan(
        CARECLOUD, "c1", first_name=None, email="novak.family@example.com", birthdate=None
    )
    spouse = jan(
        RELAY, "R1", first_name="Hana", email="novak.family@example.com", birthdate=date(1986, 2, 1)
    )
    matcher = Matcher()
    assert matcher.compare(spouse, household).same
    members = cluster(seed, [household, spouse], matcher)
    assert [m.key.native_id for m in members] == ["1", "c1"]


async def test_a_person_in_three_back_ends_is_found_whole_from_each_record(
    store: LinkStore,
) -> None:
    records = [
        jan(CLUBMED, "1", last_name="NOVAK", phone="+420 623 456 789"),
        jan(CARECLOUD, "c1", first_name="Honza", email=None),
        jan(RELAY, "R1", birthdate=None, email="Jan.Novak@example.com "),
    ]
    ids = set()
    for seed in records:
        person = await resolve(seed, records, matcher=Matcher(), store=store)
        assert {m.key for m in person.members} == {RecordKey.of(r) for r in records}
        ids.add(person.id)
    assert len(ids) == 1
