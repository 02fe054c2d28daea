"""Who may call: bearer JWTs checked against configured keys, and scopes per field.

Callers are authenticated by Starlette's AuthenticationMiddleware with `JWTBackend`; a refused
token is answered by `refuse_unauthenticated`. Keys are an HS256 secret, or RS256/ES256 public
keys from a JWKS file or URL (PyJWT does the verifying, including issuer, audience, expiry
and not-before). Scopes come from the token's `scope` (space-separated) or `scp` (list) claim:

    customers:read    queries
    customers:write   mutations
    pii:read          the most sensitive fields: document numbers, full birthdates
    customers:steward link and unlink records as one person (issue 16)
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import jwt
import strawberry
from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    AuthenticationError,
    BaseUser,
)
from starlette.requests import HTTPConnection
from starlette.responses import Response
from strawberry.permission import BasePermission

from gateway.config import Settings, read_jwks
from gateway.logs import log_request, request_id_for
from gateway.media import refusal_response

READ = "customers:read"
WRITE = "customers:write"
PII = "pii:read"
STEWARD = "customers:steward"
ALL_SCOPES = (READ, WRITE, PII, STEWARD)


class AuthenticationFailed(AuthenticationError):
    """The caller's token is missing, malformed, expired or not ours. Never says which secret."""


_now = time.time  # the cache's clock (a seam for tests)

# Distinct verified tokens kept (LRU); profiling showed JWT decoding at ~5% of a request.
VERIFIED_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class Caller(BaseUser):
    """Who a verified token speaks for; Starlette's `request.user` on /graphql."""

    subject: str = field(repr=False)
    scopes: frozenset[str]
    # Starlette's `request.auth`, made once per verified token (the verifier caches callers).
    credentials: AuthCredentials = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "credentials", AuthCredentials(sorted(self.scopes)))

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return ""  # the subject is personal: never shown

    @property
    def identity(self) -> str:
        return self.subject


class TokenVerifier:
    """Verifies bearer tokens with the configured keys."""

    def __init__(self, settings: Settings) -> None:
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self._secret = settings.jwt_secret
        self._jwks_client: jwt.PyJWKClient | None = None
        self._jwks: jwt.PyJWKSet | None = None
        if settings.jwks_url:
            self._jwks_client = jwt.PyJWKClient(settings.jwks_url, cache_keys=True)
        elif settings.jwks_file:
            self._jwks = read_jwks(settings.jwks_file)  # a ConfigError when unusable
        if not (self._secret or self._jwks_client or self._jwks):
            raise ValueError("no key configured to verify callers' tokens")
        # Token -> (caller, its exp): signature, issuer and audience checked once per token.
        self._verified: OrderedDict[str, tuple[Caller, float]] = OrderedDict()

    def verify(self, authorization: str | None) -> Caller:
        """The caller of a verified token; a token seen before is taken from the cache
        until its own expiry (a front-end sends the same token with every request)."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationFailed("a bearer token is required")
        token = token.strip()
        cached = self._verified.get(token)
        if cached is not None:
            caller, expires_at = cached
            if _now() < expires_at:
                self._verified.move_to_end(token)
                return caller
            del self._verified[token]
        caller, expires_at = self._decode(token)
        self._verified[token] = (caller, expires_at)
        if len(self._verified) > VERIFIED_CACHE_SIZE:
            self._verified.popitem(last=False)
        return caller

    def _decode(self, token: str) -> tuple[Caller, float]:
        try:
            key, algorithms = self._key_for(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                issuer=self.issuer,
                audience=self.audience,
                options={"require": ["exp", "sub"]},
                leeway=5,
            )
        except jwt.PyJWTError as exc:
            raise AuthenticationFailed("the bearer token is not valid") from exc
        return Caller(str(claims["sub"]), _scopes(claims)), float(claims["exp"])

    def _key_for(self, token: str) -> tuple[Any, list[str]]:
        if self._secret:
            return self._secret, ["HS256"]
        if self._jwks_client is not None:
            return self._jwks_client.get_signing_key_from_jwt(token).key, ["RS256", "ES256"]
        assert self._jwks is not None
        kid = jwt.get_unverified_header(token).get("kid")
        for key in self._jwks.keys:
            if kid is None or key.key_id == kid:
                return key.key, ["RS256", "ES256"]
        raise jwt.InvalidKeyError("unknown key id")


class JWTBackend(AuthenticationBackend):
    """Starlette's authentication of /graphql: the caller of the bearer token.

    The GraphiQL page loads without a token (its queries need one), and a websocket is let
    through unauthenticated, as Strawberry's view always did (the schema has no subscription).
    """

    def __init__(self, verifier: TokenVerifier) -> None:
        self.verifier = verifier

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, Caller] | None:
        if conn.scope["type"] != "http" or _is_ide_page(conn):
            return None
        caller = self.verifier.verify(conn.headers.get("authorization"))
        return caller.credentials, caller


def _is_ide_page(conn: HTTPConnection) -> bool:
    """A browser asking for GraphiQL: the page loads without a token; its queries don't."""
    return (
        conn.scope["method"] == "GET"
        and "text/html" in conn.headers.get("accept", "")
        and "query" not in conn.query_params
    )


def refuse_unauthenticated(conn: HTTPConnection, error: AuthenticationError) -> Response:
    """AuthenticationMiddleware's answer to a missing or bad token: 401, and its access line."""
    log_request(
        request_id=request_id_for(conn.headers.get("x-request-id")),
        operation=None,
        status=401,
        duration_ms=0.0,  # refused before anything ran
        upstream_calls={},
    )
    return refusal_response(
        conn.headers.get("accept", ""),
        401,
        str(error),
        "UNAUTHENTICATED",
        headers={"WWW-Authenticate": "Bearer"},
    )


def _scopes(claims: dict[str, Any]) -> frozenset[str]:
    raw = claims.get("scope", claims.get("scp", ""))
    items = raw.split() if isinstance(raw, str) else list(raw)
    return frozenset(str(item) for item in items)


def development_secret() -> str:
    """A fresh HS256 secret for sandbox mode: tokens die with the process."""
    return secrets.token_urlsafe(32)


def mint_token(
    secret: str,
    *,
    scopes: tuple[str, ...] = ALL_SCOPES,
    subject: str = "developer",
    issuer: str | None = None,
    audience: str | None = None,
    ttl_seconds: int = 12 * 3600,
) -> str:
    """An HS256 token (sandbox mode's development token, and tests)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject,
        "scope": " ".join(scopes),
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if issuer:
        claims["iss"] = issuer
    if audience:
        claims["aud"] = audience
    return jwt.encode(claims, secret, algorithm="HS256")


class ScopePermission(BasePermission):
    """Granted by one scope of the caller's token."""

    scope: str = ""
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        caller: Caller = info.context.caller
        return self.scope in caller.scopes


class CanRead(ScopePermission):
    scope = READ
    message = f"the {READ} scope is required"


class CanWrite(ScopePermission):
    scope = WRITE
    message = f"the {WRITE} scope is required"


class CanReadPII(ScopePermission):
    scope = PII
    message = f"the {PII} scope is required for this field"


class CanSteward(ScopePermission):
    scope = STEWARD
    message = f"the {STEWARD} scope is required"


class CanFilterOnPII(CanReadPII):
    """Filtering on a field reads it: a birthdate criterion needs pii:read like the field."""

    message = f"the {PII} scope is required to filter on birthdate"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        if getattr(kwargs.get("filter"), "birthdate", None) is None:
            return True
        return super().has_permission(source, info, **kwargs)
