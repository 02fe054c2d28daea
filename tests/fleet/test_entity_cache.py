"""The entity cache's Redis form against a real redis-server (tests/redis_server.py): two
replicas are two `RedisEntityCache`s on two clients. What a caller sees of it over HTTP, with
two `serve` processes, is in tests/gateway/test_entity_cache_fleet.py."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence

import pytest

from adapters.errors import UpstreamError, UpstreamNotFound
from adapters.model import Backend
from adapters.upstream import Entry, fetch_one
from gateway.fleet.redis_entities import RedisEntityCache
from gateway.fleet.shared import SharedRedis, open_shared_redis
from tests.redis_server import PASSWORD, RedisServer

pytestmark = pytest.mark.anyio

PROFILE = Entry("profile", "en-US")
RECORD = "4242424242"


def connect(server: RedisServer) -> SharedRedis:
    return open_shared_redis(server.url, password=PASSWORD, prefix="test", timeout=0.5)


def replica(shared: SharedRedis, ttl: float = 60.0, guard: float = 30.0) -> RedisEntityCache:
    return RedisEntityCache(shared, Backend.CLUBMED, ttl, guard_seconds=guard)


class Upstream:
    """Counts loads; each answers the record's current version, after `delay` seconds."""

    def __init__(self, delay: float = 0.0) -> None:
        self.loads = 0
        self.delay = delay
        self.version = 1
        self.gate: asyncio.Event | None = None
        self.reached = asyncio.Event()  # a load has reached the back end

    async def load(self) -> bytes:
        self.loads += 1
        version = self.version  # what the back end answers when the request reaches it
        self.reached.set()
        if self.gate is not None:
            await self.gate.wait()
        await asyncio.sleep(self.delay)
        return b'{"version": %d}' % version


@pytest.fixture
async def replicas(redis_db: RedisServer) -> AsyncIterator[tuple[SharedRedis, SharedRedis]]:
    first, second = connect(redis_db), connect(redis_db)
    yield first, second
    await first.aclose()
    await second.aclose()


async def test_a_record_read_twice_is_loaded_once_and_kept_under_a_digest(
    replicas: tuple[SharedRedis, SharedRedis],
) -> None:
    first, second = replicas
    upstream = Upstream()
    assert await fetch_one(replica(first), RECORD, PROFILE, upstream.load) == b'{"version": 1}'
    assert await fetch_one(replica(second), RECORD, PROFILE, upstream.load) == b'{"version": 1}'
    assert upstream.loads == 1
    keys = await first.client.keys("test:entity:*")
    assert keys and all(RECORD.encode() not in key for key in keys)
    assert keys == [replica(first).keys(RECORD)[1].encode()]
    assert 0 < await first.client.pttl(keys[0]) <= 60_000


async def test_one_replica_fetches_while_the_others_wait(
    replicas: tuple[SharedRedis, SharedRedis],
) -> None:
    first, second = replicas
    caches = [replica(first), replica(second)]
    upstream = Upstream(delay=0.2)
    answers = await asyncio.gather(
        *(fetch_one(caches[n % 2], RECORD, PROFILE, upstream.load) for n in range(10))
    )
    assert upstream.loads == 1
    assert set(answers) == {b'{"version": 1}'}
    assert await first.client.keys("test:entity:*:lock:*") == []  # freed by its holder


async def test_a_read_that_started_before_a_write_keeps_nothing(
    replicas: tuple[SharedRedis, SharedRedis],
) -> None:
    first, second = replicas
    reader, writer = replica(first), replica(second)
    upstream = Upstream()
    upstream.gate = asyncio.Event()
    slow = asyncio.create_task(fetch_one(reader, RECORD, PROFILE, upstream.load))
    await upstream.reached.wait()  # the read has reached the back end: it answers version 1
    upstream.version = 2  # a write through the other replica...
    await writer.invalidate(RECORD)  # ...which invalidates before it answers
    upstream.gate.set()
    assert await slow == b'{"version": 1}'  # the slow read answers what it read,
    upstream.gate = None
    # but did not keep it: the next read, on either replica, is the write's.
    assert await fetch_one(writer, RECORD, PROFILE, upstream.load) == b'{"version": 2}'
    assert await fetch_one(reader, RECORD, PROFILE, upstream.load) == b'{"version": 2}'
    assert upstream.loads == 2


