"""CareCloud authentication as httpx.Auth: the bearer token of the login route, or legacy Basic.

[DOC] BACKENDS.md §2.4: the Enterprise API logs in with `POST /users/actions/login` and
sends `Authorization: Bearer <token>` until `valid_to`; on a 401, log in again. Basic is
deprecated: `base64(login + ":" + sha256_hex(md5_hex(password) + YYYYMMDDHH))`, hour in UTC.
Neither class keeps a credential in a repr or a message.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from datetime import UTC, datetime, timedelta

import httpx

# Logs in and returns (bearer token, the instant it expires; None when the back end did not say).
LogIn = Callable[[], Awaitable[tuple[str, datetime | None]]]
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class BearerLogin(httpx.Auth):
    """Logs in once for many concurrent callers, renews before expiry and once after a 401.

    The lock makes the first caller log in while the others wait for its token; a 401 with
    a token that is still the current one triggers one new login, however many requests
    saw that 401 together.
    """

    requires_request_body = False
    requires_response_body = False

    def __init__(self, log_in: LogIn, *, refresh_margin_seconds: float, clock: Clock = _utc_now):
        self._log_in = log_in
        self._margin = timedelta(seconds=refresh_margin_seconds)
        self._clock = clock
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._expires_at: datetime | None = None

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("the CareCloud client is asynchronous")

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


class LegacyBasic(httpx.Auth):
    """The deprecated Basic scheme, whose password part changes every hour (UTC)."""

    def __init__(self, login: str, password: str, *, clock: Clock = _utc_now) -> None:
        self._login = login
        # Only the MD5 is kept: the scheme never needs the password itself again.
        self._password_md5 = hashlib.md5(password.encode()).hexdigest()
        self._clock = clock

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        hour = self._clock().astimezone(UTC).strftime("%Y%m%d%H")
        secret = hashlib.sha256((self._password_md5 + hour).encode()).hexdigest()
        pair = base64.b64encode(f"{self._login}:{secret}".encode()).decode()
        request.headers["Authorization"] = f"Basic {pair}"
        yield request
