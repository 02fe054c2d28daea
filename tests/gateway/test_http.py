"""The HTTP surface: GraphQL over HTTP conventions, GraphiQL, health and readiness."""

from __future__ import annotations

import os
import socket
from typing import NoReturn

import httpx

from adapters.model import Backend
from gateway.app import create_app
from gateway.state import gateway_state
from sandboxes.common.server import BackgroundServer
from tests.conftest import CAPTURED_LOGS
from tests.gateway.conftest import Gateway, gateway_settings, token

GRAPHQL_RESPONSE = "application/graphql-response+json"


def test_get_runs_a_query(gateway: Gateway) -> None:
    response = gateway.http.get(
        "/graphql",
        params={
            "query": '{ customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") { lastName } }'
        },
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"customerByNativeId": {"lastName": "Moore"}}}


def test_get_refuses_a_mutation_without_sending_anything(gateway: Gateway) -> None:
    response = gateway.http.get(
        "/graphql",
        params={
            "query": 'mutation { createCustomer(input: {backend: CLUBMED, firstName: "A", lastName: "B"}) { customer { id } } }'
        },
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert all(not gateway.calls(b) for b in gateway.sandboxes)


def test_graphql_response_json_gives_400_for_a_request_error(gateway: Gateway) -> None:
    response = gateway.http.post(
        "/graphql", json={"query": "{ nope }"}, headers={"accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_graphql_response_json_keeps_200_for_field_errors(gateway: Gateway) -> None:
    response = gateway.http.post(
        "/graphql",
        json={"query": '{ customer(id: "bad") { id } }'},
        headers={"accept": f"{GRAPHQL_RESPONSE}, application/json;q=0.9"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert response.json()["data"] == {"customer": None}


def test_plain_json_also_gives_400_for_a_request_error(gateway: Gateway) -> None:
    response = gateway.http.post(
        "/graphql", json={"query": "{ nope }"}, headers={"accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_refusals_are_json_graphql_errors(gateway: Gateway) -> None:
    malformed = gateway.http.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400
    assert malformed.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    wrong_method = gateway.http.put("/graphql", json={"query": "{ __typename }"})
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "GET, POST"
    assert wrong_method.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_graphiql_in_a_browser(gateway: Gateway) -> None:
    response = gateway.http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_health_and_readiness(gateway: Gateway) -> None:
    assert gateway.http.get("/healthz").json() == {"status": "ok"}
    ready = gateway.http.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {
        "status": "ready",
        "replica": f"{socket.gethostname()}:{os.getpid()}",  # the app runs in this process
        "backends": {"CLUBMED": "ok", "CARECLOUD": "ok", "RELAY": "ok"},
        "breakers": {"CLUBMED": "closed", "CARECLOUD": "closed", "RELAY": "closed"},
        "redis": "off",
    }


def test_request_id_is_echoed(gateway: Gateway) -> None:
    response = gateway.http.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"x-request-id": "abc123"}
    )
    assert response.headers["x-request-id"] == "abc123"


def test_an_unexpected_exception_is_internal_with_a_request_id(gateway: Gateway) -> None:
    """A gateway bug: INTERNAL and the request id, no message, no trace; the logs have the
    frames under that id, never the exception's message (it may hold a personal value)."""
    app = create_app(gateway_settings(gateway.sandboxes))
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url) as http:
        secret = " ".join(("Roger", "Moore", "1954-12-01"))  # not in any source line

        async def broken(native_id: str) -> NoReturn:
            raise RuntimeError(secret)

        gateway_state(app).adapters[Backend.RELAY].get_customer = broken  # type: ignore[method-assign]
        response = http.post(
            "/graphql",
            json={
                "query": '{ customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") { lastName } }'
            },
            headers={"authorization": f"Bearer {token()}", "x-request-id": "req-internal-1"},
        )
        forged = http.post(
            "/graphql",
            json={"query": "{ __typename }"},
            headers={
                "authorization": f"Bearer {token()}",
                "x-request-id": 'forged log line" level="error',
            },
        )
    [error] = response.json()["errors"]
    assert error["message"] == "internal error"
    assert error["extensions"] == {"code": "INTERNAL", "requestId": "req-internal-1"}
    assert "Roger" not in response.text and "Traceback" not in response.text
    logs = "\n".join(CAPTURED_LOGS.lines)
    assert "req-internal-1" in logs and "RuntimeError" in logs
    assert "Roger Moore" not in logs
    assert (
        forged.headers["x-request-id"] != 'forged log line" level="error'
        and "forged log line" not in logs
    )