async def test_a_read_that_joins_a_fetch_after_a_write_elsewhere_gets_the_write(
    replicas: tuple[SharedRedis, SharedRedis],
) -> None:
    first, second = replicas
    reader, writer = replica(first), replica(second)
    upstream = Upstream()
    upstream.gate = asyncio.Event()
    slow = asyncio.create_task(fetch_one(reader, RECORD, PROFILE, upstream.load))
    await upstream.reached.wait()
    upstream.version = 2
    await writer.invalidate(RECORD)  # the write has answered: what is read from now on...
    late = asyncio.create_task(fetch_one(reader, RECORD, PROFILE, upstream.load))
    await asyncio.sleep(0.01)  # ...joins the slow read's fetch on its replica,
    upstream.gate.set()
    assert await slow == b'{"version": 1}'
    assert await late == b'{"version": 2}'  # which could not keep its answer: fetched again
    assert upstream.loads == 2


async def test_an_invalidation_outlives_any_read_and_every_key_expires(
    replicas: tuple[SharedRedis, SharedRedis],
) -> None:
    first, _ = replicas
    cache = replica(first, ttl=5, guard=30)
    await fetch_one(cache, RECORD, PROFILE, Upstream().load)
    await cache.invalidate(RECORD)
    generation, entries = cache.keys(RECORD)
    assert not await first.client.exists(entries)
    assert 29_000 < await first.client.pttl(generation) <= 30_000  # twice the deadline
    await fetch_one(cache, RECORD, Entry("travelers", "en-US"), Upstream().load)
    for key in await first.client.keys("*"):
        assert await first.client.pttl(key) > 0, key


async def test_errors_are_shared_by_waiting_readers_and_never_kept(
    replicas: tuple[SharedRedis, SharedRedis],
) -> None:
    first, _ = replicas
    cache = replica(first)
    loads = 0

    async def missing(records: Sequence[str]) -> dict[str, bytes | UpstreamError]:
        nonlocal loads
        loads += 1
        await asyncio.sleep(0.05)
        return {r: UpstreamNotFound(Backend.CLUBMED, "not found", status=404) for r in records}

    found = await asyncio.gather(*(cache.fetch_many([RECORD], PROFILE, missing) for _ in range(5)))
    assert loads == 1
    assert all(isinstance(f[RECORD], UpstreamNotFound) for f in found)
    assert await first.client.keys("test:entity:*") == []


async def test_redis_gone_is_bypassed_and_its_missed_invalidations_sent_on_return(
    redis_db: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    shared = SharedRedis(connect(redis_db).client, "test", retry_seconds=0.3)
    cache = replica(shared)
    upstream = Upstream()
    await fetch_one(cache, RECORD, PROFILE, upstream.load)
    with caplog.at_level(logging.WARNING, logger="gateway.fleet"):
        # Redis does not answer (a time-out, say): reads go upstream, nothing is kept...
        shared.mark_down("test", TimeoutError())
        upstream.version = 2
        await cache.invalidate(RECORD)  # ...and the write's invalidation waits its return.
        assert await fetch_one(cache, RECORD, PROFILE, upstream.load) == b'{"version": 2}'
        assert upstream.loads == 2
    assert len([r for r in caplog.records if r.name == "gateway.fleet"]) == 1
    # The version-1 entry is still in Redis, which never heard of the write...
    assert await shared.client.exists(cache.keys(RECORD)[1])
    await asyncio.sleep(0.35)
    # ...until it answers again: the missed invalidation goes first, then the read.
    assert await fetch_one(cache, RECORD, PROFILE, upstream.load) == b'{"version": 2}'
    assert upstream.loads == 3
    assert await fetch_one(cache, RECORD, PROFILE, upstream.load) == b'{"version": 2}'
    assert upstream.loads == 3
    await shared.aclose()


async def test_redis_stopped_mid_read_answers_from_the_back_end(redis_db: RedisServer) -> None:
    shared = connect(redis_db)
    cache = replica(shared)
    upstream = Upstream()
    await fetch_one(cache, RECORD, PROFILE, upstream.load)
    redis_db.stop()
    assert await fetch_one(cache, RECORD, PROFILE, upstream.load) == b'{"version": 1}'
    assert await fetch_one(cache, RECORD, PROFILE, upstream.load) == b'{"version": 1}'
    assert upstream.loads == 3  # bypassed: never served from memory
    await cache.invalidate(RECORD)  # no error: sent when Redis answers again
    await shared.aclose()
