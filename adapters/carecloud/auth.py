"""CareCloud authentication: the bearer token of the login route, or legacy Basic.

[DOC] docs/backends/carecloud.md#auth: the Enterprise API logs in with
`POST /users/actions/login` and sends `Authorization: Bearer <token>` until `valid_to`; on a
401, log in again (that is `adapters.upstream.BearerLogin`). Basic is deprecated:
`base64(login + ":" + sha256_hex(md5_hex(password) + YYYYMMDDHH))`, hour in UTC.
Neither keeps a credential in a repr or a message.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from datetime import UTC

from adapters.upstream import Clock, utc_now

__all__ = ["LegacyBasic"]


class LegacyBasic:
    """Credentials of the deprecated Basic scheme, whose password part changes every hour (UTC)."""

    def __init__(self, login: str, password: str, *, clock: Clock = utc_now) -> None:
        self._login = login
        # Only the MD5 is kept: the scheme never needs the password itself again.
        self._password_md5 = hashlib.md5(password.encode()).hexdigest()
        self._clock = clock

    def __repr__(self) -> str:
        return f"{type(self).__name__}(***)"

    async def headers(self) -> Mapping[str, str]:
        hour = self._clock().astimezone(UTC).strftime("%Y%m%d%H")
        secret = hashlib.sha256((self._password_md5 + hour).encode()).hexdigest()
        pair = base64.b64encode(f"{self._login}:{secret}".encode()).decode()
        return {"authorization": f"Basic {pair}"}

    async def renewed(self, refused: Mapping[str, str]) -> Mapping[str, str] | None:
        return None  # nothing to renew: a 401 is final
