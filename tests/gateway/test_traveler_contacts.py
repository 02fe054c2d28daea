"""Issue 15: a Club Med traveler's contact details (email, phones, civility, address) and
identity number, end to end over HTTP: read off the travelers, written through addTraveler
(docs/api.md)."""

from __future__ import annotations

import itertools
from typing import Any

from adapters.model import Backend
from sandboxes.common.people import person
from tests.gateway.conftest import GATEWAY_SANDBOX_CONFIG, Gateway

_serial = itertools.count()

TRAVELER_FIELDS = """nativeId firstName email civility
  phones { number type e164 } address { line1 city postalCode countryCode }
  identity { number type }"""
FRENCH_ADDRESS = {
    "line1": "1 rue de la Paix",
    "city": "Paris",
    "postalCode": "75002",
    "countryCode": "fr",
}


def _customer(gateway: Gateway) -> str:
    """A new Club Med customer's global id."""
    body = gateway.query(
        "mutation ($input: CreateCustomerInput!) { createCustomer(input: $input)"
        " { customer { id } } }",
        {"input": {"backend": "CLUBMED", "firstName": "Ada", "lastName": f"Travel{next(_serial)}"}},
    )
    assert "errors" not in body, body
    customer_id: str = body["data"]["createCustomer"]["customer"]["id"]
    return customer_id


def _add_traveler(gateway: Gateway, customer_id: str, **given: object) -> Any:
    """addTraveler; the traveler answered, or the whole body on errors."""
    traveler = {"customerId": customer_id, "firstName": "Jane", "lastName": "Doe", **given}
    body = gateway.query(
        "mutation ($input: AddTravelerInput!) { addTraveler(input: $input)"
        f" {{ traveler {{ {TRAVELER_FIELDS} }} }} }}",
        {"input": traveler},
    )
    return body if "errors" in body else body["data"]["addTraveler"]["traveler"]


def _travelers(gateway: Gateway, customer_id: str) -> list[dict[str, Any]]:
    body = gateway.query(
        f"query ($id: ID!) {{ customer(id: $id) {{ travelers {{ {TRAVELER_FIELDS} }} }} }}",
        {"id": customer_id},
    )
    assert "errors" not in body, body
    found: list[dict[str, Any]] = body["data"]["customer"]["travelers"]
    return found


def test_the_seed_traveler_stays_as_the_seed_shows_it(gateway: Gateway) -> None:
    body = gateway.query(
        '{ customerByNativeId(backend: CLUBMED, nativeId: "123456789")'
        f" {{ travelers {{ {TRAVELER_FIELDS} }} }} }}"
    )
    assert "errors" not in body, body
    assert body["data"]["customerByNativeId"]["travelers"] == [
        {
            "nativeId": "traveler-1",
            "firstName": "Jane",
            "email": None,
            "civility": None,
            "phones": [],
            "address": None,
            "identity": None,
        }
    ]


def test_generated_travelers_carry_the_generators_contact_details(gateway: Gateway) -> None:
    """Each generated traveler is one of its customer's companions, with the contact details
    the generator gives that companion."""
    index = next(
        i
        for i in range(500)
        if any(
            c.email and c.phone_national
            for c in person(GATEWAY_SANDBOX_CONFIG.seed, i).companions()
        )
    )
    holder = person(GATEWAY_SANDBOX_CONFIG.seed, index)
    body = gateway.query(
        f'{{ customerByNativeId(backend: CLUBMED, nativeId: "{200_000_000 + index}")'
        f" {{ travelers {{ {TRAVELER_FIELDS} }} }} }}"
    )
    assert "errors" not in body, body
    travelers = body["data"]["customerByNativeId"]["travelers"]
    companions = holder.companions()
    assert [t["firstName"] for t in travelers] == [c.first_name for c in companions]
    for traveler, companion in zip(travelers, companions, strict=True):
        assert traveler["email"] == companion.email
        numbers = [p["number"] for p in traveler["phones"]]
        assert numbers == (["0" + companion.phone_national] if companion.phone_national else [])
        assert traveler["civility"] in ("MR", "MRS")
        if companion.lives_with_holder:
            assert traveler["address"]["city"] == holder.place.city
        else:
            assert traveler["address"] is None
    assert any(t["phones"] and t["phones"][0]["e164"].startswith("+") for t in travelers)


def test_add_traveler_writes_the_contact_details_and_reads_them_back(gateway: Gateway) -> None:
    customer_id = _customer(gateway)
    added = _add_traveler(
        gateway,
        customer_id,
        email="jane.doe@example.com",
        civility="MRS",
        phones=[{"number": "+33 6 12 34 56 78", "type": "MOBILE"}],
        address=FRENCH_ADDRESS,
        identity={"number": "FR12AB345", "type": "ID_NUMBER"},
    )
    assert "errors" not in added, added
    assert added == {
        "nativeId": "traveler-1",
        "firstName": "Jane",
        "email": "jane.doe@example.com",
        "civility": "MRS",
        "phones": [{"number": "+33 6 12 34 56 78", "type": "MOBILE", "e164": "+33612345678"}],
        "address": {
            "line1": "1 rue de la Paix",
            "city": "Paris",
            "postalCode": "75002",
            "countryCode": "FR",
        },
        "identity": {"number": "FR12AB345", "type": "ID_NUMBER"},
    }
    assert _travelers(gateway, customer_id) == [added]


def test_a_traveler_without_contact_details_reads_them_null(gateway: Gateway) -> None:
    customer_id = _customer(gateway)
    added = _add_traveler(gateway, customer_id)
    assert (added["email"], added["phones"], added["address"], added["identity"]) == (
        None,
        [],
        None,
        None,
    )


def test_a_second_traveler_and_a_customer_update_keep_the_first_travelers_details(
    gateway: Gateway,
) -> None:
    customer_id = _customer(gateway)
    first = _add_traveler(
        gateway,
        customer_id,
        email="first@example.com",
        phones=[{"number": "0612345678", "type": "HOME"}],
        address=FRENCH_ADDRESS,
    )
    second = _add_traveler(gateway, customer_id, firstName="Joe", email="second@example.com")
    updated = gateway.query(
        'mutation ($id: ID!) { updateCustomer(input: {id: $id, email: "owner@example.com"})'
        " { customer { email } } }",
        {"id": customer_id},
    )
    assert "errors" not in updated, updated
    assert _travelers(gateway, customer_id) == [first, second]


def test_a_travelers_address_is_validated_as_the_profiles(gateway: Gateway) -> None:
    """Club Med's address validation: a country code, a city and a zip code; nothing added."""
    customer_id = _customer(gateway)
    refused = _add_traveler(gateway, customer_id, address={"line1": "1 rue X", "countryCode": "FR"})
    error = refused["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["field"] == "address", error
    bad_email = _add_traveler(gateway, customer_id, email="not-an-email")
    assert bad_email["errors"][0]["extensions"]["field"] == "email", bad_email
    assert _travelers(gateway, customer_id) == []


def test_a_travelers_identity_type_other_is_refused_with_nothing_sent(gateway: Gateway) -> None:
    customer_id = _customer(gateway)
    gateway.reset_counters()
    refused = _add_traveler(gateway, customer_id, identity={"number": "X1234", "type": "OTHER"})
    error = refused["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["field"] == "identity.type", error
    assert gateway.calls(Backend.CLUBMED) == {}
