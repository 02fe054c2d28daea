"""CareCloud's per-record write lock across the replicas of a fleet, held in Redis.

`RedisLocks.hold(key)` takes `SET <key> <token> NX PX <lease>`, retried with jittered
back-off until `wait_seconds` (then `LockBusy`), and releases with a script that deletes the
key only while it still holds this holder's token, so a holder whose lease ran out never
frees the next holder's lock. The lease (GATEWAY_WRITE_LOCK_LEASE) outlives a request's
deadline: a replica that dies holding a lock blocks its record for at most the lease.

Inside one process the turn is taken first (the host's locks, `HostLocks`), so a process's
own writers queue fairly without polling Redis. When Redis does not answer, the host's lock
alone is held and a warning says so (gateway/fleet/shared.py).
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

from redis.exceptions import RedisError

from adapters.locks import HostLocks, LockBusy
from gateway.fleet.shared import SharedRedis, digest

__all__ = ["RedisLocks"]

_FIRST_POLL_SECONDS: Final = 0.005
_MAX_POLL_SECONDS: Final = 0.05
# Deletes KEYS[1] only if it holds ARGV[1]: the holder's own token.
_RELEASE: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisLocks:
    """The host's lock, then the fleet's: a Redis key with a lease, per record."""

    def __init__(self, shared: SharedRedis, host: HostLocks, lease_seconds: float) -> None:
        self.shared = shared
        self.host = host
        self.lease_ms = int(lease_seconds * 1000)
        self._release = shared.client.register_script(_RELEASE)

    @property
    def wait_seconds(self) -> float:
        return self.host.wait_seconds

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        deadline = time.monotonic() + self.wait_seconds
        async with self.host.hold(key):
            token = await self._acquire(key, deadline)
            try:
                yield
            finally:
                if token is not None:
                    await self._free(key, token)

    async def _acquire(self, key: str, deadline: float) -> str | None:
        """This holder's token once the fleet's lock is taken; None when Redis is down."""
        if not self.shared.up:
            return None
        name = self.shared.key("lock", digest(key))
        token = secrets.token_hex(16)
        pause = _FIRST_POLL_SECONDS
        while True:
            try:
                taken = await self.shared.client.set(name, token, nx=True, px=self.lease_ms)
            except (RedisError, OSError) as error:
                self.shared.mark_down("write lock", error)
                return None
            self.shared.mark_up()
            if taken:
                return token
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LockBusy(key)
            await asyncio.sleep(min(remaining, pause * random.uniform(0.5, 1.5)))
            pause = min(pause * 2, _MAX_POLL_SECONDS)

    async def _free(self, key: str, token: str) -> None:
        try:
            await self._release(keys=[self.shared.key("lock", digest(key))], args=[token])
        except (RedisError, OSError) as error:  # the lease frees it
            self.shared.mark_down("write lock release", error)
