"""Contract tests of the travel-document routes of the Club Med sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandboxes.common.people import person
from tests.conftest import TEST_SANDBOX_CONFIG, RunningSandbox
from tests.sandboxes.clubmed.conftest import SEED_ID, api_client, create_customer


@pytest.fixture
def api(clubmed_sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with api_client(clubmed_sandbox) as http:
        yield http


@pytest.fixture
def customer(api: httpx.Client) -> str:
    return str(create_customer(api)["id"])


PASSPORT = {
    "document_number": "AB123456",
    "issuing_country": "FR",
    "nationality": "FR",
    "expiration_date": "20310101",
}


NO_DOCUMENTS: dict[str, object] = {
    "passport": None,
    "id_card": None,
    "driving_licence": None,
    "visas": [],
}


def _documents(api: httpx.Client, customer_id: str) -> dict[str, Any]:
    response = api.get(f"/v1/customers/{customer_id}/travel_documents")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _patch_documents(api: httpx.Client, customer_id: str, body: Any) -> httpx.Response:
    return api.patch(f"/v1/customers/{customer_id}/travel_documents", json=body)


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
