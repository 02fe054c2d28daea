"""The fleet's Redis: one client per process, and what to do when it does not answer.

`SharedRedis` wraps redis-py's asyncio client with the gateway's rules:
- every key starts with GATEWAY_REDIS_PREFIX and holds no personal value (callers pass
  digests: `digest`);
- a call that fails (refused, timed out, an error reply) marks Redis down for
  `retry_seconds`: during that time every shared feature answers from its in-process
  equivalent without trying Redis, so an outage costs one time-out, not one per request;
- going down and coming back are logged once each, as a warning and an info line, never
  with a key or a value.

Each shared feature (gateway/fleet/*.py) is a pair: its Redis form and its in-process form,
and `SharedRedis.call` picks one per call.
"""

from __future__ import annotations

import hashlib
import logging
import ssl
import time
from collections.abc import Awaitable, Callable
from typing import Final, TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

__all__ = ["SharedRedis", "digest", "open_shared_redis"]

T = TypeVar("T")
logger = logging.getLogger("gateway.fleet")

# How long Redis is left alone after a failed call before the next call tries it again.
RETRY_SECONDS: Final = 5.0


def digest(*parts: str) -> str:
    """A key part that stands for personal or secret values without holding them."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


class SharedRedis:
    """A Redis client under a key prefix, with in-process fallback while Redis is down."""

    def __init__(
        self,
        client: Redis,
        prefix: str,
        *,
        retry_seconds: float = RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.retry_seconds = retry_seconds
        self._clock = clock
        self._down_until = 0.0
        self._down = False

    def __repr__(self) -> str:
        return f"{type(self).__name__}(prefix={self.prefix!r}, up={self.up})"

    def key(self, *parts: str) -> str:
        """`<prefix>:<part>:<part>...`; parts are names and digests, never personal values."""
        return ":".join((self.prefix, *parts))

    @property
    def up(self) -> bool:
        """False while a recent call failed (for `retry_seconds`)."""
        return not self._down or self._clock() >= self._down_until

    async def call(
        self,
        feature: str,
        shared: Callable[[Redis], Awaitable[T]],
        local: Callable[[], Awaitable[T]],
    ) -> T:
        """`shared(client)` when Redis answers, else `local()`; `feature` names it in logs."""
        if not self.up:
            return await local()
        try:
            result = await shared(self.client)
        except (RedisError, OSError) as error:
            self.mark_down(feature, error)
            return await local()
        self.mark_up()
        return result

    def mark_down(self, feature: str, error: BaseException) -> None:
        """Note a failed call: in-process state until `retry_seconds` have passed."""
        self._down_until = self._clock() + self.retry_seconds
        if not self._down:
            self._down = True
            logger.warning(
                "redis unavailable (%s during %s): shared state is per process until it "
                "answers again",
                type(error).__name__,
                feature,
            )

    def mark_up(self) -> None:
        if self._down:
            self._down = False
            logger.info("redis answers again: shared state is the fleet's")

    async def ping(self) -> bool:
        """True when Redis answers now (for /readyz), without changing the fallback."""
        try:
            return bool(await self.client.ping())
        except (RedisError, OSError):
            return False

    async def aclose(self) -> None:
        await self.client.aclose()


def open_shared_redis(
    url: str,
    *,
    password: str | None,
    prefix: str,
    timeout: float,
    ca_file: str | None = None,
) -> SharedRedis:
    """A client for `url` (nothing is sent until the first call). rediss:// verifies the
    server's certificate, against `ca_file` when given."""
    options: dict[str, object] = {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "health_check_interval": 30,
        # No retries of its own: a failed call falls back at once (`SharedRedis.call`).
        "retry": Retry(NoBackoff(), 0),
    }
    if password is not None:
        options["password"] = password
    if url.startswith("rediss://"):
        options["ssl_cert_reqs"] = ssl.CERT_REQUIRED
        if ca_file is not None:
            options["ssl_ca_certs"] = ca_file
    client = Redis.from_url(url, **options)  # type: ignore[arg-type]
    return SharedRedis(client, prefix)
