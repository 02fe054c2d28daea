"""What the replicas of a fleet share through Redis (GATEWAY_REDIS_URL), each feature with
its in-process form for a gateway without Redis, or while Redis does not answer.

    shared.py     the client, its key prefix, the fall-back while Redis is down
    locks.py      CareCloud's write lock per record, with a lease
    failures.py   the verify actions' wrong-secret limit per login value
    tokens.py     one upstream login per back end for the fleet
    counters.py   callers' request counts per window (gateway/ratelimit.py's limits)
    documents.py  automatic persisted queries' documents (gateway/persisted.py)
    entities.py · redis_entities.py   the entity cache of back-end reads, per back end
                  whose cache TTL is on
    links.py      stewards' decisions and person ids (GATEWAY_IDENTITY_STORE=redis): durable,
                  no in-process form (gateway/request_links.py answers while Redis is down)

`open_fleet` builds them from the settings; the app's lifespan holds the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from adapters.locks import HostLocks, RecordLocks
from adapters.model import Backend
from adapters.upstream import ResponseCache, TokenStore
from gateway.config import Settings
from gateway.fleet.counters import RedisWindowCounter
from gateway.fleet.documents import RedisDocuments
from gateway.fleet.entities import InProcessEntityCache
from gateway.fleet.failures import RedisFailureLimit
from gateway.fleet.locks import RedisLocks
from gateway.fleet.redis_entities import RedisEntityCache
from gateway.fleet.shared import SharedRedis, digest, open_shared_redis
from gateway.fleet.tokens import RedisTokenStore
from gateway.persisted import DocumentStore, InProcessDocuments
from gateway.ratelimit import (
    FailureLimit,
    InProcessFailureLimit,
    InProcessWindowCounter,
    WindowCounter,
)

__all__ = ["Fleet", "SharedRedis", "digest", "open_entity_caches", "open_fleet"]


@dataclass(frozen=True, slots=True)
class Fleet:
    """The shared state of one process: Redis-backed when configured, else in-process."""

    shared: SharedRedis | None
    locks: RecordLocks
    tokens: TokenStore | None
    verify_failures: FailureLimit
    counter: WindowCounter
    # Automatic persisted queries' documents by hash (gateway/persisted.py).
    documents: DocumentStore
    # The entity cache of each back end whose cache TTL is on (issue 17).
    caches: Mapping[Backend, ResponseCache] = field(default_factory=dict)

    async def health(self) -> str:
        """`off` without Redis, else `ok` or `unavailable` as Redis answers a PING now."""
        if self.shared is None:
            return "off"
        return "ok" if await self.shared.ping() else "unavailable"

    async def aclose(self) -> None:
        if self.shared is not None:
            await self.shared.aclose()


def open_fleet(settings: Settings, host_locks: HostLocks) -> Fleet:
    """The fleet's shared state for `settings` (no connection is made until first used)."""
    failures = InProcessFailureLimit(settings.verify_max_failures, settings.verify_window_seconds)
    counter = InProcessWindowCounter()
    documents = InProcessDocuments()
    if settings.redis_url is None:
        return Fleet(
            None,
            host_locks,
            None,
            failures,
            counter,
            documents,
            open_entity_caches(settings, None),
        )
    shared = open_shared_redis(
        settings.redis_url,
        password=settings.redis_password,
        prefix=settings.redis_prefix,
        timeout=settings.redis_timeout,
        ca_file=settings.redis_ca_file,
    )
    locks = RedisLocks(shared, host_locks, settings.write_lock_lease)
    return Fleet(
        shared,
        locks,
        RedisTokenStore(shared, locks),
        RedisFailureLimit(shared, failures),
        RedisWindowCounter(shared, counter),
        RedisDocuments(shared, documents, settings.apq_ttl_seconds),
        open_entity_caches(settings, shared),
    )


def open_entity_caches(
    settings: Settings, shared: SharedRedis | None
) -> dict[Backend, ResponseCache]:
    """The entity cache of each back end whose cache TTL is on: in Redis when the fleet has
    one, else in this process (one worker only: gateway/config.py checks)."""
    caches: dict[Backend, ResponseCache] = {}
    for backend, backend_settings in settings.backends.items():
        ttl = backend_settings.cache_ttl
        if ttl <= 0:
            continue
        if shared is None:
            caches[backend] = InProcessEntityCache(backend, ttl)
        else:
            caches[backend] = RedisEntityCache(
                shared, backend, ttl, guard_seconds=2 * settings.request_timeout
            )
    return caches
