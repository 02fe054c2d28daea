"""The CareCloud sandbox's users, bearer tokens and legacy Basic auth.

[DOC] BACKENDS.md §2.4 (CC-spec `authentication.md`, `basicAuth.md`, `UserLogin.yaml`):

- Bearer (current): `POST /users/actions/login {user_external_application_id, login,
  password}` -> `{"data": {"bearer_token", "valid_to", "user"}}`, then
  `Authorization: Bearer <token>`. `valid_to` is project-local time without offset; this
  sandbox's project runs on UTC. Lifetime: `SandboxConfig.token_ttl_seconds`.
- Basic (deprecated): `base64(login + ":" + sha256_hex(md5_hex(password) + YYYYMMDDHH))`
  with the hour in UTC; the sandbox accepts the current and the previous hour.

Missing, wrong or expired credentials answer 401. The spec lists no 401 on the login route
itself; the sandbox answers a wrong login with 401 too (the lead's choice), and adapters
treat any refused login as "unauthenticated".

Two users share the development password (`sandboxes.common.credentials`):
`sandbox-user` (Enterprise interface, may do everything) and `KIOSK_LOGIN` (a kiosk
interface that may only read: any write or action answers 403
`interface_not_allowed_exception`, [DOC] CC-spec responses/_index.yaml#Forbidden).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from sandboxes.carecloud.errors import (
    DATETIME_FORMAT,
    ApiError,
    interface_not_allowed,
    json_body,
    required_text,
    unauthorized,
)
from sandboxes.common import credentials

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
        """The `user` of the login answer ([DOC] CC-spec schemas/User.yaml, abridged)."""
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


class Sessions:
    """The bearer tokens issued by the login route, with their expiry."""

    def __init__(self, ttl_seconds: float) -> None:
        self.ttl_seconds = ttl_seconds
        self._tokens: dict[str, tuple[User, float]] = {}

    def issue(self, user: User) -> tuple[str, str]:
        """A new token and its `valid_to` text."""
        token = secrets.token_hex(20)
        self._tokens[token] = (user, time.time() + self.ttl_seconds)
        valid_to = datetime.now(UTC) + timedelta(seconds=self.ttl_seconds)
        return token, valid_to.strftime(DATETIME_FORMAT)

    def expire_all(self) -> None:
        """Test knob: every token issued so far is now expired (answers 401)."""
        self._tokens = {token: (user, 0.0) for token, (user, _) in self._tokens.items()}

    def user_for(self, authorization: str | None) -> User:
        """The user an Authorization header stands for, or a 401."""
        if not authorization:
            raise unauthorized("The Authorization header is missing")
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer":
            return self._bearer_user(value.strip())
        if scheme.lower() == "basic":
            return _basic_user(value.strip())
        raise unauthorized("Unknown authorization scheme")

    def _bearer_user(self, token: str) -> User:
        found = self._tokens.get(token)
        if found is None:
            raise unauthorized("The bearer token is not valid")
        user, expires_at = found
        if time.time() > expires_at:
            raise unauthorized("The bearer token has expired")
        return user


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
    body = await json_body(request)
    application_id = required_text(body, "user_external_application_id")
    login_name = required_text(body, "login")
    password = required_text(body, "password")
    user = USERS.get(login_name)
    known_application = application_id == credentials.CARECLOUD_USER_EXTERNAL_APPLICATION_ID
    right_password = secrets.compare_digest(password, credentials.CARECLOUD_PASSWORD)
    if user is None or not known_application or not right_password:
        raise unauthorized("Wrong login, password or external application")
    token, valid_to = sessions.issue(user)
    return JSONResponse(
        {"data": {"bearer_token": token, "valid_to": valid_to, "user": user.to_json()}}
    )


class RequireCredentials:
    """ASGI middleware: 401 without valid credentials, 403 when the interface may not."""

    def __init__(self, app: ASGIApp, sessions: Sessions) -> None:
        self.app = app
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"][len(scope.get("root_path", "")) :] or "/"
        if path.startswith(_OPEN_PATHS):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        raw = headers.get(b"authorization")
        try:
            user = self.sessions.user_for(raw.decode("latin-1") if raw else None)
            if user.read_only and (scope["method"] != "GET" or "/actions/" in path):
                resource = path.strip("/").split("/")[0] or "/"
                raise interface_not_allowed(resource, user.interface)
        except ApiError as error:
            await error.response()(scope, receive, send)
            return
        scope.setdefault("state", {})["user"] = user
        await self.app(scope, receive, send)
