"""The Redis link store's own tests (gateway/fleet/links.py), on a real redis-server: its
keys, two replicas racing, and Redis gone or full. The rules it shares with the SQLite store
are tested against both in tests/gateway/identity/test_links.py."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import redis

from adapters.model import Backend
from gateway.fleet.links import RedisLinkStore
from gateway.fleet.shared import digest
from gateway.identity import (
    Decision,
    LinkStoreUnavailable,
    RecordKey,
    SQLiteLinkStore,
)
from tests.gateway.identity.conftest import connect
from tests.redis_server import PASSWORD, RedisServer

pytestmark = pytest.mark.anyio

PREFIX = "test-links"
CLUBMED = [RecordKey(Backend.CLUBMED, f"2000{n}") for n in range(4)]
CARECLOUD = [RecordKey(Backend.CARECLOUD, f"cc-{n}") for n in range(4)]
RELAY = [RecordKey(Backend.RELAY, f"RLY-{n:07d}") for n in range(4)]


@pytest.fixture
async def replicas(redis_db: RedisServer) -> AsyncIterator[tuple[RedisLinkStore, RedisLinkStore]]:
    """Two replicas of one fleet: a client each, one Redis, one prefix."""
    first, second = connect(redis_db, PREFIX), connect(redis_db, PREFIX)
    yield RedisLinkStore(first), RedisLinkStore(second)
    await first.aclose()
    await second.aclose()


def direct(server: RedisServer) -> redis.Redis:
    return redis.Redis(port=server.port, password=PASSWORD, decode_responses=True)


async def test_the_keys_name_no_record_and_never_expire(
    replicas: tuple[RedisLinkStore, RedisLinkStore], redis_db: RedisServer
) -> None:
    store, _ = replicas
    a, b = CLUBMED[0], RELAY[0]
    await store.link(a, b)
    person = await store.assign_person([a, b])
    with direct(redis_db) as client:
        keys = set(client.keys("*"))
        assert all(k.startswith(f"{PREFIX}:identity:") for k in keys)
        assert not any(key.native_id in k for k in keys for key in (a, b))  # digests only
        assert f"{PREFIX}:identity:members:{person}" in keys
        assert {k for k in keys if ":decisions:" in k} == {
            f"{PREFIX}:identity:decisions:{digest(str(key))}" for key in (a, b)
        }
        assert {client.ttl(k) for k in keys} == {-1}  # durable: no TTL
        assignments = client.hgetall(f"{PREFIX}:identity:assignments")
        assert {k: v.partition(":")[0] for k, v in assignments.items()} == {
            str(a): person,
            str(b): person,
        }


# Overlapping clusters, as replicas resolving neighbouring persons ask for them.
ROUNDS: Sequence[Sequence[Sequence[RecordKey]]] = (
    ([CLUBMED[0], CARECLOUD[0]], [CARECLOUD[0], RELAY[0]], [RELAY[0], CLUBMED[1]], [CLUBMED[0]]),
    ([CLUBMED[0], CARECLOUD[0], RELAY[0]], [CLUBMED[1]], [CARECLOUD[0]], [RELAY[0], CLUBMED[1]]),
    ([CARECLOUD[1], CLUBMED[1]], [CLUBMED[0], CLUBMED[1]], [RELAY[0], CARECLOUD[1]], [RELAY[0]]),
)


def sqlite_state(path: Path) -> tuple[Any, ...]:
    """Who holds each record, the records in assignment order, the aliases."""
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT record, person FROM assignment ORDER BY seq").fetchall()
        aliases = dict(db.execute("SELECT person, now FROM alias").fetchall())
    return dict(rows), [record for record, _ in rows], aliases


def redis_state(server: RedisServer) -> tuple[Any, ...]:
    """The same, read from Redis, once its members' sets are checked against it."""
    with direct(server) as client:
        stored = client.hgetall(f"{PREFIX}:identity:assignments")
        held = {record: value.rpartition(":") for record, value in stored.items()}
        by_person: dict[str, set[str]] = {}
        for record, (person, _, _) in held.items():
            by_person.setdefault(person, set()).add(record)
        sets = client.keys(f"{PREFIX}:identity:members:*")
        assert {s.rpartition(":")[2]: client.smembers(s) for s in sets} == by_person
        aliases = client.hgetall(f"{PREFIX}:identity:aliases")
    order = sorted(held, key=lambda record: int(held[record][2]))
    return {r: held[r][0] for r in held}, order, aliases


