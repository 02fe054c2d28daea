"""Every mutation of docs/api.md#mutations end to end: patch semantics on every back end,
UNSUPPORTED without an upstream call, payloads read back after the write."""

from __future__ import annotations

import itertools

import pytest

from adapters.model import Backend
from tests.gateway.conftest import Gateway

_serial = itertools.count()

CREATE = """mutation ($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id backend nativeId firstName middleName lastName
    email birthdate gender phones { number type } locale
    addresses { line1 city postalCode countryCode } } } }"""

UPDATE = """mutation ($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) { customer { id firstName middleName lastName email birthdate
    gender phones { number type } locale addresses { line1 city postalCode countryCode } } } }"""


def _create(gateway: Gateway, backend: str, **fields: object) -> dict:
    n = next(_serial)
    base: dict[str, object] = {
        "backend": backend,
        "firstName": "Zoe",
        "lastName": f"Patchtest{n}",
        "email": f"zoe.patchtest{n}@example.com",
        "birthdate": "1990-03-12",
        "gender": "FEMALE",
        "phones": [{"number": f"+3362345{n:04d}", "type": "MOBILE"}],
        "address": {
            "line1": "1 Rue de Rivoli",
            "city": "Paris",
            "postalCode": "75001",
            "countryCode": "FR",
        },
        # CareCloud holds a language only, and refuses a region rather than drop it.
        "locale": "fr" if backend == "CARECLOUD" else "fr-FR",
    }
    base.update(fields)
    body = gateway.query(CREATE, {"input": base})
    assert "errors" not in body, body
    return body["data"]["createCustomer"]["customer"]


@pytest.mark.parametrize("backend", ["CLUBMED", "CARECLOUD"])
def test_create_then_find_by_search(gateway: Gateway, backend: str) -> None:
    created = _create(gateway, backend)
    assert created["backend"] == backend
    assert created["firstName"] == "Zoe" and created["birthdate"] == "1990-03-12"
    assert created["email"].lower().startswith("zoe.patchtest")
    found = gateway.query(
        "query ($last: String!) { customers(filter: {lastName: $last}) { edges { node { id } } } }",
        {"last": created["lastName"]},
    )
    assert [e["node"]["id"] for e in found["data"]["customers"]["edges"]] == [created["id"]]


