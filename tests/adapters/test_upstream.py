"""`Upstream` sends below `httpx.AsyncClient`: it must still send what the client would.

The exchange itself is under test here, not a back end, so httpx's own MockTransport (the
seam httpx gives tests) stands in for the network.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncGenerator, Generator

import httpx
import pytest

from adapters.model import Backend
from adapters.upstream import Upstream

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


def _client(seen: Seen, **options: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url="http://backend.test/api/v1",
        transport=httpx.MockTransport(seen.handler),
        headers={"x-api-key": "k", "Accept": "application/json"},
        **options,  # type: ignore[arg-type]
    )


async def test_the_url_and_headers_are_the_clients() -> None:
    seen = Seen()
    async with _client(seen) as http:
        upstream = Upstream(Backend.CLUBMED, http)
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


async def test_a_json_body_is_sent_as_json() -> None:
    seen = Seen()
    async with _client(seen) as http:
        await Upstream(Backend.CLUBMED, http).send(
            "POST", "customers", operation="test.create", json={"name": "Zoé"}
        )
    [request] = seen.requests
    assert request.headers["content-type"] == "application/json"
    assert request.content == '{"name":"Zoé"}'.encode()
    assert str(request.url) == "http://backend.test/api/v1/customers"


async def test_no_cookie_of_a_back_end_is_kept_between_calls() -> None:
    seen = Seen()
    async with _client(seen) as http:
        upstream = Upstream(Backend.CLUBMED, http)
        await upstream.send("GET", "/a", operation="test.a")
        await upstream.send("GET", "/b", operation="test.b")
    assert [r.headers.get("cookie") for r in seen.requests] == [None, None]


class LoginOn401(httpx.Auth):
    def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        return self._flow(request)

    async def _flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        response = yield request
        if response.status_code == 401:
            request.headers["authorization"] = "Bearer fresh"
            yield request

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        raise RuntimeError("async only")


async def test_the_auth_flow_is_driven_as_the_client_drives_it() -> None:
    seen = Seen()
    async with _client(seen) as http:
        await Upstream(Backend.CLUBMED, http, auth=LoginOn401()).send(
            "GET", "/login-first", operation="test.auth"
        )
    assert seen.authorizations == [None, "Bearer fresh"]


async def test_the_clients_event_hooks_still_run() -> None:
    seen, hooked = Seen(), []

    async def on_request(request: httpx.Request) -> None:
        hooked.append(("request", request.url.path))

    async def on_response(response: httpx.Response) -> None:
        hooked.append(("response", response.status_code))

    async with _client(
        seen, event_hooks={"request": [on_request], "response": [on_response]}
    ) as http:
        await Upstream(Backend.CLUBMED, http).send("GET", "/c", operation="test.c")
    assert hooked == [("request", "/api/v1/c"), ("response", 200)]


async def test_a_form_is_sent_as_the_client_sends_data_with_the_calls_own_auth() -> None:
    seen = Seen()
    form = {"grant_type": "client_credentials", "scope": "customers read&write"}
    async with _client(seen) as http:
        upstream = Upstream(Backend.CLUBMED, http, auth=httpx.BasicAuth("never", "used"))
        await upstream.send(
            "POST",
            "http://auth.test/token",
            operation="test.token",
            form=form,
            auth=httpx.BasicAuth("client id", "s3cr&t"),
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
