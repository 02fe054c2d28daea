"""The fleet's shared state against a real redis-server: locks, limits, counters, tokens, and
what happens when Redis goes away (tests/redis_server.py)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.locks import HostLocks, LockBusy
from adapters.upstream import BearerLogin
from gateway.fleet.counters import RedisWindowCounter
from gateway.fleet.failures import RedisFailureLimit
from gateway.fleet.locks import RedisLocks
from gateway.fleet.shared import SharedRedis, open_shared_redis
from gateway.fleet.tokens import RedisTokenStore
from gateway.ratelimit import InProcessFailureLimit, InProcessWindowCounter
from tests.redis_server import PASSWORD, RedisServer

pytestmark = pytest.mark.anyio


def connect(server: RedisServer, password: str | None = PASSWORD) -> SharedRedis:
    return open_shared_redis(server.url, password=password, prefix="test", timeout=0.5)


@pytest.fixture
async def shared(redis_db: RedisServer) -> AsyncIterator[SharedRedis]:
    client = connect(redis_db)
    yield client
    await client.aclose()


def replica_locks(shared: SharedRedis, directory: Path, wait: float = 2.0) -> RedisLocks:
    """Locks as one replica on its own host holds them (its own lock directory)."""
    return RedisLocks(shared, HostLocks(directory, wait_seconds=wait), lease_seconds=30)


async def test_a_record_lock_is_held_by_one_replica_at_a_time(
    redis_db: RedisServer, tmp_path: Path
) -> None:
    # Two replicas: separate clients and separate host lock directories, so only Redis
    # can keep them apart.
    first, second = connect(redis_db), connect(redis_db)
    a, b = replica_locks(first, tmp_path / "a"), replica_locks(second, tmp_path / "b")
    inside = 0
    most = 0

    async def write(locks: RedisLocks) -> None:
        nonlocal inside, most
        async with locks.hold("carecloud:42"):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.02)
            inside -= 1

    await asyncio.gather(*(write(locks) for locks in (a, b) * 5))
    assert most == 1
    await first.aclose()
    await second.aclose()


async def test_a_lock_busy_past_the_wait_is_lockbusy_and_other_records_are_free(
    shared: SharedRedis, tmp_path: Path
) -> None:
    holder = replica_locks(shared, tmp_path / "a")
    waiter = replica_locks(shared, tmp_path / "b", wait=0.2)
    async with holder.hold("carecloud:1"):
        with pytest.raises(LockBusy):
            async with waiter.hold("carecloud:1"):
                pass
        async with waiter.hold("carecloud:2"):
            pass


async def test_a_dead_replicas_lock_expires_with_its_lease(
    shared: SharedRedis, tmp_path: Path
) -> None:
    # A replica that died holding the lock: its key stays until the lease ends.
    dead = RedisLocks(shared, HostLocks(tmp_path / "a"), lease_seconds=0.3)
    holding = dead.hold("carecloud:7")
    await holding.__aenter__()  # never released: the process "died"
    alive = replica_locks(shared, tmp_path / "b", wait=2.0)
    started = asyncio.get_running_loop().time()
    async with alive.hold("carecloud:7"):
        waited = asyncio.get_running_loop().time() - started
    assert 0.1 < waited < 2.0


async def test_a_released_lock_never_frees_the_next_holders_lock(
    shared: SharedRedis, tmp_path: Path
) -> None:
    # The first holder's lease runs out while it still works; the second takes the lock;
    # the first's release must not delete the second's key.
    slow = RedisLocks(shared, HostLocks(tmp_path / "a"), lease_seconds=0.1)
    fast = replica_locks(shared, tmp_path / "b")
    pattern = f"{shared.prefix}:lock:*"
    async with slow.hold("carecloud:9"):
        await asyncio.sleep(0.2)  # the slow holder's lease ran out
        second = fast.hold("carecloud:9")
        await second.__aenter__()
    assert len(await shared.client.keys(pattern)) == 1  # still the fast holder's
    await second.__aexit__(None, None, None)
    assert await shared.client.keys(pattern) == []


async def test_wrong_secret_attempts_are_counted_once_for_the_fleet(
    redis_db: RedisServer,
) -> None:
    first, second = connect(redis_db), connect(redis_db)
    limits = [RedisFailureLimit(s, InProcessFailureLimit(3, 60.0)) for s in (first, second)]
    answers = await asyncio.gather(*(limits[n % 2].acquire("login-digest") for n in range(10)))
    reserved = [a for a in answers if isinstance(a, int)]
    assert len(reserved) == 3
    assert all(isinstance(a, float) and 0 < a <= 60 for a in answers if not isinstance(a, int))
    # A forgiven attempt frees its place for the whole fleet.
    await limits[0].forgive("login-digest", reserved[0])
    assert isinstance(await limits[1].acquire("login-digest"), int)
    assert isinstance(await limits[1].acquire("login-digest"), float)
    await first.aclose()
    await second.aclose()


async def test_window_counts_add_up_across_replicas(redis_db: RedisServer) -> None:
    first, second = connect(redis_db), connect(redis_db)
    counters = [RedisWindowCounter(s, InProcessWindowCounter()) for s in (first, second)]
    counts = [await counters[n % 2].hit("caller", 60.0) for n in range(7)]
    assert [c.hits for c in counts] == [1, 2, 3, 4, 5, 6, 7]
    assert all(0 < c.reset_seconds <= 60 for c in counts)
    await first.aclose()
    await second.aclose()


async def test_one_login_for_the_fleet(redis_db: RedisServer, tmp_path: Path) -> None:
    logins = 0
    expires = datetime.now(UTC) + timedelta(hours=1)

    async def log_in() -> tuple[str, datetime | None]:
        nonlocal logins
        logins += 1
        await asyncio.sleep(0.05)
        return f"token-{logins}", expires

    replicas = []
    for name in ("a", "b", "c"):
        shared = connect(redis_db)
        store = RedisTokenStore(shared, replica_locks(shared, tmp_path / name))
        replicas.append(
            (shared, BearerLogin(log_in, refresh_margin_seconds=60, store=store, name="n"))
        )
    headers = await asyncio.gather(*(login.headers() for _, login in replicas for _ in range(3)))
    assert logins == 1
    assert {h["authorization"] for h in headers} == {"Bearer token-1"}
    # A 401 on one replica renews once, and the others take the new token on their 401.
    renewed = await asyncio.gather(
        *(login.renewed({"authorization": "Bearer token-1"}) for _, login in replicas)
    )
    assert logins == 2
    assert {r["authorization"] for r in renewed if r} == {"Bearer token-2"}
    for shared, _ in replicas:
        await shared.aclose()


async def test_redis_gone_mid_test_falls_back_with_one_warning(
    redis_db: RedisServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shared = connect(redis_db)
    counter = RedisWindowCounter(shared, InProcessWindowCounter())
    locks = replica_locks(shared, tmp_path / "a")
    assert (await counter.hit("caller", 60)).hits == 1
    redis_db.stop()
    with caplog.at_level(logging.WARNING, logger="gateway.fleet"):
        counts = [await counter.hit("caller", 60) for _ in range(3)]
        async with locks.hold("carecloud:3"):  # the host's lock alone
            pass
    assert [c.hits for c in counts] == [1, 2, 3]  # this process's own window
    warnings = [r for r in caplog.records if r.name == "gateway.fleet"]
    assert len(warnings) == 1 and "redis unavailable" in warnings[0].getMessage()
    assert not shared.up
    await shared.aclose()


async def test_a_wrong_password_is_refused_and_falls_back(redis_db: RedisServer) -> None:
    shared = connect(redis_db, password="not-the-password")
    counter = RedisWindowCounter(shared, InProcessWindowCounter())
    assert (await counter.hit("caller", 60)).hits == 1
    assert not shared.up
    await shared.aclose()
