"""The Club Med sandbox's app: requests counted per route, its OpenAPI document, unknown routes
and methods in its error body, and what it imports."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import RunningSandbox
from tests.sandboxes.clubmed.conftest import (
    SEED_ID,
    api_client,
)


@pytest.fixture
def api(clubmed_sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with api_client(clubmed_sandbox) as http:
        yield http


def test_requests_are_counted_per_route_template(
    clubmed_sandbox: RunningSandbox, api: httpx.Client
) -> None:
    clubmed_sandbox.app.counter.reset()
    api.get(f"/v2/customers/{SEED_ID}/profile")
    api.get("/v2/customers/200000003/profile")
    api.get("/v1/customers", params={"filter": "last_name==Smith"})
    api.patch("/v1/customers/abc/profile", json={})
    assert clubmed_sandbox.app.counter.snapshot() == {
        "GET /v2/customers/{customer_id}/profile": 2,
        "GET /v1/customers": 1,
        "PATCH /v1/customers/{customer_id}/profile": 1,
    }


def test_openapi_document_lists_the_simulated_routes(clubmed_sandbox: RunningSandbox) -> None:
    response = httpx.get(f"{clubmed_sandbox.url}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.0")
    paths = document["paths"]
    assert set(paths) == {
        "/v1/customers",
        "/v2/customers/{customer_id}/profile",
        "/v1/customers/{customer_id}/profile",
        "/v1/customers/{customer_id}/travelers",
        "/v1/customers/{customer_id}/travel_documents",
    }
    assert set(paths["/v1/customers"]["get"]["responses"]) == {"200", "206", "400", "401", "500"}
    assert set(paths["/v1/customers"]["post"]["responses"]) == {"201", "400", "401", "500"}
    assert "204" in paths["/v1/customers/{customer_id}/profile"]["patch"]["responses"]
    assert "200" in paths["/v1/customers/{customer_id}/travelers"]["post"]["responses"]
    names = {p["name"] for p in paths["/v1/customers"]["get"]["parameters"]}
    assert names == {"filter", "limit", "page", "offer_code"}


def test_unknown_routes_and_methods_use_the_error_body(api: httpx.Client) -> None:
    missing = api.get("/v1/nothing")
    assert missing.status_code == 404
    assert missing.json()["code"] == "NOT_FOUND"
    wrong_method = api.delete(f"/v1/customers/{SEED_ID}/profile")
    assert wrong_method.status_code == 405


PROBE = """
import importlib, json, sys
importlib.import_module("sandboxes.clubmed.app")
print(json.dumps(sorted(sys.modules)))
"""


def test_the_sandbox_imports_neither_the_adapter_nor_the_gateway() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout))
    forbidden = {f"adapters.clubmed.{m}" for m in ("client", "auth", "mapping", "adapter")}
    assert not loaded & forbidden
    assert not {m for m in loaded if m.split(".")[0] in ("gateway", "strawberry")}


def test_counters_name_the_travel_routes(
    clubmed_sandbox: RunningSandbox, api: httpx.Client
) -> None:
    clubmed_sandbox.app.counter.reset()
    api.get(f"/v1/customers/{SEED_ID}/travelers")
    api.get(f"/v1/customers/{SEED_ID}/travel_documents")
    api.patch("/v1/customers/999999999/travel_documents", json={})
    assert clubmed_sandbox.app.counter.snapshot() == {
        "GET /v1/customers/{customer_id}/travelers": 1,
        "GET /v1/customers/{customer_id}/travel_documents": 1,
        "PATCH /v1/customers/{customer_id}/travel_documents": 1,
    }
