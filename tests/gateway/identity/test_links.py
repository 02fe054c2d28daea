"""The SQLite link store: decisions, person ids, two processes at once, no personal values."""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from adapters.model import Backend
from gateway.identity import Decision, RecordKey, SQLiteLinkStore

pytestmark = pytest.mark.anyio

A, B, C, D = (
    RecordKey(Backend.CLUBMED, "1"),
    RecordKey(Backend.CARECLOUD, "c1"),
    RecordKey(Backend.RELAY, "R1"),
    RecordKey(Backend.RELAY, "R2"),
)


async def test_the_latest_decision_on_a_pair_stands_in_either_order(tmp_path: Path) -> None:
    store = SQLiteLinkStore(tmp_path / "links.sqlite")
    await store.link(A, B)
    await store.unlink(B, A)
    await store.link(C, A)
    decisions = await store.decisions([A])
    assert decisions.between(A, B) is Decision.UNLINK and decisions.between(B, A) is Decision.UNLINK
    assert decisions.between(A, C) is Decision.LINK
    assert decisions.linked_to(A) == {C}
    assert (await store.decisions([D])).pairs == {}


async def test_a_record_cannot_be_linked_to_itself(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        await SQLiteLinkStore(tmp_path / "links.sqlite").link(A, A)


async def test_a_new_cluster_mints_one_id_whichever_process_resolves_it(tmp_path: Path) -> None:
    one = await SQLiteLinkStore(tmp_path / "one.sqlite").assign_person([B, A])
    two = await SQLiteLinkStore(tmp_path / "two.sqlite").assign_person([A, B])
    assert one == two and one.startswith("p")


async def test_joining_persons_keeps_the_bigger_ones_id_and_aliases_the_other(
    tmp_path: Path,
) -> None:
    store = SQLiteLinkStore(tmp_path / "links.sqlite")
    big = await store.assign_person([A, B])
    small = await store.assign_person([C])
    assert await store.assign_person([A, B, C]) == big
    assert await store.members(small) == await store.members(big) == {A, B, C}
    assert await store.person_of(C) == big


async def test_a_record_that_leaves_takes_a_new_id_and_the_rest_keep_theirs(tmp_path: Path) -> None:
    store = SQLiteLinkStore(tmp_path / "links.sqlite")
    person = await store.assign_person([A, B, C])
    # The leaver is resolved first, while the others still hold the id: it is outvoted.
    alone = await store.assign_person([A])  # A is the cluster's smallest key, its anchor
    assert alone != person
    assert await store.assign_person([B, C]) == person
    assert await store.members(person) == {B, C}


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
