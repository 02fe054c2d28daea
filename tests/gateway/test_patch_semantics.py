"""Patch semantics reach inside nested inputs, and nothing is overwritten that was not named.

An address in updateCustomer is patched key by key (left out keeps, null clears), on every
back end that updates; a travel document sent without id adds one, and where Club Med holds
one document of a kind, replacing it needs its id (issue 13).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from adapters.model import Backend
from tests.gateway.conftest import Gateway

_serial = itertools.count()

CREATE = """mutation ($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id } } }"""
UPDATE = """mutation ($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) { customer { id } } }"""
ADDRESSES = """query ($id: ID!) { customer(id: $id) {
  addresses { line1 line2 line3 city postalCode region countryCode } } }"""
DOCUMENTS = """mutation ($input: UpdateTravelDocumentsInput!) {
  updateTravelDocuments(input: $input) {
    travelDocuments { id type number expirationDate issuingCountry } } }"""
READ_DOCUMENTS = """query ($id: ID!) { customer(id: $id) {
  travelDocuments { id type number expirationDate issuingCountry } } }"""

FULL_ADDRESS: dict[str, dict[str, str | None]] = {
    "CLUBMED": {
        "line1": "1 Rue de Rivoli",
        "line2": "Bâtiment B",
        "line3": "3e étage",
        "city": "Paris",
        "postalCode": "75001",
        "region": "IDF",
        "countryCode": "FR",
    },
    # CareCloud holds no region (refused on write).
    "CARECLOUD": {
        "line1": "Národní",
        "line2": "12",
        "line3": "3",
        "city": "Praha",
        "postalCode": "11000",
        "region": None,
        "countryCode": "CZ",
    },
}


def _create(gateway: Gateway, backend: str) -> str:
    n = next(_serial)
    address = {k: v for k, v in FULL_ADDRESS[backend].items() if v is not None}
    body = gateway.query(
        CREATE,
        {
            "input": {
                "backend": backend,
                "firstName": "Ada",
                "lastName": f"Patchsemantics{n}",
                "email": f"ada.patchsemantics{n}@example.com",
                "address": address,
            }
        },
    )
    assert "errors" not in body, body
    customer_id: str = body["data"]["createCustomer"]["customer"]["id"]
    assert _addresses(gateway, customer_id) == [FULL_ADDRESS[backend]]
    return customer_id


def _addresses(gateway: Gateway, customer_id: str) -> list[dict[str, Any]]:
    body = gateway.query(ADDRESSES, {"id": customer_id})
    assert "errors" not in body, body
    addresses: list[dict[str, Any]] = body["data"]["customer"]["addresses"]
    return addresses


def _update_address(gateway: Gateway, customer_id: str, address: object) -> None:
    body = gateway.query(UPDATE, {"input": {"id": customer_id, "address": address}})
    assert "errors" not in body, body


@pytest.mark.parametrize("backend", ["CLUBMED", "CARECLOUD"])
def test_a_partial_address_changes_only_the_keys_it_names(gateway: Gateway, backend: str) -> None:
    customer_id = _create(gateway, backend)
    _update_address(gateway, customer_id, {"city": "Lyon"})
    assert _addresses(gateway, customer_id) == [FULL_ADDRESS[backend] | {"city": "Lyon"}]


@pytest.mark.parametrize("backend", ["CLUBMED", "CARECLOUD"])
def test_a_null_address_key_clears_only_that_key(gateway: Gateway, backend: str) -> None:
    customer_id = _create(gateway, backend)
    _update_address(gateway, customer_id, {"line2": None})
    assert _addresses(gateway, customer_id) == [FULL_ADDRESS[backend] | {"line2": None}]


@pytest.mark.parametrize("backend", ["CLUBMED", "CARECLOUD"])
def test_a_null_address_clears_the_whole_address(gateway: Gateway, backend: str) -> None:
    customer_id = _create(gateway, backend)
    _update_address(gateway, customer_id, None)
    assert _addresses(gateway, customer_id) == []


def test_a_new_line1_on_club_med_is_the_whole_street(gateway: Gateway) -> None:
    customer_id = _create(gateway, "CLUBMED")
    _update_address(gateway, customer_id, {"line1": "12 Rue de la Paix"})
    expected = FULL_ADDRESS["CLUBMED"] | {"line1": "12 Rue de la Paix"}
    assert _addresses(gateway, customer_id) == [expected]


# --- travel documents ---------------------------------------------------------------------

PASSPORT = {
    "type": "PASSPORT",
    "number": "XX123456",
    "expirationDate": "2030-07-01",
    "issuingCountry": "FR",
}


def _documents(gateway: Gateway, customer_id: str, documents: list[dict[str, Any]]) -> Any:
    return gateway.query(DOCUMENTS, {"input": {"customerId": customer_id, "documents": documents}})


def _with_passport(gateway: Gateway) -> tuple[str, dict[str, Any]]:
    customer_id = _create(gateway, "CLUBMED")
    body = _documents(gateway, customer_id, [PASSPORT])
    assert "errors" not in body, body
    [passport] = body["data"]["updateTravelDocuments"]["travelDocuments"]
    return customer_id, passport


def test_a_second_passport_without_id_is_a_conflict_naming_the_first(gateway: Gateway) -> None:
    customer_id, passport = _with_passport(gateway)
    gateway.reset_counters()
    other = PASSPORT | {"number": "YY987654", "issuingCountry": "BE"}
    body = _documents(gateway, customer_id, [other])
    [error] = body["errors"]
    assert error["extensions"] == {
        "code": "CONFLICT",
        "backend": "CLUBMED",
        "field": "documents",
        "existingId": passport["id"],
    }
    assert not any(route.startswith("PATCH") for route in gateway.calls(Backend.CLUBMED))
    reread = gateway.query(READ_DOCUMENTS, {"id": customer_id})
    assert reread["data"]["customer"]["travelDocuments"] == [passport]
    replaced = _documents(gateway, customer_id, [other | {"id": passport["id"]}])
    assert "errors" not in replaced, replaced
    assert replaced["data"]["updateTravelDocuments"]["travelDocuments"] == [
        {**other, "id": passport["id"]}
    ]


def test_two_new_passports_in_one_request_are_refused(gateway: Gateway) -> None:
    customer_id = _create(gateway, "CLUBMED")
    gateway.reset_counters()
    body = _documents(gateway, customer_id, [PASSPORT, PASSPORT | {"number": "YY987654"}])
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "documents"
    assert gateway.calls(Backend.CLUBMED) == {}


def test_a_new_visa_without_id_is_added_beside_the_others(gateway: Gateway) -> None:
    customer_id, passport = _with_passport(gateway)
    visa = {"type": "VISA", "number": "VISA00001", "expirationDate": "2027-01-31"}
    first = _documents(gateway, customer_id, [visa])
    assert "errors" not in first, first
    second = _documents(gateway, customer_id, [visa | {"number": "VISA00002"}])
    assert "errors" not in second, second
    found = second["data"]["updateTravelDocuments"]["travelDocuments"]
    assert [(d["type"], d["number"]) for d in found] == [
        ("PASSPORT", "XX123456"),
        ("VISA", "VISA00001"),
        ("VISA", "VISA00002"),
    ]