async def serially(
    path: Path, history: Sequence[Sequence[RecordKey]]
) -> tuple[list[str], tuple[Any, ...]]:
    """The ids the SQLite store answers, one call after another, and its state then."""
    store = SQLiteLinkStore(path)
    answers = [await store.assign_person(cluster) for cluster in history]
    return answers, sqlite_state(path)


async def test_two_replicas_racing_end_as_the_sqlite_store_does_in_some_order(
    replicas: tuple[RedisLinkStore, RedisLinkStore], redis_db: RedisServer, tmp_path: Path
) -> None:
    history: list[Sequence[RecordKey]] = []
    runs = itertools.count()
    for race in ROUNDS:
        answers = await asyncio.gather(
            *(replicas[n % 2].assign_person(cluster) for n, cluster in enumerate(race))
        )
        raced = (list(answers), redis_state(redis_db))
        for order in itertools.permutations(range(len(race))):
            serial = [race[i] for i in order]
            ids, state = await serially(tmp_path / f"{next(runs)}.sqlite", [*history, *serial])
            if (ids[len(history) :], state) == ([answers[i] for i in order], raced[1]):
                history.extend(serial)
                break
        else:
            pytest.fail(f"no serial order of {race} gives {raced}")


async def test_decisions_raced_from_two_replicas_agree_on_both_sides(
    replicas: tuple[RedisLinkStore, RedisLinkStore], redis_db: RedisServer
) -> None:
    a, b, c = CLUBMED[0], CARECLOUD[0], RELAY[0]
    one, two = replicas
    for _ in range(20):
        await asyncio.gather(one.link(a, b), two.split(a, [b, c]), one.link(c, a), two.unlink(b, a))
        seen = [await store.decisions([key]) for store in replicas for key in (a, b, c)]
        for pair in (frozenset((a, b)), frozenset((a, c))):
            assert len({d.pairs[pair] for d in seen if pair in d.pairs}) == 1
    with direct(redis_db) as client:
        sides = [
            client.hgetall(f"{PREFIX}:identity:decisions:{digest(str(key))}") for key in (a, b, c)
        ]
    assert sides[0][str(b)] == sides[1][str(a)] and sides[0][str(c)] == sides[2][str(a)]


async def test_redis_gone_every_call_is_unavailable(
    replicas: tuple[RedisLinkStore, RedisLinkStore], redis_db: RedisServer
) -> None:
    store, other = replicas
    a, b = CLUBMED[0], RELAY[0]
    person = await store.assign_person([a])
    redis_db.stop()
    calls: list[Any] = [
        store.link(a, b),
        store.unlink(a, b),
        store.split(a, [b]),
        store.decisions([a]),
        store.assign_person([a, b]),
        store.person_of(a),
        store.members(person),
    ]
    for call in calls:
        with pytest.raises(LinkStoreUnavailable):
            await call
    redis_db.start()  # empty: the tests' Redis does not persist (a fleet's must)
    await other.link(a, b)  # the other replica never saw it fail
    assert (await other.decisions([a])).between(a, b) is Decision.LINK


async def test_a_redis_out_of_memory_refuses_a_write_whole(
    replicas: tuple[RedisLinkStore, RedisLinkStore], redis_db: RedisServer
) -> None:
    store, other = replicas
    a, b, c = CLUBMED[0], CARECLOUD[0], RELAY[0]
    await store.assign_person([a, b])
    with direct(redis_db) as client:
        before = {k: client.dump(k) for k in client.keys("*")}
        client.config_set("maxmemory", 1)
        try:
            for write in (store.split(a, [b, c]), other.assign_person([a, b, c])):
                with pytest.raises(LinkStoreUnavailable):
                    await write
            assert {k: client.dump(k) for k in client.keys("*")} == before
        finally:
            client.config_set("maxmemory", 0)
    # Written once Redis has room again.
    await asyncio.sleep(store.shared.retry_seconds)  # the replicas' fall-back after an error
    await store.split(a, [b, c])
    assert (await other.decisions([c])).between(a, c) is Decision.UNLINK
