"""Property and interest records written through GraphQL, on a CareCloud customer of the
test's own; UNSUPPORTED with nothing sent elsewhere."""

from __future__ import annotations

import itertools
from typing import Any

from adapters.model import Backend
from gateway.auth import READ
from tests.gateway.conftest import Gateway, token

_serial = itertools.count(1)
INTEREST_A = "81eaeea13b8984a169c490a325"
INTEREST_B = "8bed991c68a470e7aaeffbf048"

PROPERTY = "id nativeId propertyId value"


def _customer(gateway: Gateway, backend: str = "CARECLOUD") -> str:
    n = next(_serial)
    body = gateway.query(
        "mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) {"
        " customer { id } } }",
        {
            "input": {
                "backend": backend,
                "firstName": "Rita",
                "lastName": f"Relatedwrites{n}",
                "email": f"rita.relatedwrites{n}@example.com",
            }
        },
    )
    assert "errors" not in body, body
    return str(body["data"]["createCustomer"]["customer"]["id"])


def _run(gateway: Gateway, mutation: str, selection: str, input: dict[str, Any]) -> Any:
    name = mutation[0].upper() + mutation[1:]
    return gateway.query(
        f"mutation ($input: {name}Input!) {{ {mutation}(input: $input) {{ {selection} }} }}",
        {"input": input},
    )


def _properties(gateway: Gateway, customer_id: str) -> list[dict[str, Any]]:
    body = gateway.query(
        f"query ($id: ID!) {{ customer(id: $id) {{ properties {{ {PROPERTY} }} }} }}",
        {"id": customer_id},
    )
    return list(body["data"]["customer"]["properties"])


def test_a_property_record_added_patched_and_deleted(gateway: Gateway) -> None:
    customer_id = _customer(gateway)
    added = _run(
        gateway,
        "addCustomerProperty",
        f"property {{ {PROPERTY} }}",
        {"customerId": customer_id, "propertyId": "shoe_size", "value": 44},
    )["data"]["addCustomerProperty"]["property"]
    assert (added["propertyId"], added["value"]) == ("shoe_size", 44)
    assert added in _properties(gateway, customer_id)
    gateway.reset()
    kept = _run(
        gateway, "updateCustomerProperty", f"property {{ {PROPERTY} }}", {"id": added["id"]}
    )
    assert kept["data"]["updateCustomerProperty"]["property"] == added
    # Left out keeps: the record is read, and nothing is written.
    assert gateway.calls(Backend.CARECLOUD) == {"GET /customers/{customer_id}/property-records": 1}
    changed = _run(
        gateway,
        "updateCustomerProperty",
        f"property {{ {PROPERTY} }}",
        {"id": added["id"], "value": 45},
    )["data"]["updateCustomerProperty"]["property"]
    assert (changed["id"], changed["value"]) == (added["id"], 45)
    cleared = _run(
        gateway, "updateCustomerProperty", "property { value }", {"id": added["id"], "value": None}
    )
    assert cleared["data"]["updateCustomerProperty"]["property"]["value"] is None
    deleted = _run(gateway, "deleteCustomerProperty", "deletedId", {"id": added["id"]})
    assert deleted["data"]["deleteCustomerProperty"]["deletedId"] == added["id"]
    assert added["id"] not in {p["id"] for p in _properties(gateway, customer_id)}
    for mutation, input in (
        ("updateCustomerProperty", {"id": added["id"], "value": 1}),
        ("deleteCustomerProperty", {"id": added["id"]}),
    ):
        body = _run(gateway, mutation, "__typename", input)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_an_interest_record_added_patched_and_deleted(gateway: Gateway) -> None:
    customer_id = _customer(gateway)
    added = _run(
        gateway,
        "addCustomerInterest",
        "interest { id interestId }",
        {"customerId": customer_id, "interestId": INTEREST_A},
    )["data"]["addCustomerInterest"]["interest"]
    assert added["interestId"] == INTEREST_A
    kept = _run(
        gateway, "updateCustomerInterest", "interest { id interestId }", {"id": added["id"]}
    )
    assert kept["data"]["updateCustomerInterest"]["interest"] == added
    changed = _run(
        gateway,
        "updateCustomerInterest",
        "interest { id interestId }",
        {"id": added["id"], "interestId": INTEREST_B},
    )["data"]["updateCustomerInterest"]["interest"]
    assert changed == {"id": added["id"], "interestId": INTEREST_B}
    gateway.reset()
    cleared = _run(
        gateway, "updateCustomerInterest", "__typename", {"id": added["id"], "interestId": None}
    )
    assert cleared["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "interestId"}
    assert gateway.calls(Backend.CARECLOUD) == {}
    deleted = _run(gateway, "deleteCustomerInterest", "deletedId", {"id": added["id"]})
    assert deleted["data"]["deleteCustomerInterest"]["deletedId"] == added["id"]
    again = _run(gateway, "deleteCustomerInterest", "deletedId", {"id": added["id"]})
    assert again["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_a_back_end_without_related_records_is_unsupported_with_nothing_sent(
    gateway: Gateway,
) -> None:
    customer_id = _customer(gateway, "CLUBMED")
    gateway.reset()
    for mutation, input in (
        ("addCustomerProperty", {"customerId": customer_id, "propertyId": "x", "value": 1}),
        ("addCustomerInterest", {"customerId": customer_id, "interestId": INTEREST_A}),
    ):
        body = _run(gateway, mutation, "__typename", input)
        assert body["errors"][0]["extensions"] == {"code": "UNSUPPORTED", "backend": "CLUBMED"}
    assert gateway.calls(Backend.CLUBMED) == {}


def test_ids_of_another_type_and_the_write_scope(gateway: Gateway) -> None:
    customer_id = _customer(gateway)
    gateway.reset()
    body = _run(gateway, "deleteCustomerProperty", "deletedId", {"id": customer_id})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    response = gateway.post(
        'mutation ($c: ID!) { addCustomerInterest(input: {customerId: $c, interestId: "x"})'
        " { __typename } }",
        {"c": customer_id},
        headers={"authorization": f"Bearer {token(READ)}"},
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert gateway.calls(Backend.CARECLOUD) == {}


def test_a_record_id_is_a_node_id(gateway: Gateway) -> None:
    """An interest record's id refetches it (test_seed_fields.py: properties, counts)."""
    customer_id = _customer(gateway)
    added = _run(
        gateway,
        "addCustomerInterest",
        "interest { id }",
        {"customerId": customer_id, "interestId": INTEREST_A},
    )["data"]["addCustomerInterest"]["interest"]
    body = gateway.query(
        "query ($id: ID!) { node(id: $id) { id ... on Interest { interestId } } }",
        {"id": added["id"]},
    )
    assert "errors" not in body, body
    assert body["data"]["node"] == {"id": added["id"], "interestId": INTEREST_A}