def test_create_on_relay_needs_the_callers_ccid(gateway: Gateway) -> None:
    ccid = f"GW-TEST-{next(_serial)}"
    created = _create(
        gateway,
        "RELAY",
        nativeId=ccid,
        email=None,  # Relay holds no email: refused below
        phones=[{"number": "6105550100", "type": "MOBILE"}],
        locale=None,
        address={
            "line1": "201 King of Prussia Road",
            "city": "Radnor",
            "postalCode": "19087",
            "region": "PA",
            "countryCode": "US",
        },
    )
    assert created["nativeId"] == ccid and created["lastName"].startswith("Patchtest")
    again = gateway.query(
        CREATE, {"input": {"backend": "RELAY", "nativeId": ccid, "firstName": "A", "lastName": "B"}}
    )
    assert again["errors"][0]["extensions"] == {"code": "CONFLICT", "backend": "RELAY"}
    missing = gateway.query(
        CREATE, {"input": {"backend": "RELAY", "firstName": "A", "lastName": "B"}}
    )
    assert missing["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    gateway.reset()
    with_email = gateway.query(
        CREATE,
        {
            "input": {
                "backend": "RELAY",
                "nativeId": f"{ccid}-2",
                "firstName": "A",
                "lastName": "B",
                "email": "a.b@example.com",
            }
        },
    )
    assert with_email["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "backend": "RELAY",
        "field": "email",
    }
    assert gateway.calls(Backend.RELAY) == {}  # refused before anything was sent


def test_create_refuses_a_native_id_where_the_back_end_assigns_it(gateway: Gateway) -> None:
    body = gateway.query(
        CREATE,
        {"input": {"backend": "CLUBMED", "nativeId": "1", "firstName": "A", "lastName": "B"}},
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert gateway.calls(Backend.CLUBMED) == {}


@pytest.mark.parametrize("backend", ["CLUBMED", "CARECLOUD"])
def test_update_left_out_keeps_and_null_clears(gateway: Gateway, backend: str) -> None:
    created = _create(gateway, backend)
    body = gateway.query(
        UPDATE, {"input": {"id": created["id"], "firstName": "Zoey", "birthdate": None}}
    )
    assert "errors" not in body, body
    updated = body["data"]["updateCustomer"]["customer"]
    assert updated["firstName"] == "Zoey"
    assert updated["birthdate"] is None
    # Everything left out is as it was.
    for field in ("lastName", "email", "gender", "phones", "addresses"):
        assert updated[field] == created[field], field
    reread = gateway.query(
        "query ($id: ID!) { customer(id: $id) { firstName birthdate lastName } }",
        {"id": created["id"]},
    )
    assert reread["data"]["customer"] == {
        "firstName": "Zoey",
        "birthdate": None,
        "lastName": created["lastName"],
    }


def test_update_on_relay_is_unsupported_and_sends_nothing(gateway: Gateway) -> None:
    from gateway.ids import encode_id

    body = gateway.query(
        UPDATE,
        {"input": {"id": encode_id("Customer", Backend.RELAY, "BAK-11984-007"), "firstName": "X"}},
    )
    assert body["errors"][0]["extensions"]["code"] == "UNSUPPORTED"
    assert gateway.calls(Backend.RELAY) == {}


def test_add_traveler_on_club_med_and_unsupported_on_carecloud(gateway: Gateway) -> None:
    created = _create(gateway, "CLUBMED")
    body = gateway.query(
        """mutation ($id: ID!) { addTraveler(input: {customerId: $id, firstName: "Jane",
        lastName: "Doe", birthdate: "1990-03-12"}) { traveler { id nativeId firstName birthdate } } }""",
        {"id": created["id"]},
    )
    assert "errors" not in body, body
    traveler = body["data"]["addTraveler"]["traveler"]
    assert (traveler["firstName"], traveler["birthdate"]) == ("Jane", "1990-03-12")
    listed = gateway.query(
        "query ($id: ID!) { customer(id: $id) { travelers { id } } }", {"id": created["id"]}
    )
    assert traveler["id"] in [t["id"] for t in listed["data"]["customer"]["travelers"]]
    carecloud = _create(gateway, "CARECLOUD")
    gateway.reset()
    refused = gateway.query(
        'mutation ($id: ID!) { addTraveler(input: {customerId: $id, firstName: "J", lastName: "D"}) { traveler { id } } }',
        {"id": carecloud["id"]},
    )
    assert refused["errors"][0]["extensions"]["code"] == "UNSUPPORTED"
    assert gateway.calls(Backend.CARECLOUD) == {}


def test_update_travel_documents_on_club_med(gateway: Gateway) -> None:
    created = _create(gateway, "CLUBMED")
    body = gateway.query(
        """mutation ($id: ID!) { updateTravelDocuments(input: {customerId: $id, documents: [
          {type: PASSPORT, number: "XX123456", expirationDate: "2030-07-01", issuingCountry: "FR"}]})
          { travelDocuments { id type number expirationDate issuingCountry } } }""",
        {"id": created["id"]},
    )
    assert "errors" not in body, body
    [passport] = body["data"]["updateTravelDocuments"]["travelDocuments"]
    assert passport["number"] == "XX123456" and passport["expirationDate"] == "2030-07-01"
    patched = gateway.query(
        """mutation ($id: ID!, $doc: ID!) { updateTravelDocuments(input: {customerId: $id,
          documents: [{id: $doc, expirationDate: "2031-01-31"}]}) { travelDocuments { number expirationDate issuingCountry } } }""",
        {"id": created["id"], "doc": passport["id"]},
    )
    assert "errors" not in patched, patched
    assert patched["data"]["updateTravelDocuments"]["travelDocuments"] == [
        {"number": "XX123456", "expirationDate": "2031-01-31", "issuingCountry": "FR"}
    ]
