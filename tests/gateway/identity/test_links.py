"""The link stores' rules, run against each store (conftest.py: SQLite and the fleet's Redis),
and the SQLite store's own: two processes at once, no personal values.

The Redis store's own tests (its keys, two replicas racing, Redis gone) are in
tests/fleet/test_links.py.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from adapters.model import Backend
from gateway.identity import Decision, LinkStore, RecordKey, SQLiteLinkStore, minted_person_id
from tests.gateway.identity.conftest import NewStore

pytestmark = pytest.mark.anyio

A, B, C, D = (
    RecordKey(Backend.CLUBMED, "1"),
    RecordKey(Backend.CARECLOUD, "c1"),
    RecordKey(Backend.RELAY, "R1"),
    RecordKey(Backend.RELAY, "R2"),
)


async def test_the_latest_decision_on_a_pair_stands_in_either_order(store: LinkStore) -> None:
    await store.link(A, B)
    await store.unlink(B, A)
    await store.link(C, A)
    decisions = await store.decisions([A])
    assert decisions.between(A, B) is Decision.UNLINK and decisions.between(B, A) is Decision.UNLINK
    assert decisions.between(A, C) is Decision.LINK
    assert decisions.linked_to(A) == {C}
    assert (await store.decisions([D])).pairs == {}
    assert (await store.decisions([])).pairs == {}
    # Every decision touching one of the keys, from either side.
    assert set((await store.decisions([B, C])).pairs) == {frozenset((A, B)), frozenset((A, C))}


async def test_a_record_cannot_be_linked_to_itself(store: LinkStore) -> None:
    with pytest.raises(ValueError):
        await store.link(A, A)
    with pytest.raises(ValueError):
        await store.split(A, [B, A])
    assert (await store.decisions([A, B])).pairs == {}  # the split wrote none of its pairs


async def test_a_split_unlinks_the_record_from_each_of_the_others(store: LinkStore) -> None:
    await store.link(A, B)
    await store.split(A, [B, C])
    await store.split(D, [])
    decisions = await store.decisions([A])
    assert decisions.pairs == {
        frozenset((A, B)): Decision.UNLINK,
        frozenset((A, C)): Decision.UNLINK,
    }


async def test_a_new_cluster_mints_one_id_whichever_process_resolves_it(
    new_store: NewStore,
) -> None:
    one = await new_store().assign_person([B, A])
    two = await new_store().assign_person([A, B])
    # The first id of its smallest record: what a process without its store answers too.
    assert one == two == minted_person_id(str(B)) and one.startswith("p")


async def test_joining_persons_keeps_the_bigger_ones_id_and_aliases_the_other(
    store: LinkStore,
) -> None:
    big = await store.assign_person([A, B])
    small = await store.assign_person([C])
    assert await store.assign_person([A, B, C]) == big
    assert await store.members(small) == await store.members(big) == {A, B, C}
    assert await store.person_of(C) == big


async def test_an_alias_of_an_alias_still_resolves(store: LinkStore) -> None:
    first = await store.assign_person([A, B])
    second = await store.assign_person([C])
    assert await store.assign_person([A, B, C]) == first  # `second` is an alias of it
    others = [RecordKey(Backend.CLUBMED, f"x{n}") for n in range(4)]
    third = await store.assign_person(others)
    assert await store.assign_person([A, B, C, *others]) == third  # four against three
    assert await store.members(second) == await store.members(first) == {A, B, C, *others}


async def test_a_record_that_leaves_takes_a_new_id_and_the_rest_keep_theirs(
    store: LinkStore,
) -> None:
    person = await store.assign_person([A, B, C])
    # The leaver is resolved first, while the others still hold the id: it is outvoted.
    alone = await store.assign_person([B])  # B is the cluster's smallest key, its anchor
    assert alone != person and alone == minted_person_id(str(B), 1)  # attempt 0 is `person`
    assert await store.assign_person([A, C]) == person
    assert await store.members(person) == {A, C}


async def test_a_tie_goes_to_the_side_holding_the_earliest_assigned_record(
    store: LinkStore,
) -> None:
    person = await store.assign_person([A, B])  # B then A: B's key is the smaller
    assert await store.assign_person([A]) != person  # one against one, B assigned first
    assert await store.assign_person([B]) == person
    assert await store.members(person) == {B}
    assert await store.person_of(D) is None
    assert await store.members("pnosuchperson") == frozenset()


def _write(path: str, worker: int) -> None:
    async def run() -> None:
        store = SQLiteLinkStore(path, busy_timeout=30)
        for i in range(40):
            a = RecordKey(Backend.CLUBMED, f"{worker}-{i}")
            await store.link(a, RecordKey(Backend.RELAY, f"{worker}-{i}"))
            await store.assign_person([a, RecordKey(Backend.CARECLOUD, "shared")])

    asyncio.run(run())


def test_two_processes_write_at_once_and_nothing_is_lost(tmp_path: Path) -> None:
    path = str(tmp_path / "links.sqlite")
    SQLiteLinkStore(path)
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_write, args=(path, w)) for w in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM decision").fetchone() == (80,)
        assert db.execute("SELECT count(*) FROM assignment").fetchone() == (81,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


async def test_the_store_holds_ids_only(tmp_path: Path) -> None:
    path = tmp_path / "links.sqlite"
    store = SQLiteLinkStore(path)
    await store.link(A, B)
    await store.assign_person([A, B])
    with sqlite3.connect(path) as db:
        columns = {
            (table, column)
            for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            for _, column, *_ in db.execute(f"PRAGMA table_info({table})")
        }
    assert columns == {
        ("decision", "a"),
        ("decision", "b"),
        ("decision", "decision"),
        ("decision", "decided_at"),
        ("assignment", "record"),
        ("assignment", "person"),
        ("assignment", "seq"),
        ("alias", "person"),
        ("alias", "now"),
    }
