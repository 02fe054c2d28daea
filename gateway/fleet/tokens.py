"""Upstream logins' tokens shared by the fleet: one Club Med token and one CareCloud login
for every replica, renewed by one of them (adapters/upstream/credentials.py `TokenStore`).

A token is stored as JSON under `<prefix>:token:<name>` (the name is a digest of the
login's identity), with a TTL that ends when the token does (at most a day when the back
end gave no expiry). Renewal holds the fleet's lock of the name (`RedisLocks`), so one
replica logs in while the others wait and then take its token. While Redis is down, fetch
finds nothing and store keeps nothing: each process logs in for itself, as before.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from datetime import UTC, datetime
from typing import Final

import orjson
from redis.asyncio import Redis

from adapters.locks import LockBusy
from adapters.upstream import StoredToken
from gateway.fleet.locks import RedisLocks
from gateway.fleet.shared import SharedRedis

__all__ = ["RedisTokenStore"]

# The TTL of a token the back end gave no expiry: a day, then the next process logs in.
_NO_EXPIRY_TTL_MS: Final = 24 * 3600 * 1000


class RedisTokenStore:
    """The `TokenStore` of a fleet with Redis."""

    def __init__(self, shared: SharedRedis, locks: RedisLocks) -> None:
        self.shared = shared
        self.locks = locks

    async def fetch(self, name: str) -> StoredToken | None:
        async def shared(client: Redis) -> StoredToken | None:
            raw = await client.get(self.shared.key("token", name))
            return None if raw is None else _decode(raw)

        async def local() -> StoredToken | None:
            return None

        return await self.shared.call("token fetch", shared, local)

    async def store(self, name: str, token: StoredToken) -> None:
        value, expires_at = token
        if expires_at is None:
            ttl_ms = _NO_EXPIRY_TTL_MS
        else:
            ttl_ms = int((expires_at - datetime.now(UTC)).total_seconds() * 1000)
            if ttl_ms <= 0:
                return
        body = orjson.dumps(
            {"token": value, "expires_at": None if expires_at is None else expires_at.isoformat()}
        )

        async def shared(client: Redis) -> None:
            await client.set(self.shared.key("token", name), body, px=ttl_ms)

        async def local() -> None:
            return None

        await self.shared.call("token store", shared, local)

    @asynccontextmanager
    async def renewal(self, name: str) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            # When the replica logging in is slow, log in too rather than wait longer.
            with suppress(LockBusy):
                await stack.enter_async_context(self.locks.hold(f"token:{name}"))
            yield


def _decode(raw: bytes | str) -> StoredToken | None:
    """A stored token, or None for anything unreadable (it is then logged in for again)."""
    try:
        stored = orjson.loads(raw)
        token, expires = stored["token"], stored["expires_at"]
        if not isinstance(token, str) or not token:
            return None
        return token, None if expires is None else datetime.fromisoformat(expires)
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None
