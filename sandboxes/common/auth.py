"""What the sandboxes' auth shares: bearer tokens issued for a lifetime, and the middleware
that lets a request in or answers it with its back end's 401 or 403.

Each back end's `auth.py` says who may call (clients, users, keys), how a token is asked
for, and which paths need credentials; the refusals are its own errors.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

from starlette.types import ASGIApp, Receive, Scope, Send

from sandboxes.common.errors import SandboxError
from sandboxes.common.parameters import local_path

Holder = TypeVar("Holder")


class BearerTokens(Generic[Holder]):
    """The bearer tokens a sandbox issued, each with its holder (a client, a user) and expiry.

    `new_token()` makes a token in the vendor's format; `refuse(why)` is the back end's 401.
    """

    def __init__(
        self,
        ttl_seconds: float,
        *,
        new_token: Callable[[], str],
        refuse: Callable[[str], SandboxError],
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self._new_token = new_token
        self._refuse = refuse
        self._tokens: dict[str, tuple[Holder, float]] = {}

    def issue(self, holder: Holder) -> str:
        token = self._new_token()
        self._tokens[token] = (holder, time.monotonic() + self.ttl_seconds)
        return token

    def expire_all(self) -> None:
        """Test knob: every token issued so far is now expired (answers 401)."""
        self._tokens = {token: (holder, 0.0) for token, (holder, _) in self._tokens.items()}

    def holder(self, token: str) -> Holder:
        """Who `token` was issued to; the back end's 401 when it is unknown or expired."""
        found = self._tokens.get(token)
        if found is None:
            raise self._refuse("The bearer token is not valid")
        holder, expires_at = found
        if time.monotonic() >= expires_at:
            raise self._refuse("The bearer token has expired")
        return holder


# (method, path below the mount, headers with lower-case names) -> the caller, or an error.
CallerCheck = Callable[[str, str, Mapping[str, str]], object]


class RequireCredentials:
    """ASGI middleware: every request to a path that `guards` needs credentials.

    `caller` returns who is calling (kept as `request.state.caller`) or raises the back end's
    error (a 401, a 403), which answers the request before any route runs.
    """

    def __init__(self, app: ASGIApp, *, guards: Callable[[str], bool], caller: CallerCheck):
        self.app = app
        self.guards = guards
        self.caller = caller

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = local_path(scope) if scope["type"] == "http" else ""
        if not path or not self.guards(path):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            caller = self.caller(scope["method"], path, headers)
        except SandboxError as error:
            await error.response()(scope, receive, send)
            return
        scope.setdefault("state", {})["caller"] = caller
        await self.app(scope, receive, send)
