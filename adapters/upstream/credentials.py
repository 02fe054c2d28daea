"""How an `Upstream` authenticates its requests: headers for each, renewed once after a 401.

`Credentials` is the whole protocol: `headers()` before a request goes out, and, when the
back end answers 401, `renewed(refused)` once for new headers (None: a 401 is final). The
back ends' schemes implement it: `BasicCredentials` (RFC 7617, Club Med's token request),
`BearerLogin` (a token got by logging in: Club Med's OAuth2 client credentials, CareCloud's
login route), CareCloud's `LegacyBasic` and Relay's `RelayApiKey` (in their auth modules).
No credential ever appears in a repr or a message.

A `TokenStore` shares a `BearerLogin`'s token with the other processes of a fleet (the
gateway's Redis, gateway/fleet/tokens.py): a process takes the stored token while it is
fresh, and only the holder of the store's renewal lock logs in, so a fleet logs in once per
token lifetime, not once per worker.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = [
    "BasicCredentials",
    "BearerLogin",
    "Clock",
    "Credentials",
    "LogIn",
    "StoredToken",
    "TokenStore",
    "token_name",
    "utc_now",
]

# Logs in and returns (bearer token, the instant it expires; None when the back end did not say).
LogIn = Callable[[], Awaitable[tuple[str, datetime | None]]]
Clock = Callable[[], datetime]
# A token and the instant it expires (None: the back end did not say).
StoredToken = tuple[str, datetime | None]


def token_name(*identity: str) -> str:
    """The store's name of a login: a digest of what identifies it (never the secret)."""
    return hashlib.sha256("\x1f".join(identity).encode()).hexdigest()[:32]


class TokenStore(Protocol):
    """Where the processes of a fleet share their logins' tokens."""

    async def fetch(self, name: str) -> StoredToken | None:
        """The token stored under `name`, if any."""
        ...

    async def store(self, name: str, token: StoredToken) -> None:
        """Share `token` under `name` until it expires."""
        ...

    def renewal(self, name: str) -> AbstractAsyncContextManager[None]:
        """Held while one process logs in for `name`: the others wait, then fetch."""
        ...


def utc_now() -> datetime:
    return datetime.now(UTC)


class Credentials(Protocol):
    """What authenticates one back end's requests."""

    async def headers(self) -> Mapping[str, str]:
        """The headers that authenticate the next request (lower-case names)."""
        ...

    async def renewed(self, refused: Mapping[str, str]) -> Mapping[str, str] | None:
        """Headers to send the request once more with, after `refused` met a 401; None when
        a 401 is final."""
        ...


class BasicCredentials:
    """HTTP Basic: the user id and password on every request (RFC 7617, UTF-8)."""

    def __init__(self, user: str, password: str) -> None:
        pair = base64.b64encode(f"{user}:{password}".encode()).decode()
        self._headers = {"authorization": f"Basic {pair}"}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(***)"

    async def headers(self) -> Mapping[str, str]:
        return self._headers

    async def renewed(self, refused: Mapping[str, str]) -> Mapping[str, str] | None:
        return None


class BearerLogin:
    """A bearer token got by logging in: one login for many, renewed in time and once after a 401.

    The lock makes the first caller log in while the others wait for its token; a 401 with
    a token that is still the current one triggers one new login, however many requests
    saw that 401 together.
    """

    def __init__(
        self,
        log_in: LogIn,
        *,
        refresh_margin_seconds: float,
        clock: Clock = utc_now,
        store: TokenStore | None = None,
        name: str = "",
    ) -> None:
        self._log_in = log_in
        self._margin = timedelta(seconds=refresh_margin_seconds)
        self._clock = clock
        self._lock = asyncio.Lock()
        self._token: str | None = None
        self._expires_at: datetime | None = None
        self._store = store
        self._name = name

    def __repr__(self) -> str:
        return f"{type(self).__name__}(token=***)"

    async def headers(self) -> Mapping[str, str]:
        return {"authorization": f"Bearer {await self._current()}"}

    async def renewed(self, refused: Mapping[str, str]) -> Mapping[str, str] | None:
        stale = refused.get("authorization", "").removeprefix("Bearer ")
        async with self._lock:
            if self._token in (None, stale):
                await self._refresh(stale)
        assert self._token is not None
        return {"authorization": f"Bearer {self._token}"}

    def _fresh(self) -> bool:
        if self._token is None:
            return False
        return self._usable(self._expires_at)

    def _usable(self, expires_at: datetime | None) -> bool:
        return expires_at is None or self._clock() < expires_at - self._margin

    async def _current(self) -> str:
        if not self._fresh():
            async with self._lock:
                if not self._fresh():
                    await self._refresh(None)
        assert self._token is not None
        return self._token

    async def _refresh(self, stale: str | None) -> None:
        """A new token: the fleet's when another process has one that is not `stale`,
        else one logged in for (by one process of the fleet at a time)."""
        if self._store is None:
            self._token, self._expires_at = await self._log_in()
            return
        if await self._adopt(stale):
            return
        async with self._store.renewal(self._name):
            if await self._adopt(stale):
                return
            self._token, self._expires_at = await self._log_in()
            await self._store.store(self._name, (self._token, self._expires_at))

    async def _adopt(self, stale: str | None) -> bool:
        """Take the stored token when it is usable and not the one a 401 refused."""
        assert self._store is not None
        stored = await self._store.fetch(self._name)
        if stored is None or stored[0] == stale or not self._usable(stored[1]):
            return False
        self._token, self._expires_at = stored
        return True
