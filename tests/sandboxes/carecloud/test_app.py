"""The CareCloud sandbox's app: unknown routes and methods in CareCloud's error body, injected
faults, and an OpenAPI document of every route it serves."""

from __future__ import annotations

import httpx
from starlette.routing import Route

from sandboxes import FaultSettings
from tests.conftest import RunningSandbox
from tests.sandboxes.carecloud.conftest import SEED_ID


def test_unknown_route_is_404_and_wrong_method_405_in_carecloud_body(api: httpx.Client) -> None:
    missing = api.get("/no-such-resource")
    assert missing.status_code == 404
    assert missing.json()["error"]["error_data"]["resource_name"] == "no-such-resource"
    response = api.delete(f"/customers/{SEED_ID}")  # CareCloud has no DELETE of a customer
    assert response.status_code == 405
    assert response.json()["error"]["error_data"] == {"http_method": "DELETE"}


def test_injected_fault_is_a_500(api: httpx.Client, carecloud_sandbox: RunningSandbox) -> None:
    carecloud_sandbox.app.faults.settings = FaultSettings(error_rate=1.0)
    assert api.get("/customers").status_code == 500


def test_openapi_document_lists_every_route_the_sandbox_serves(
    carecloud_sandbox: RunningSandbox,
) -> None:
    response = httpx.get(f"{carecloud_sandbox.url}/openapi.json")  # no credentials needed
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    served: dict[str, set[str]] = {}
    for route in carecloud_sandbox.app.app.router.routes:
        if isinstance(route, Route) and not route.path.startswith(("/_sandbox", "/openapi")):
            served.setdefault(route.path, set()).update(
                m.lower() for m in route.methods or () if m != "HEAD"
            )
    documented = {path: set(ops) for path, ops in document["paths"].items()}
    assert documented == served
    post = document["paths"]["/customers"]["post"]
    assert "201" in post["responses"] and "409" not in post["responses"]
