"""Issue 15: Club Med's identity block ({number, type}) as Customer.identity and
Traveler.identity, end to end over HTTP: read, written on create, update and addTraveler
(patch semantics), refused where a back end cannot hold it, its number behind pii:read
(docs/api.md)."""

from __future__ import annotations

import itertools
from typing import Any

from adapters.model import Backend
from gateway.auth import READ
from sandboxes.common.people import person
from tests.gateway.conftest import GATEWAY_SANDBOX_CONFIG, Gateway, create_customer, token

_serial = itertools.count()

CARECLOUD_SEED = "8ea6abece4cd0a4ded0a29f093"
RELAY_SEED = "BAK-11984-007"
CPF = {"number": "529.982.247-25", "type": "CPF"}


def _create(gateway: Gateway, backend: str, fields: str = "id", **given: object) -> Any:
    return create_customer(gateway, backend, fields, last_name="Ident", **given)


def _update(gateway: Gateway, fields: str, **given: object) -> Any:
    body = gateway.query(
        "mutation ($input: UpdateCustomerInput!) { updateCustomer(input: $input)"
        f" {{ customer {{ {fields} }} }} }}",
        {"input": given},
    )
    return body if "errors" in body else body["data"]["updateCustomer"]["customer"]


def _by_native_id(gateway: Gateway, backend: str, native_id: str, fields: str) -> Any:
    body = gateway.query(
        f'{{ customerByNativeId(backend: {backend}, nativeId: "{native_id}") {{ {fields} }} }}'
    )
    assert "errors" not in body, body
    return body["data"]["customerByNativeId"]


def test_club_med_profiles_carry_the_generators_identity_numbers(gateway: Gateway) -> None:
    seed = _by_native_id(gateway, "CLUBMED", "123456789", "identity { number type }")
    assert seed == {"identity": None}  # the seed's profile shows none
    brazilian = next(
        i for i in range(500) if person(GATEWAY_SANDBOX_CONFIG.seed, i).place.country_code == "BR"
    )
    held = person(GATEWAY_SANDBOX_CONFIG.seed, brazilian).national_id()
    assert held is not None and held.kind == "CPF"
    read = _by_native_id(
        gateway, "CLUBMED", str(200_000_000 + brazilian), "identity { number type }"
    )
    assert read == {"identity": {"number": held.number, "type": "CPF"}}


def test_identity_written_on_create_and_update_with_patch_semantics(gateway: Gateway) -> None:
    fields = "id email phones { number } addresses { city } identity { number type }"
    created = _create(
        gateway,
        "CLUBMED",
        fields,
        email=f"ident{next(_serial)}@example.com",
        phones=[{"number": "0612345678", "type": "MOBILE"}],
        address={"city": "Lyon", "postalCode": "69002", "countryCode": "FR"},
        identity=CPF,
    )
    assert "errors" not in created, created
    assert created["identity"] == CPF
    kept = _update(gateway, fields, id=created["id"], firstName="Adele")
    assert kept == created, "an update that leaves identity out keeps it"
    changed = _update(
        gateway, fields, id=created["id"], identity={"number": "12345678901", "type": "TAX_NUMBER"}
    )
    assert changed["identity"] == {"number": "12345678901", "type": "TAX_NUMBER"}
    assert (changed["email"], changed["phones"], changed["addresses"]) == (
        created["email"],
        created["phones"],
        created["addresses"],
    ), "an identity update does not wipe the contact details"
    cleared = _update(gateway, fields, id=created["id"], identity=None)
    assert cleared["identity"] is None
    assert cleared["email"] == created["email"]


def test_club_med_refuses_an_identity_type_it_does_not_hold_with_nothing_sent(
    gateway: Gateway,
) -> None:
    gateway.reset_counters()
    refused = _create(gateway, "CLUBMED", identity={"number": "X12345", "type": "OTHER"})
    error = refused["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["field"] == "identity.type", error
    assert gateway.calls(Backend.CLUBMED) == {}
    blank = _create(gateway, "CLUBMED", identity={"number": "  ", "type": "CPF"})
    assert blank["errors"][0]["extensions"]["field"] == "identity.number", blank
    assert gateway.calls(Backend.CLUBMED) == {}


def test_club_med_checks_a_cpf_number(gateway: Gateway) -> None:
    refused = _create(gateway, "CLUBMED", identity={"number": "123", "type": "CPF"})
    error = refused["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error


def test_identity_is_refused_by_carecloud_and_relay_with_nothing_sent(gateway: Gateway) -> None:
    gateway.reset_counters()
    for backend, native_id in (("CARECLOUD", None), ("RELAY", "IDENT-REFUSED-1")):
        given = {"nativeId": native_id} if native_id else {}
        refused = _create(gateway, backend, identity=CPF, **given)
        error = refused["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert error["extensions"]["field"] == "identity", error
    assert gateway.calls(Backend.CARECLOUD) == {} and gateway.calls(Backend.RELAY) == {}
    carecloud = _create(gateway, "CARECLOUD")
    gateway.reset_counters()
    body = _update(gateway, "id", id=carecloud["id"], identity=CPF)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    assert body["errors"][0]["extensions"]["field"] == "identity", body
    assert gateway.calls(Backend.CARECLOUD) == {}


def test_carecloud_and_relay_read_identity_null(gateway: Gateway) -> None:
    for backend, native_id in (("CARECLOUD", CARECLOUD_SEED), ("RELAY", RELAY_SEED)):
        read = _by_native_id(gateway, backend, native_id, "identity { type }")
        assert read == {"identity": None}


def test_an_identity_number_needs_pii_read_and_its_type_does_not(gateway: Gateway) -> None:
    created = _create(gateway, "CLUBMED", "id", identity=CPF)
    traveler = gateway.query(
        'mutation ($id: ID!) { addTraveler(input: {customerId: $id, firstName: "J",'
        ' lastName: "D", email: "j.d@example.com",'
        ' identity: {number: "AB1234567", type: ID_NUMBER}}) { traveler { id } } }',
        {"id": created["id"]},
    )
    assert "errors" not in traveler, traveler
    body = gateway.query(
        "query ($id: ID!) { customer(id: $id) { identity { number type }"
        " travelers { email identity { number type } } } }",
        {"id": created["id"]},
        headers={"authorization": f"Bearer {token(READ)}"},
    )
    customer = body["data"]["customer"]
    assert customer["identity"] == {"number": None, "type": "CPF"}
    assert customer["travelers"] == [
        {"email": "j.d@example.com", "identity": {"number": None, "type": "ID_NUMBER"}}
    ]
    paths = sorted(e["path"] for e in body["errors"])
    assert paths == [
        ["customer", "identity", "number"],
        ["customer", "travelers", 0, "identity", "number"],
    ]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
