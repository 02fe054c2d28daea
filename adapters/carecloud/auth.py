"""CareCloud authentication as httpx.Auth: the bearer token of the login route, or legacy Basic.

[DOC] BACKENDS.md §2.4: the Enterprise API logs in with `POST /users/actions/login` and
sends `Authorization: Bearer <token>` until `valid_to`; on a 401, log in again. Basic is
deprecated: `base64(login + ":" + sha256_hex(md5_hex(password) + YYYYMMDDHH))`, hour in UTC.
Neither class keeps a credential in a repr or a message.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Generator
from datetime import UTC

import httpx

from adapters.bearer import BearerLogin, Clock, utc_now

__all__ = ["BearerLogin", "LegacyBasic"]


class LegacyBasic(httpx.Auth):
    """The deprecated Basic scheme, whose password part changes every hour (UTC)."""

    def __init__(self, login: str, password: str, *, clock: Clock = utc_now) -> None:
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
