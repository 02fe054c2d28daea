"""The verify actions' limit of wrong secrets per login value, counted by the whole fleet.

The same `FailureLimit` as gateway/ratelimit.py, kept in a Redis sorted set per key: one
member per attempt, scored by Redis' own clock (so replicas with skewed clocks agree),
trimmed to the window and bounded by a TTL of one window. Reserve and check are one script,
so attempts at once on several replicas still get exactly `max_failures` tries. While Redis
is down, the in-process limit counts (per worker, as before issue 17).
"""

from __future__ import annotations

import secrets
from typing import Final

from redis.asyncio import Redis

from gateway.fleet.shared import SharedRedis
from gateway.ratelimit import InProcessFailureLimit, Reservation

__all__ = ["RedisFailureLimit"]

# KEYS[1]: the login's set; ARGV: max, window ms, member. -> {1, 0} reserved, or {0, ms to wait}.
_ACQUIRE: Final = """
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return {0, tonumber(oldest[2]) + window - ms}
end
redis.call('ZADD', KEYS[1], ms, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {1, 0}
"""


class RedisFailureLimit:
    """At most `max_failures` attempts per key in any `window_seconds`, across the fleet."""

    def __init__(self, shared: SharedRedis, local: InProcessFailureLimit) -> None:
        self.shared = shared
        self.local = local
        self._acquire = shared.client.register_script(_ACQUIRE)

    async def acquire(self, key: str) -> Reservation | float:
        reservation = secrets.randbits(62)  # this attempt's member of the sorted set

        async def shared(client: Redis) -> Reservation | float:
            reserved, wait_ms = await self._acquire(
                keys=[self.shared.key("verify", key)],
                args=[
                    self.local.max_failures,
                    int(self.local.window_seconds * 1000),
                    reservation,
                ],
            )
            return reservation if reserved else max(int(wait_ms), 1) / 1000

        return await self.shared.call("verify limit", shared, lambda: self.local.acquire(key))

    async def forgive(self, key: str, reservation: Reservation) -> None:
        async def shared(client: Redis) -> None:
            await client.zrem(self.shared.key("verify", key), str(reservation))

        await self.shared.call("verify limit", shared, lambda: self.local.forgive(key, reservation))
