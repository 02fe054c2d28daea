"""A bearer token got by logging in, as an httpx.Auth: one login for many, renewed in time.

Club Med's OAuth2 client-credentials token and CareCloud's login token work alike: fetch a
token, send it until shortly before it expires, and fetch a new one once after a 401. The
token never appears in a repr or a message.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from datetime import UTC, datetime, timedelta

import httpx

__all__ = ["BearerLogin", "Clock", "LogIn", "utc_now"]

# Logs in and returns (bearer token, the instant it expires; None when the back end did not say).
LogIn = Callable[[], Awaitable[tuple[str, datetime | None]]]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class BearerLogin(httpx.Auth):
    """Logs in once for many concurrent callers, renews before expiry and once after a 401.

    The lock makes the first caller log in while the others wait for its token; a 401 with
    a token that is still the current one triggers one new login, however many requests
    saw that 401 together.
    """

    requires_request_body = False
    requires_response_body = False

    def __init__(self, log_in: LogIn, *, refresh_margin_seconds: float, clock: Clock = utc_now):
        self._log_in = log_in
        self._margin = timedelta(seconds=refresh_margin_seconds)
        self._clock = clock
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._expires_at: datetime | None = None

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("the back-end clients are asynchronous")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self._current()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            # Release this connection before logging in: with a full pool, a login that
            # waits for a connection held by the requests waiting for it would never run.
            await response.aread()
            token = await self._renewed(stale=token)
            request.headers["Authorization"] = f"Bearer {token}"
            yield request

    def _fresh(self) -> bool:
        if self._token is None:
            return False
        return self._expires_at is None or self._clock() < self._expires_at - self._margin

    async def _current(self) -> str:
        if not self._fresh():
            async with self._lock:
                if not self._fresh():
                    await self._refresh()
        assert self._token is not None
        return self._token

    async def _renewed(self, stale: str) -> str:
        async with self._lock:
            if self._token in (None, stale):
                await self._refresh()
        assert self._token is not None
        return self._token

    async def _refresh(self) -> None:
        self._token, self._expires_at = await self._log_in()
