"""The Relay sandbox's app: injected faults, and an OpenAPI document of the routes it serves."""

from __future__ import annotations

import httpx
from starlette.routing import Route

from sandboxes import FaultSettings
from tests.conftest import RunningSandbox
from tests.sandboxes.relay.conftest import (
    SEED_CCID,
    customer_url,
    load_body,
    load_url,
)


def test_a_server_error_comes_from_the_fault_middleware(
    api: httpx.Client, relay_sandbox: RunningSandbox
) -> None:
    relay_sandbox.app.faults.settings = FaultSettings(error_rate=1.0)
    assert api.get(customer_url(SEED_CCID)).status_code == 500
    assert api.post(load_url(), json=load_body()).status_code == 500


def test_the_openapi_document_lists_the_served_routes(relay_sandbox: RunningSandbox) -> None:
    document = httpx.get(f"{relay_sandbox.url}/openapi.json").json()
    assert document["openapi"].startswith("3.0")
    served = {
        route.path
        for route in relay_sandbox.app.app.routes
        if isinstance(route, Route) and route.path.startswith("/cdm/")
    }
    assert set(document["paths"]) == served
    load = document["paths"]["/cdm/client/{client_id}/load-customer-record"]["post"]
    assert set(load["responses"]) == {"200", "400", "401", "409", "500"}
