"""Contract tests of the travelers and travel-document routes of the Club Med sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandboxes.common.people import person
from tests.conftest import TEST_SANDBOX_CONFIG, RunningSandbox
from tests.sandboxes.clubmed.conftest import SEED_ID, api_client, create_customer

TRAVELER_KEYS = {
    "id",
    "first_name",
    "last_name",
    "birthdate",
    "civility",
    "email",
    "phones",
    "optins",
    "birth_country_code",
    "identity",
}
NO_DOCUMENTS = {"passport": None, "id_card": None, "driving_licence": None, "visas": []}
PASSPORT = {
    "document_number": "AB123456",
    "issuing_country": "FR",
    "nationality": "FR",
    "expiration_date": "20310101",
}


@pytest.fixture
def api(clubmed_sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with api_client(clubmed_sandbox) as http:
        yield http


@pytest.fixture
def customer(api: httpx.Client) -> str:
    return str(create_customer(api)["id"])


def _travelers(api: httpx.Client, customer_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/v1/customers/{customer_id}/travelers")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def _documents(api: httpx.Client, customer_id: str) -> dict[str, Any]:
    response = api.get(f"/v1/customers/{customer_id}/travel_documents")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _patch_documents(api: httpx.Client, customer_id: str, body: Any) -> httpx.Response:
    return api.patch(f"/v1/customers/{customer_id}/travel_documents", json=body)


# --- travelers ---------------------------------------------------------------------------


def test_the_seed_traveler(api: httpx.Client) -> None:
    travelers = _travelers(api, SEED_ID)
    assert travelers[0]["id"] == "traveler-1"
    assert (travelers[0]["first_name"], travelers[0]["last_name"]) == ("Jane", "Doe")
    assert set(travelers[0]) == TRAVELER_KEYS
    assert travelers[0]["identity"] is None


def test_generated_travelers_are_the_persons_companions(api: httpx.Client) -> None:
    index = next(
        i for i in range(300) if len(person(TEST_SANDBOX_CONFIG.seed, i).companions()) >= 2
    )
    companions = person(TEST_SANDBOX_CONFIG.seed, index).companions()
    travelers = _travelers(api, str(200_000_000 + index))
    assert [(t["id"], t["first_name"], t["last_name"], t["birthdate"]) for t in travelers] == [
        (f"traveler-{n}", c.first_name, c.last_name, c.birthdate.strftime("%Y%m%d"))
        for n, c in enumerate(companions, start=1)
    ]


@pytest.mark.parametrize("birthdate", ["1990-03-12", "19900312"])
def test_create_a_traveler_answers_200_and_reads_back_yyyymmdd(
    api: httpx.Client, customer: str, birthdate: str
) -> None:
    body = {"first_name": "Jane", "last_name": "Doe", "birthdate": birthdate}
    response = api.post(f"/v1/customers/{customer}/travelers", json=body)
    assert response.status_code == 200
    created = response.json()
    assert set(created) == TRAVELER_KEYS
    assert created["id"] == "traveler-1"
    assert (created["first_name"], created["last_name"], created["birthdate"]) == (
        "Jane",
        "Doe",
        "19900312",
    )
    assert _travelers(api, customer) == [created]


def test_a_traveler_without_birthdate(api: httpx.Client, customer: str) -> None:
    response = api.post(
        f"/v1/customers/{customer}/travelers", json={"first_name": "A", "last_name": "B"}
    )
    assert response.status_code == 200
    assert response.json()["birthdate"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"last_name": "Doe"}, "first_name"),
        ({"first_name": "Jane", "last_name": ""}, "last_name"),
        ({"first_name": "Jane", "last_name": "Doe", "birthdate": "12/03/1990"}, "birthdate"),
        ({"first_name": "Jane", "last_name": "Doe", "birthdate": "1990-02-30"}, "birthdate"),
        ({"first_name": "Jane", "last_name": "Doe", "birthdate": "2999-01-01"}, "birthdate"),
        ({"first_name": "Jane", "last_name": "Doe", "email": "j@d.fr"}, "email"),
    ],
)
def test_create_a_traveler_checks_the_body(
    api: httpx.Client, customer: str, body: dict[str, Any], field: str
) -> None:
    response = api.post(f"/v1/customers/{customer}/travelers", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_BODY"
    assert response.json()["field"] == field
    assert _travelers(api, customer) == []


def test_at_most_20_travelers(api: httpx.Client, customer: str) -> None:
    for n in range(20):
        body = {"first_name": f"T{n}", "last_name": "Doe"}
        assert api.post(f"/v1/customers/{customer}/travelers", json=body).status_code == 200
    refused = api.post(
        f"/v1/customers/{customer}/travelers", json={"first_name": "X", "last_name": "Y"}
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "INVALID_BODY"
    travelers = _travelers(api, customer)
    assert len(travelers) == 20
    assert travelers[-1]["id"] == "traveler-20"


def test_travelers_of_unknown_or_malformed_customers(api: httpx.Client) -> None:
    assert api.get("/v1/customers/999999999/travelers").status_code == 404
    assert api.get("/v1/customers/x1/travelers").status_code == 400
    body = {"first_name": "A", "last_name": "B"}
    assert api.post("/v1/customers/999999999/travelers", json=body).status_code == 404


# --- travel documents --------------------------------------------------------------------


def test_the_seed_passport(api: httpx.Client) -> None:
    documents = _documents(api, SEED_ID)
    assert set(documents) == set(NO_DOCUMENTS)
    assert documents["passport"]["document_number"] == "XX123456"
    assert documents["passport"]["expiration_date"] == "20300701"
    assert documents["passport"]["issuing_country"] == "FR"
    assert documents["id_card"] is None
    assert documents["visas"] == []


def test_generated_passports(api: httpx.Client) -> None:
    for index in range(8):
        passport = person(TEST_SANDBOX_CONFIG.seed, index).passport()
        documents = _documents(api, str(200_000_000 + index))
        if passport is None:
            assert documents == NO_DOCUMENTS
        else:
            assert documents["passport"] == {
                "document_number": passport.number,
                "issuing_country": passport.issuing_country,
                "nationality": passport.issuing_country,
                "expiration_date": passport.expiration_date.strftime("%Y%m%d"),
            }


def test_a_new_customer_has_no_documents(api: httpx.Client, customer: str) -> None:
    assert _documents(api, customer) == NO_DOCUMENTS


def test_patch_creates_patches_and_removes_documents(api: httpx.Client, customer: str) -> None:
    response = _patch_documents(api, customer, {"passport": PASSPORT})
    assert response.status_code == 204
    assert response.content == b""
    assert _documents(api, customer) == {**NO_DOCUMENTS, "passport": PASSPORT}
    id_card = {"document_number": "IDFR12345", "issuing_country": "FR"}
    patch = {"passport": {"expiration_date": "20350505", "nationality": None}, "id_card": id_card}
    assert _patch_documents(api, customer, patch).status_code == 204
    documents = _documents(api, customer)
    assert documents["passport"] == {**PASSPORT, "expiration_date": "20350505", "nationality": None}
    assert documents["id_card"] == {**id_card, "nationality": None, "expiration_date": None}
    assert _patch_documents(api, customer, {"passport": None}).status_code == 204
    documents = _documents(api, customer)
    assert documents["passport"] is None
    assert documents["id_card"]["document_number"] == "IDFR12345"  # left out: unchanged


def test_patch_replaces_the_visas(api: httpx.Client, customer: str) -> None:
    visas = [
        {"document_number": "VISA00001", "issuing_country": "US", "expiration_date": "20290101"},
        {"document_number": "VISA00002", "issuing_country": "CN"},
    ]
    assert _patch_documents(api, customer, {"visas": visas}).status_code == 204
    stored = _documents(api, customer)["visas"]
    assert [v["document_number"] for v in stored] == ["VISA00001", "VISA00002"]
    assert stored[1]["expiration_date"] is None
    assert _patch_documents(api, customer, {"visas": [visas[1]]}).status_code == 204
    assert [v["document_number"] for v in _documents(api, customer)["visas"]] == ["VISA00002"]
    assert _patch_documents(api, customer, {"visas": []}).status_code == 204
    assert _documents(api, customer)["visas"] == []


def test_driving_licence(api: httpx.Client, customer: str) -> None:
    licence = {
        "document_number": "DL1234567",
        "issuing_country": "GB",
        "expiration_date": "20400101",
    }
    assert _patch_documents(api, customer, {"driving_licence": licence}).status_code == 204
    assert _documents(api, customer)["driving_licence"] == {**licence, "nationality": None}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"passport": {"document_number": "ab12"}}, "passport.document_number"),
        ({"passport": {"document_number": "ab123456"}}, "passport.document_number"),
        ({"passport": {"issuing_country": "FR"}}, "passport.document_number"),
        ({"passport": {**PASSPORT, "issuing_country": "FRA"}}, "passport.issuing_country"),
        ({"passport": {**PASSPORT, "nationality": "fr"}}, "passport.nationality"),
        ({"passport": {**PASSPORT, "expiration_date": "2030-07-01"}}, "passport.expiration_date"),
        ({"passport": {**PASSPORT, "expiration_date": "20301301"}}, "passport.expiration_date"),
        ({"passport": {**PASSPORT, "type": "PASSPORT"}}, "passport.type"),
        ({"passport": "XX123456"}, "passport"),
        ({"visas": [{"issuing_country": "US"}]}, "visas[0].document_number"),
        ({"visas": {"document_number": "VISA00001"}}, "visas"),
        ({"documents": []}, "documents"),
    ],
)
def test_patch_documents_checks_the_body(
    api: httpx.Client, customer: str, body: dict[str, Any], field: str
) -> None:
    response = _patch_documents(api, customer, body)
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_BODY"
    assert response.json()["field"] == field
    assert _documents(api, customer) == NO_DOCUMENTS


def test_a_refused_patch_changes_no_document(api: httpx.Client, customer: str) -> None:
    assert _patch_documents(api, customer, {"passport": PASSPORT}).status_code == 204
    body = {"id_card": {"document_number": "IDFR12345"}, "visas": [{"issuing_country": "US"}]}
    assert _patch_documents(api, customer, body).status_code == 400
    assert _documents(api, customer) == {**NO_DOCUMENTS, "passport": PASSPORT}


def test_clearing_a_document_number_is_400(api: httpx.Client, customer: str) -> None:
    assert _patch_documents(api, customer, {"passport": PASSPORT}).status_code == 204
    response = _patch_documents(api, customer, {"passport": {"document_number": None}})
    assert response.status_code == 400
    assert response.json()["field"] == "passport.document_number"


def test_documents_of_unknown_customers(api: httpx.Client) -> None:
    assert api.get("/v1/customers/999999999/travel_documents").status_code == 404
    assert _patch_documents(api, "999999999", {"visas": []}).status_code == 404
    assert _patch_documents(api, "abc", {"visas": []}).status_code == 400


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
