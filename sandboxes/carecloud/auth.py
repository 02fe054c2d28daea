"""The CareCloud sandbox's users, bearer tokens and legacy Basic auth.

[DOC] docs/backends/carecloud.md#auth (CC-spec `authentication.md`, `basicAuth.md`,
`UserLogin.yaml`, docs/backends/carecloud.md#sources):

- Bearer (current): `POST /users/actions/login {user_external_application_id, login,
  password}` -> `{"data": {"bearer_token", "valid_to", "user"}}`, then
  `Authorization: Bearer <token>`. `valid_to` is project-local time without offset; this
  sandbox's project runs on UTC. Lifetime: `SandboxConfig.token_ttl_seconds`.
- Basic (deprecated): `base64(login + ":" + sha256_hex(md5_hex(password) + YYYYMMDDHH))`
  with the hour in UTC; the sandbox accepts the current and the previous hour.

Missing, wrong or expired credentials answer 401. The spec lists no 401 on the login route
itself; the sandbox answers a wrong login with 401 too (the lead's choice), and adapters
treat any refused login as "unauthenticated".

Two users share the development password (`sandboxes/common/credentials.py`):
`sandbox-user` (Enterprise interface, may do everything) and `KIOSK_LOGIN` (a kiosk
interface that may only read: any write or action answers 403
`interface_not_allowed_exception`, [DOC] CC-spec `responses/_index.yaml#Forbidden`,
docs/backends/carecloud.md#sources).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse

from sandboxes.carecloud.dates import DATETIME_FORMAT
from sandboxes.carecloud.errors import interface_not_allowed, unauthorized
from sandboxes.carecloud.parameters import json_object, required_text
from sandboxes.common import BearerTokens, RequireCredentials, credentials

# A second sandbox user, for the 403 path. Same password as the main sandbox user.
KIOSK_LOGIN: Final = "sandbox-kiosk"

# Paths that need no credentials: the login itself, the OpenAPI document, the sandbox knobs.
_OPEN_PATHS: Final = ("/users/actions/login", "/openapi.json", "/_sandbox/")


@dataclass(frozen=True, slots=True)
class User:
    user_id: str
    login: str
    interface: str  # "Enterprise" or "Kiosk"

    @property
    def read_only(self) -> bool:
        return self.interface != "Enterprise"

    def to_json(self) -> dict[str, object]:
        """The `user` of the login answer ([DOC] CC-spec `schemas/User.yaml`, abridged)."""
        return {
            "user_id": self.user_id,
            "login": self.login,
            "first_name": "Sandbox",
            "last_name": self.interface,
            "email": f"{self.login}@sandbox.invalid",
            "user_role_id": "8bed991c68a470e7aaeffbf048",
        }


USERS: Final = {
    credentials.CARECLOUD_LOGIN: User(
        "838b73aacb5ac326cec4030c80", credentials.CARECLOUD_LOGIN, "Enterprise"
    ),
    KIOSK_LOGIN: User("838b73aacb5ac326cec4030c81", KIOSK_LOGIN, "Kiosk"),
}


def basic_password(password: str, hour: datetime) -> str:
    """The legacy Basic password part: sha256_hex(md5_hex(password) + YYYYMMDDHH UTC)."""
    digest = hashlib.md5(password.encode()).hexdigest()
    return hashlib.sha256((digest + hour.strftime("%Y%m%d%H")).encode()).hexdigest()


class Sessions(BearerTokens[User]):
    """The bearer tokens issued by the login route, with their user and expiry."""

    def __init__(self, ttl_seconds: float) -> None:
        super().__init__(ttl_seconds, new_token=lambda: secrets.token_hex(20), refuse=unauthorized)

    def open(self, user: User) -> tuple[str, str]:
        """A new token for `user`, and its `valid_to` text."""
        valid_to = datetime.now(UTC) + timedelta(seconds=self.ttl_seconds)
        return self.issue(user), valid_to.strftime(DATETIME_FORMAT)

    def user_for(self, authorization: str | None) -> User:
        """The user an Authorization header stands for, or a 401."""
        if not authorization:
            raise unauthorized("The Authorization header is missing")
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer":
            return self.holder(value.strip())
        if scheme.lower() == "basic":
            return _basic_user(value.strip())
        raise unauthorized("Unknown authorization scheme")


def _basic_user(value: str) -> User:
    try:
        login, _, hashed = base64.b64decode(value, validate=True).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        raise unauthorized("Malformed Basic credentials") from None
    user = USERS.get(login)
    now = datetime.now(UTC)
    accepted = {
        basic_password(credentials.CARECLOUD_PASSWORD, now - timedelta(hours=h)) for h in (0, 1)
    }
    if user is None or not any(secrets.compare_digest(hashed, a) for a in accepted):
        raise unauthorized("Wrong Basic credentials")
    return user


async def login(request: Request) -> JSONResponse:
    """POST /users/actions/login -> 200 {"data": {bearer_token, valid_to, user}}."""
    sessions: Sessions = request.app.state.sessions
    body = await json_object(request)
    application_id = required_text(body, "user_external_application_id")
    login_name = required_text(body, "login")
    password = required_text(body, "password")
    user = USERS.get(login_name)
    known_application = application_id == credentials.CARECLOUD_USER_EXTERNAL_APPLICATION_ID
    right_password = secrets.compare_digest(password, credentials.CARECLOUD_PASSWORD)
    if user is None or not known_application or not right_password:
        raise unauthorized("Wrong login, password or external application")
    token, valid_to = sessions.open(user)
    return JSONResponse(
        {"data": {"bearer_token": token, "valid_to": valid_to, "user": user.to_json()}}
    )


def require_credentials(sessions: Sessions) -> Middleware:
    """Every path but the open ones needs credentials (401); a read-only interface may only
    read (403 on a write or an action)."""

    def check(method: str, path: str, headers: Mapping[str, str]) -> User:
        user = sessions.user_for(headers.get("authorization"))
        if user.read_only and (method != "GET" or "/actions/" in path):
            resource = path.strip("/").split("/")[0] or "/"
            raise interface_not_allowed(resource, user.interface)
        return user

    return Middleware(
        RequireCredentials, guards=lambda path: not path.startswith(_OPEN_PATHS), caller=check
    )
