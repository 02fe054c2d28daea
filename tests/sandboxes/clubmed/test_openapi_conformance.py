"""The Club Med sandbox answers as its OpenAPI document says: every operation called with a
realistic request, every answer (and every accepted request) validated against the document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandboxes import FaultSettings, credentials
from tests.conftest import RunningSandbox
from tests.sandboxes.clubmed.conftest import PARTNER, SEED_ID, token, unique
from tests.sandboxes.openapi_conformance import Conformance

# Generated customers read in full: enough for every kind (CPF, ID_NUMBER or no identity,
# companions with and without a phone or an address, a passport or none).
SWEEP = 40


@pytest.fixture
def conformance(clubmed_sandbox: RunningSandbox) -> Conformance:
    return Conformance(httpx.get(f"{clubmed_sandbox.url}/openapi.json").json())


@pytest.fixture
def api(clubmed_sandbox: RunningSandbox, conformance: Conformance) -> Iterator[httpx.Client]:
    headers = {
        "authorization": f"Bearer {token(clubmed_sandbox.url)}",
        "x-api-key": credentials.CLUBMED_API_KEY,
        "accept-language": "fr-FR",
    }
    with conformance.client(clubmed_sandbox.url, headers=headers) as http:
        yield http


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def _generated_ids(sandbox: RunningSandbox) -> list[str]:
    store = sandbox.app.state.store
    return [store.record(slot)["id"] for slot in range(SWEEP)]


def _new_customer(api: httpx.Client, last_name: str) -> str:
    body = {
        "email": f"{unique('openapi.')}@example.com",
        "identity": {
            "first_name": unique("Ana"),
            "last_name": last_name,
            "second_name": "Maria",
            "birthdate": "19870625",
            "gender": "F",
            "civility": "MRS",
        },
        "phones": [{"number": "+55 11 91234 5678", "type": "MOBILE"}],
        "address": {
            "number": "12",
            "street": "Rua Augusta",
            "city": "São Paulo",
            "zip_code": "01305-000",
            "country_code": "BR",
        },
        "locale": "pt-BR",
        "birth_city": "Santos",
        "identity_number": {"number": "529.982.247-25", "type": "CPF"},
    }
    created = _ok(api.post("/v1/customers", params={"force_address": "false"}, json=body), 201)
    return str(created["id"])


def test_every_operation_answers_as_documented(
    clubmed_sandbox: RunningSandbox, conformance: Conformance, api: httpx.Client
) -> None:
    last_name = unique("Schema")
    customer_id = _new_customer(api, last_name)
    _new_customer(api, last_name)
    # searchCustomers: every match (200), one page of them (206), past the end (206).
    search = {"filter": f'last_name=="{last_name}"', "offer_code": "SUMMER-26"}
    assert len(_ok(api.get("/v1/customers", params=search))) == 2
    assert len(_ok(api.get("/v1/customers", params={**search, "limit": 1}), 206)) == 1
    past = api.get("/v1/customers", params={**search, "limit": 1, "page": 3})
    assert past.status_code == 206 and past.json() == []
    _ok(api.get("/v1/customers", params={"filter": 'gm_number=="123456789"'}))

    profile = f"/v2/customers/{customer_id}/profile"
    _ok(api.get(profile))
    _ok(api.get(profile, params={"date_format": "Y-m-d"}))
    patch = {
        "second_name": None,
        "third_name": "Clara",
        "civility": "MS",
        "birth_country_code": "BR",
        "phones": [
            {"number": "0612345678", "type": "HOME"},
            {"number": "0712345678", "type": "FAX"},
        ],
        "address": {"street": "Avenida Paulista", "add_on": "apto 12"},
        "identity": None,
        "locale": "pt-BR",
    }
    _ok(api.patch(f"/v1/customers/{customer_id}/profile", json=patch), 204)
    assert _ok(api.get(profile))["identity"] is None
    _ok(
        api.patch(f"/v1/customers/{customer_id}/profile", json={"address": None, "email": None}),
        204,
    )
    assert _ok(api.get(profile))["address"] is None

    travelers = f"/v1/customers/{customer_id}/travelers"
    assert _ok(api.get(travelers)) == []
    companion = {
        "first_name": "Lia",
        "last_name": "Schema",
        "birthdate": "2015-03-12",
        "civility": "MRS",
        "email": f"{unique('lia.')}@example.com",
        "phones": [{"number": "0698765432", "type": "MOBILE"}],
        "address": {"city": "Santos", "zip_code": "11010-000", "country_code": "BR"},
        "identity": {"number": "BR1234567", "type": "ID_NUMBER"},
    }
    _ok(api.post(travelers, json=companion))
    _ok(api.post(travelers, json={"first_name": "Rui", "last_name": "Schema"}))
    assert len(_ok(api.get(travelers))) == 2

    documents = f"/v1/customers/{customer_id}/travel_documents"
    _ok(api.get(documents))
    change = {
        "passport": {
            "document_number": "FX1234567",
            "issuing_country": "BR",
            "nationality": "BR",
            "expiration_date": "20310101",
        },
        "id_card": {"document_number": "RG1234567"},
        "driving_licence": None,
        "visas": [
            {"document_number": "VISA12345", "issuing_country": "US", "expiration_date": "20290630"}
        ],
    }
    _ok(api.patch(documents, json=change), 204)
    _ok(api.patch(documents, json={"passport": {"nationality": None}, "visas": None}), 204)
    read = _ok(api.get(documents))
    assert read["passport"]["nationality"] is None and read["id_card"]["issuing_country"] is None

    # The seed (whose traveler shows three keys) and generated people of every kind.
    for customer in [SEED_ID, *_generated_ids(clubmed_sandbox)]:
        _ok(api.get(f"/v2/customers/{customer}/profile"))
        _ok(api.get(f"/v1/customers/{customer}/travelers"))
        _ok(api.get(f"/v1/customers/{customer}/travel_documents"))
    _ok(api.get(f"/v2/customers/{SEED_ID}/profile", params={"date_format": "Y-m-d"}))

    assert conformance.exercised == conformance.operation_ids


def test_error_answers_are_documented(
    clubmed_sandbox: RunningSandbox, conformance: Conformance, api: httpx.Client
) -> None:
    assert api.get("/v1/customers", params={"filter": "name~Smith"}).status_code == 400
    assert api.get("/v2/customers/999999999/profile").status_code == 404
    assert api.get("/v2/customers/12ab/profile").status_code == 400
    assert api.post("/v1/customers", json={"identity": {"first_name": "No"}}).status_code == 400
    assert (
        api.patch(f"/v1/customers/{SEED_ID}/profile", json={"first_name": None}).status_code == 400
    )
    assert (
        api.post("/v1/customers", headers={"authorization": "Bearer nope"}, json={}).status_code
        == 401
    )
    partner = {"authorization": f"Bearer {token(clubmed_sandbox.url, PARTNER)}"}
    assert api.get(f"/v1/customers/{SEED_ID}/travelers", headers=partner).status_code == 403
    clubmed_sandbox.app.faults.settings = FaultSettings(error_rate=1.0)
    assert api.get(f"/v1/customers/{SEED_ID}/travel_documents").status_code == 500
    assert conformance.exercised == set()
