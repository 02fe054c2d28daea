"""What every sandbox has around its routes, on a toy back end served over loopback HTTP:
its error body for route errors and unrouted requests, the credential middleware, the JSON
body reader, the OpenAPI document, counters and faults."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from adapters.model import Backend
from sandboxes.common.auth import RequireCredentials
from sandboxes.common.errors import SandboxError
from sandboxes.common.instrument import SandboxApp
from sandboxes.common.parameters import json_object
from sandboxes.common.server import BackgroundServer

DOCUMENT = {"openapi": "3.0.3", "paths": {}}


@dataclass(eq=False)
class ToyError(SandboxError):
    """The toy back end's body: {"toy": why}."""

    status: int
    why: str

    def response(self) -> JSONResponse:
        return JSONResponse({"toy": self.why}, status_code=self.status)


def _unrouted(request: Request, exc: HTTPException) -> ToyError:
    return ToyError(exc.status_code, f"unrouted {request.method}")


def _check(method: str, path: str, headers: Mapping[str, str]) -> str:
    if headers.get("x-key") != "open-sesame":
        raise ToyError(401, "no key")
    return "the caller"


async def _echo(request: Request) -> JSONResponse:
    body = await json_object(request, lambda why: ToyError(400, why))
    return JSONResponse({"body": body, "caller": getattr(request.state, "caller", None)})


async def _broken(request: Request) -> JSONResponse:
    raise ToyError(418, "a route's own error")


@pytest.fixture(scope="module")
def toy() -> Iterator[tuple[SandboxApp, str]]:
    sandbox = SandboxApp(
        Backend.RELAY,
        [
            Route("/open/echo", _echo, methods=["POST"]),
            Route("/guarded/echo", _echo, methods=["POST"]),
            Route("/open/broken", _broken, methods=["GET"]),
        ],
        unrouted=_unrouted,
        openapi=lambda: DOCUMENT,
        middleware=[
            Middleware(
                RequireCredentials, guards=lambda path: path.startswith("/guarded/"), caller=_check
            )
        ],
    )
    with BackgroundServer(sandbox) as server:
        yield sandbox, server.url


@pytest.fixture
def http(toy: tuple[SandboxApp, str]) -> Iterator[httpx.Client]:
    sandbox, url = toy
    sandbox.counter.reset()
    sandbox.faults.reset()
    with httpx.Client(base_url=url) as client:
        yield client


def test_a_routes_error_and_an_unrouted_request_answer_in_the_back_ends_body(
    http: httpx.Client,
) -> None:
    broken = http.get("/open/broken")
    assert (broken.status_code, broken.json()) == (418, {"toy": "a route's own error"})
    missing = http.get("/nowhere")
    assert (missing.status_code, missing.json()) == (404, {"toy": "unrouted GET"})
    wrong = http.delete("/open/broken")
    assert (wrong.status_code, wrong.json()) == (405, {"toy": "unrouted DELETE"})
    slash = http.get("/open/broken/")
    assert slash.status_code == 404  # never a redirect to the slash-less twin


def test_the_body_is_a_json_object_or_the_back_ends_400(http: httpx.Client) -> None:
    echoed = http.post("/open/echo", json={"a": 1})
    assert echoed.json() == {"body": {"a": 1}, "caller": None}
    for content, why in (
        (b"{", "The body is not valid JSON"),
        (b"\xff", "The body is not valid JSON"),
        (b"[1]", "The body must be a JSON object"),
    ):
        refused = http.post("/open/echo", content=content)
        assert (refused.status_code, refused.json()) == (400, {"toy": why})


def test_a_guarded_path_needs_credentials_and_the_route_sees_its_caller(
    http: httpx.Client,
) -> None:
    refused = http.post("/guarded/echo", json={})
    assert (refused.status_code, refused.json()) == (401, {"toy": "no key"})
    let_in = http.post("/guarded/echo", json={}, headers={"X-Key": "open-sesame"})
    assert let_in.json() == {"body": {}, "caller": "the caller"}


def test_openapi_counters_and_faults(http: httpx.Client, toy: tuple[SandboxApp, str]) -> None:
    sandbox, _ = toy
    assert http.get("/openapi.json").json() == DOCUMENT
    http.post("/guarded/echo", json={})  # refused, yet it reached the back end: counted
    http.get("/nowhere")
    counted: dict[str, Any] = http.get("/_sandbox/counters").json()
    assert counted == {
        "GET /openapi.json": 1,
        "POST /guarded/echo": 1,
        "GET <unmatched>": 1,
        "GET /_sandbox/counters": 1,
    }
    assert http.put("/_sandbox/faults", json={"error_rate": 1.0}).status_code == 200
    assert http.get("/open/broken").status_code == 500
    assert http.get("/_sandbox/faults").json()["error_rate"] == 1.0  # control routes untouched
    assert http.put("/_sandbox/faults", json={"nope": 1}).status_code == 400
    assert sandbox.faults.settings.error_rate == 1.0
    assert http.delete("/_sandbox/counters").status_code == 204
    assert sandbox.counter.snapshot() == {}
