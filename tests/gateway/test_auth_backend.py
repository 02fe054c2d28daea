"""Callers' JWTs as Starlette's AuthenticationBackend (the refusal itself: test_security)."""

from __future__ import annotations

import asyncio

import pytest
from starlette.requests import HTTPConnection

from gateway.auth import READ, AuthenticationFailed, Caller, JWTBackend, TokenVerifier
from gateway.config import Settings
from tests.gateway.conftest import TEST_JWT_SECRET, token

BACKEND = JWTBackend(TokenVerifier(Settings(jwt_secret=TEST_JWT_SECRET)))


def connection(
    method: str = "POST", query: bytes = b"", kind: str = "http", **headers: str
) -> HTTPConnection:
    raw = [(name.encode(), value.encode()) for name, value in headers.items()]
    scope = {"type": kind, "method": method, "headers": raw, "query_string": query, "path": "/"}
    return HTTPConnection(scope)


def authenticate(conn: HTTPConnection) -> object:
    return asyncio.run(BACKEND.authenticate(conn))


def test_a_valid_token_is_its_caller_and_its_scopes() -> None:
    result = authenticate(connection(authorization=f"Bearer {token(READ)}"))
    assert isinstance(result, tuple)
    credentials, caller = result
    assert isinstance(caller, Caller) and caller.scopes == {READ} and caller.is_authenticated
    assert credentials.scopes == [READ]
    again = authenticate(connection(authorization=f"Bearer {token(READ)}"))
    assert isinstance(again, tuple)


@pytest.mark.parametrize("authorization", [None, "Basic abc", "Bearer not.a.jwt"])
def test_a_missing_or_bad_token_is_refused(authorization: str | None) -> None:
    conn = connection(authorization=authorization) if authorization else connection()
    with pytest.raises(AuthenticationFailed):
        authenticate(conn)


def test_the_graphiql_page_loads_without_a_token_but_its_queries_do_not() -> None:
    assert authenticate(connection("GET", accept="text/html")) is None
    with pytest.raises(AuthenticationFailed):
        authenticate(connection("GET", b"query=%7B__typename%7D", accept="text/html"))
    with pytest.raises(AuthenticationFailed):
        authenticate(connection("POST", accept="text/html"))


def test_a_websocket_is_let_through_unauthenticated_as_before() -> None:
    assert authenticate(connection(kind="websocket")) is None
