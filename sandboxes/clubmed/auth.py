"""The Club Med sandbox's OAuth2 token endpoint, its clients, and the checks on `/v*/` routes.

`POST /token` is OAuth2 client credentials (RFC 6749 §4.4; [3P] docs/backends/clubmed.md#auth shows
it called with `grant_type=client_credentials&scope=openid pms`). The client authenticates with HTTP
Basic or with form fields (RFC 6749 §2.3.1), never both. [INF] The answer is the standard
`{access_token, token_type, expires_in, scope}` and the errors the RFC's §5.2 ones.

Every `/v<n>/` route then needs `x-api-key` and a live bearer (401 otherwise, in the
sandbox's error body). Two clients: the main one may touch every customer; the partner
(another issuer) only the customers its tokens created ([DOC] docs/backends/clubmed.md#auth: 403
"customer mismatch or issuer mismatch").
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qs

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse

from sandboxes.clubmed.errors import unauthorized
from sandboxes.common import BearerTokens, RequireCredentials, credentials

_GUARDED: Final = re.compile(r"^/v\d+/")
# [DOC] docs/backends/clubmed.md#auth: pms and dm; openid for OIDC.
SCOPES: Final = frozenset({"openid", "pms", "dm"})
DEFAULT_SCOPE: Final = "openid pms"


@dataclass(frozen=True, slots=True)
class Client:
    """An OAuth2 client; `sees_all` is false for another issuer's client."""

    client_id: str
    secret: str
    sees_all: bool


CLIENTS: Final = {
    c.client_id: c
    for c in (
        Client(credentials.CLUBMED_CLIENT_ID, credentials.CLUBMED_CLIENT_SECRET, True),
        Client(
            credentials.CLUBMED_PARTNER_CLIENT_ID, credentials.CLUBMED_PARTNER_CLIENT_SECRET, False
        ),
    )
}


class Tokens(BearerTokens[Client]):
    """The bearer tokens issued by `POST /token`, with their client and expiry."""

    def __init__(self, ttl_seconds: float) -> None:
        super().__init__(
            ttl_seconds, new_token=lambda: secrets.token_urlsafe(32), refuse=unauthorized
        )

    def client_for(self, authorization: str | None) -> Client:
        """The client a `Bearer` header stands for, or a 401."""
        if not authorization:
            raise unauthorized("The authorization header is missing")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized("A bearer token is expected")
        return self.holder(token.strip())


def _oauth_error(status: int, error: str, basic: bool = False) -> JSONResponse:
    # RFC 6749 §5.2: a client that tried Basic gets a WWW-Authenticate challenge back.
    headers = {"WWW-Authenticate": 'Basic realm="clubmed"'} if basic else None
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(client_id, secret) from an HTTP Basic header; None without one."""
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return ("", "")
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


def _authenticate(client_id: str, secret: str) -> Client | None:
    client = CLIENTS.get(client_id)
    if client is None or not secrets.compare_digest(secret.encode(), client.secret.encode()):
        return None
    return client


async def token(request: Request) -> JSONResponse:
    """POST /token: client credentials -> a bearer (RFC 6749 §4.4, §5.1)."""
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode("latin-1")).items()}
    basic = _basic_credentials(request.headers.get("authorization"))
    in_form = "client_id" in form or "client_secret" in form
    if "grant_type" not in form or (basic is not None and in_form):
        return _oauth_error(400, "invalid_request")  # RFC 6749 §2.3: one method only
    client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
    client = _authenticate(client_id, secret)
    if client is None:
        return _oauth_error(401, "invalid_client", basic is not None)
    if form["grant_type"] != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type")
    scope = form.get("scope", DEFAULT_SCOPE)
    if not set(scope.split()) <= SCOPES:
        return _oauth_error(400, "invalid_scope")
    tokens: Tokens = request.app.state.tokens
    body = {
        "access_token": tokens.issue(client),
        "token_type": "Bearer",
        "expires_in": int(tokens.ttl_seconds),
        "scope": scope,
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def require_credentials(tokens: Tokens) -> Middleware:
    """Every `/v<n>/` route needs the API key, then a live bearer (401 otherwise)."""

    def check(method: str, path: str, headers: Mapping[str, str]) -> Client:
        api_key = headers.get("x-api-key", "")
        if not secrets.compare_digest(api_key.encode(), credentials.CLUBMED_API_KEY.encode()):
            raise unauthorized("The x-api-key header is missing or wrong")
        return tokens.client_for(headers.get("authorization"))

    return Middleware(
        RequireCredentials, guards=lambda path: bool(_GUARDED.match(path)), caller=check
    )


def caller(request: Request) -> Client:
    """The authenticated client of a `/v<n>/` request."""
    client: Client = request.state.caller
    return client
