"""The three sandboxes' OpenAPI documents, as served at /openapi.json: valid OpenAPI 3.0, one
camelCase operationId per operation, a component schema for every success and request body,
the operations the sandbox serves and no other. Each sandbox's conformance test
(`<backend>/test_openapi_conformance.py`) checks its real answers against its document; the
last tests here check that checker."""

from __future__ import annotations

import copy
import re
from typing import Any

import httpx
import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator, validate
from starlette.routing import Route

from adapters.model import Backend
from tests.conftest import RunningSandbox
from tests.sandboxes.openapi_conformance import Conformance, operations
from tests.sandboxes.relay.conftest import KEY, SEED_CCID, customer_url

CAMEL_CASE = re.compile(r"^[a-z]+(?:[A-Z][a-z0-9]*)*$")
# Served, not operations: the document itself, the sandbox's knobs, and Club Med's token
# endpoint (its OAuth2 scheme's tokenUrl: it stands for the auth host).
NOT_OPERATIONS = ("/openapi.json", "/_sandbox/")
TOKEN_URL = {Backend.CLUBMED: "/token"}


@pytest.fixture(params=list(Backend), ids=lambda backend: backend.value)
def sandbox(request: pytest.FixtureRequest) -> RunningSandbox:
    backend: Backend = request.param
    running: RunningSandbox = request.getfixturevalue(f"{backend.value}_sandbox")
    return running


def _document(sandbox: RunningSandbox) -> dict[str, Any]:
    response = httpx.get(f"{sandbox.url}/openapi.json")  # no credentials needed
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


def test_the_document_is_valid_openapi_3_0(sandbox: RunningSandbox) -> None:
    document = _document(sandbox)
    assert document["openapi"].startswith("3.0.")
    validate(document, cls=OpenAPIV30SpecValidator)


def test_every_operation_has_a_unique_camel_case_operation_id(sandbox: RunningSandbox) -> None:
    ids = [str(op.spec.get("operationId")) for op in operations(_document(sandbox))]
    assert all(CAMEL_CASE.match(i) for i in ids), ids
    assert len(set(ids)) == len(ids), sorted(i for i in ids if ids.count(i) > 1)


def test_every_success_and_request_body_has_a_component_schema(sandbox: RunningSandbox) -> None:
    document = _document(sandbox)
    bodies: list[tuple[str, dict[str, Any]]] = []
    for op in operations(document):
        for status, answer in op.spec["responses"].items():
            if not status.startswith("2"):
                continue
            if status == "204":
                assert "content" not in answer, op.operation_id
                continue
            assert set(answer.get("content", {})) == {"application/json"}, op.operation_id
            bodies.append((f"{op.operation_id} {status}", answer["content"]["application/json"]))
        if "requestBody" in op.spec:
            assert op.spec["requestBody"]["required"] is True
            body = op.spec["requestBody"]["content"]["application/json"]
            bodies.append((f"{op.operation_id} request", body))
    assert bodies
    for where, media in bodies:
        schema = media["schema"]
        named = schema["items"] if schema.get("type") == "array" else schema
        assert "$ref" in named, f"{where}: not a component"
        target = _resolve(document, named)
        assert target.get("properties") or target.get("items"), f"{where}: no fields"


def test_the_documented_operations_are_the_served_routes(sandbox: RunningSandbox) -> None:
    skipped = (*NOT_OPERATIONS, TOKEN_URL.get(sandbox.app.backend, NOT_OPERATIONS[0]))
    served = {
        (method.lower(), route.path)
        for route in sandbox.app.app.router.routes
        if isinstance(route, Route) and not route.path.startswith(skipped)
        for method in route.methods or ()
        if method != "HEAD"
    }
    documented = {(op.method, op.template) for op in operations(_document(sandbox))}
    assert documented == served


def test_a_field_the_document_does_not_list_fails_the_conformance_check(
    relay_sandbox: RunningSandbox,
) -> None:
    document = _document(relay_sandbox)
    del document["components"]["schemas"]["Customer"]["properties"]["ssn_last4"]
    with (
        Conformance(document).client(relay_sandbox.url, headers=KEY) as http,
        pytest.raises(AssertionError, match="'ssn_last4' was unexpected"),
    ):
        http.get(customer_url(SEED_CCID))


def test_a_wrong_schema_or_status_fails_the_conformance_check(
    relay_sandbox: RunningSandbox,
) -> None:
    document = _document(relay_sandbox)
    wrong = copy.deepcopy(document)
    wrong["components"]["schemas"]["Customer"]["properties"]["ccid"] = {"type": "integer"}
    conformance = Conformance(wrong)
    with conformance.client(relay_sandbox.url, headers=KEY) as http:
        with pytest.raises(AssertionError, match="ccid: 'BAK-11984-007' is not of type"):
            http.get(customer_url(SEED_CCID))
        del wrong["paths"]["/cdm/client/{client_id}/customer/{ccid}"]["get"]["responses"]["404"]
        with pytest.raises(AssertionError, match="status 404 is not documented"):
            http.get(customer_url("NO-SUCH-CCID"))
    assert conformance.exercised == set()
