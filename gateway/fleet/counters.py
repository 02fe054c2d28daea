"""Callers' request counts per fixed window, shared by the fleet (gateway/ratelimit.py's
`WindowCounter`, in Redis): `INCR` and, on a window's first request, `PEXPIRE`, in one
script, so every replica counts into the same window. While Redis is down, each process
counts its own requests (a caller then gets up to one limit per process)."""

from __future__ import annotations

from typing import Final

from redis.asyncio import Redis

from gateway.fleet.shared import SharedRedis
from gateway.ratelimit import Count, InProcessWindowCounter

__all__ = ["RedisWindowCounter"]

# KEYS[1]: the window's counter; ARGV[1]: its length in ms. -> {hits, ms left}
_HIT: Final = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    left = tonumber(ARGV[1])
end
return {hits, left}
"""


class RedisWindowCounter:
    def __init__(self, shared: SharedRedis, local: InProcessWindowCounter) -> None:
        self.shared = shared
        self.local = local
        self._hit = shared.client.register_script(_HIT)

    async def hit(self, key: str, window_seconds: float) -> Count:
        async def shared(client: Redis) -> Count:
            hits, left_ms = await self._hit(
                keys=[self.shared.key("rate", key)], args=[int(window_seconds * 1000)]
            )
            return Count(int(hits), int(left_ms) / 1000)

        return await self.shared.call(
            "rate limit", shared, lambda: self.local.hit(key, window_seconds)
        )
