"""Values refused before anything is sent: a Date other than YYYY-MM-DD, a global id over
512 characters, a native id over 128."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from adapters.model import Backend
from gateway.ids import encode_id
from tests.gateway.conftest import Gateway

SEARCH_BY_BIRTHDATE = (
    'query ($d: Date) { customers(filter: {lastName: "Smith", birthdate: $d}) { totalCount } }'
)
CREATE = (
    "mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }"
)
NOT_DATES = [
    "19900101",  # ISO 8601 basic format: Python 3.11's fromisoformat reads it
    "1990-W01-1",  # an ISO week date: so does it
    "1990-02-30",
    "1990-13-01",
    "1990-1-1",
    "90-01-01",
    "0000-01-01",
    "1990-01-01T00:00:00",
    "1990-01-01 ",
    " 1990-01-01",
    "1990-01-01\n",
    "\uff11\uff19\uff19\uff10-01-01",  # fullwidth digits
    "",
    19900101,
    True,
    ["1990-01-01"],
]


def _nothing_sent(gateway: Gateway) -> None:
    assert all(not gateway.calls(backend) for backend in gateway.sandboxes)


def _request_error(gateway: Gateway, document: str, variables: dict[str, Any] | None) -> dict:
    response = gateway.post(document, variables)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body.get("data") is None, body
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", body
    _nothing_sent(gateway)
    return error


@pytest.mark.parametrize("value", NOT_DATES, ids=repr)
def test_a_date_variable_must_be_yyyy_mm_dd(gateway: Gateway, value: object) -> None:
    _request_error(gateway, SEARCH_BY_BIRTHDATE, {"d": value})


@pytest.mark.parametrize("value", ["19900101", "1990-W01-1", "1990-02-30", "1990-01-01T00:00"])
def test_a_date_literal_must_be_yyyy_mm_dd(gateway: Gateway, value: str) -> None:
    document = SEARCH_BY_BIRTHDATE.replace("($d: Date) ", "").replace("$d", f'"{value}"')
    error = _request_error(gateway, document, None)
    assert "Date" in error["message"]


def test_a_customer_is_not_created_with_a_basic_format_birthdate(gateway: Gateway) -> None:
    draft = {"backend": "CLUBMED", "firstName": "Ada", "lastName": "Basicdate"}
    _request_error(gateway, CREATE, {"input": {**draft, "birthdate": "19900101"}})
    literal = (
        'mutation { createCustomer(input: {backend: CLUBMED, firstName: "Ada",'
        ' lastName: "Basicdate", birthdate: "19900101"}) { customer { id } } }'
    )
    assert "Date" in _request_error(gateway, literal, None)["message"]


def test_a_calendar_date_passes_and_dates_still_read_yyyy_mm_dd(gateway: Gateway) -> None:
    body = gateway.query(SEARCH_BY_BIRTHDATE, {"d": "1990-03-12"})
    assert "errors" not in body, body
    body = gateway.query(
        '{ customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") { birthdate } }'
    )
    birthdate = body["data"]["customerByNativeId"]["birthdate"]
    assert len(birthdate) == 10 and birthdate[4] == birthdate[7] == "-"


def test_the_date_scalar_says_what_it_takes(gateway: Gateway) -> None:
    body = gateway.query('{ __type(name: "Date") { description } }')
    assert body["data"]["__type"]["description"] == "A calendar date, YYYY-MM-DD."


A_CUSTOMER = encode_id("Customer", Backend.CLUBMED, "123456789")


def _long_customer_id(length: int) -> str:
    """A well-formed Customer id of `length` characters or just over."""
    return _long_id(length, lambda own: encode_id("Customer", Backend.CLUBMED, own))


def _long_document_id(length: int) -> str:
    return _long_id(
        length, lambda own: encode_id("TravelDocument", Backend.CLUBMED, "123456789", own)
    )


def _long_id(length: int, encode: Callable[[str], str]) -> str:
    own = "1" * (length * 3 // 4 - 40)
    while len(encode(own)) < length:
        own += "1"
    return encode(own)


GLOBAL_ID_PLACES = {
    "node": ("query ($id: ID!) { node(id: $id) { id } }", lambda id: {"id": id}),
    "nodes": ("query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", lambda id: {"ids": [id]}),
    "customer": ("query ($id: ID!) { customer(id: $id) { id } }", lambda id: {"id": id}),
    "updateCustomer.id": (
        "mutation ($input: UpdateCustomerInput!) { updateCustomer(input: $input) { customer { id } } }",
        lambda id: {"input": {"id": id, "locale": "fr-FR"}},
    ),
    "addTraveler.customerId": (
        "mutation ($input: AddTravelerInput!) { addTraveler(input: $input) { traveler { id } } }",
        lambda id: {"input": {"customerId": id, "firstName": "A", "lastName": "B"}},
    ),
    "updateTravelDocuments.customerId": (
        "mutation ($input: UpdateTravelDocumentsInput!) { updateTravelDocuments(input: $input) { travelDocuments { id } } }",
        lambda id: {"input": {"customerId": id, "documents": [{"type": "PASSPORT"}]}},
    ),
    "updateTravelDocuments.documents.id": (
        "mutation ($input: UpdateTravelDocumentsInput!) { updateTravelDocuments(input: $input) { travelDocuments { id } } }",
        lambda id: {"input": {"customerId": A_CUSTOMER, "documents": [{"id": id}]}},
    ),
}
LENGTHS = {"7 kB": 7000, "513 characters": 513}


@pytest.mark.parametrize("place", list(GLOBAL_ID_PLACES))
@pytest.mark.parametrize("length", list(LENGTHS))
def test_a_global_id_over_512_characters_is_malformed(
    gateway: Gateway, place: str, length: str
) -> None:
    document, variables = GLOBAL_ID_PLACES[place]
    make = _long_document_id if place.endswith("documents.id") else _long_customer_id
    value = make(LENGTHS[length])
    assert LENGTHS[length] <= len(value) < LENGTHS[length] + 4
    body = gateway.post(document, variables(value)).json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", body
    assert error["message"] == "malformed id"
    _nothing_sent(gateway)


def test_a_native_id_over_128_characters_is_refused_naming_the_argument(
    gateway: Gateway,
) -> None:
    body = gateway.post(
        "query ($n: String!) { customerByNativeId(backend: RELAY, nativeId: $n) { id } }",
        {"n": "BAK-" + "9" * 125},
    ).json()
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "nativeId"}, body
    assert "128" in error["message"]
    _nothing_sent(gateway)


def test_a_created_native_id_over_128_characters_is_refused_naming_the_field(
    gateway: Gateway,
) -> None:
    draft = {"backend": "RELAY", "nativeId": "N" * 129, "firstName": "A", "lastName": "B"}
    body = gateway.post(CREATE, {"input": draft}).json()
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "nativeId"}, body
    assert "128" in error["message"]
    _nothing_sent(gateway)


def test_a_native_id_of_128_characters_is_asked_for(gateway: Gateway) -> None:
    body = gateway.post(
        "query ($n: String!) { customerByNativeId(backend: RELAY, nativeId: $n) { id } }",
        {"n": "N" * 128},
    ).json()
    # Relay itself refuses a ccid over 100: the gateway's bound is looser, it asks.
    assert body["errors"][0]["extensions"]["backend"] == "RELAY", body
    assert gateway.calls(Backend.RELAY)
