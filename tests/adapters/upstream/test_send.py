"""`Upstream` builds its requests itself, over an explicit transport: it must still send
what an httpx client would (`AsyncClient.build_request` is the yardstick).

The exchange itself is under test here, not a back end, so httpx's own MockTransport (the
seam httpx gives tests) stands in for the network.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

import httpx
import pytest

from adapters.model import Backend
from adapters.upstream import NO_OBSERVER, BasicCredentials, Credentials, Observer, Upstream

pytestmark = pytest.mark.anyio


class Seen:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        # As sent: an auth flow may send the same request object again, changed.
        self.authorizations: list[str | None] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.authorizations.append(request.headers.get("authorization"))
        if request.url.path.endswith("/login-first") and "authorization" not in request.headers:
            return httpx.Response(401)
        return httpx.Response(200, json={"ok": True}, headers={"set-cookie": "session=abc; Path=/"})


BASE_URL = "http://backend.test/api/v1"
HEADERS = {"x-api-key": "k", "Accept": "application/json"}


def _upstream(
    seen: Seen, *, credentials: Credentials | None = None, observer: Observer = NO_OBSERVER
) -> Upstream:
    return Upstream(
        Backend.CLUBMED,
        httpx.MockTransport(seen.handler),
        base_url=BASE_URL,
        headers=HEADERS,
        credentials=credentials,
        observer=observer,
    )


def _client() -> httpx.AsyncClient:
    """The client an Upstream stands for: what it would build is what Upstream must send."""
    return httpx.AsyncClient(base_url=BASE_URL, headers=HEADERS)


async def test_the_url_and_headers_are_the_clients() -> None:
    seen = Seen()
    async with _client() as http:
        upstream = _upstream(seen)
        body = await upstream.send_json(
            "GET",
            "/customers",
            operation="test.search",
            params={"filter": 'last_name=="O Neil"', "limit": 20, "active": True},
            headers={"ACCEPT": "text/plain"},
        )
        expected = http.build_request(
            "GET",
            "/customers",
            params={"filter": 'last_name=="O Neil"', "limit": 20, "active": True},
        )
    assert body == {"ok": True}
    [request] = seen.requests
    assert request.url == expected.url
    assert request.headers["x-api-key"] == "k"
    assert request.headers.get_list("accept") == ["text/plain"]  # replaced, not doubled
    assert request.extensions["operation"] == "test.search"
    assert request.extensions["timeout"] == http.timeout.as_dict()
    # What an httpx client sends unless told otherwise (its cookie jar aside).
    assert request.headers["user-agent"] == expected.headers["user-agent"]
    assert request.headers["accept-encoding"].startswith("gzip, deflate")


async def test_a_json_body_is_sent_as_json() -> None:
    seen = Seen()
    await _upstream(seen).send("POST", "customers", operation="test.create", json={"name": "Zoé"})
    [request] = seen.requests
    assert request.headers["content-type"] == "application/json"
    assert request.content == '{"name":"Zoé"}'.encode()
    assert str(request.url) == "http://backend.test/api/v1/customers"


async def test_no_cookie_of_a_back_end_is_kept_between_calls() -> None:
    seen = Seen()
    upstream = _upstream(seen)
    await upstream.send("GET", "/a", operation="test.a")
    await upstream.send("GET", "/b", operation="test.b")
    assert [r.headers.get("cookie") for r in seen.requests] == [None, None]


class LoginOn401:
    """Credentials that have none at first, and a fresh token once refused."""

    async def headers(self) -> Mapping[str, str]:
        return {}

    async def renewed(self, refused: Mapping[str, str]) -> Mapping[str, str] | None:
        return {"authorization": "Bearer fresh"}


async def test_credentials_are_renewed_once_after_a_401() -> None:
    seen = Seen()
    await _upstream(seen, credentials=LoginOn401()).send(
        "GET", "/login-first", operation="test.auth"
    )
    assert seen.authorizations == [None, "Bearer fresh"]


class Noted:
    """An observer that notes each request and how it ended."""

    def __init__(self) -> None:
        self.hooked: list[tuple[str, object]] = []

    def sending(self, backend: Backend, operation: str, request: httpx.Request) -> Noted:
        self.hooked.append(("request", request.url.path))
        return self

    def answered(self, status: int) -> None:
        self.hooked.append(("response", status))

    def failed(self, error: BaseException) -> None:
        self.hooked.append(("failed", type(error).__name__))

    def unreadable(self, backend: Backend, operation: str) -> None:
        self.hooked.append(("unreadable", operation))

    def watch_breaker(self, backend: Backend, state: object) -> None:
        pass


async def test_the_observer_hears_each_request_and_its_answer() -> None:
    seen, noted = Seen(), Noted()
    await _upstream(seen, observer=noted).send("GET", "/c", operation="test.c")
    assert noted.hooked == [("request", "/api/v1/c"), ("response", 200)]


async def test_a_form_is_sent_as_the_client_sends_data_with_the_calls_own_auth() -> None:
    seen = Seen()
    form = {"grant_type": "client_credentials", "scope": "customers read&write"}
    async with _client() as http:
        upstream = _upstream(seen, credentials=BasicCredentials("never", "used"))
        await upstream.copy_with(credentials=BasicCredentials("client id", "s3cr&t")).send(
            "POST",
            "http://auth.test/token",
            operation="test.token",
            form=form,
        )
        expected = http.build_request("POST", "http://auth.test/token", data=form)
    [request] = seen.requests
    assert request.url == expected.url
    assert request.content == expected.read()
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert (
        request.headers["authorization"]
        == "Basic " + base64.b64encode(b"client id:s3cr&t").decode()
    )
