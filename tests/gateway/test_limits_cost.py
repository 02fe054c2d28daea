"""The upstream cost of a request is counted with its variables, through fragments at any
depth, and a request over the budget (500 by default) is refused before anything is sent."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.model import Backend
from gateway.ids import encode_id
from tests.gateway.conftest import Gateway

# Each customer costs 1 (its profile) + 1 (travelers): 2 upstream calls per id.
NODES_WITH_TRAVELERS = (
    "query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Customer { travelers { id } } } }"
)
# Profile + travelers + documents: 3 calls per record.
EXPENSIVE_RECORD = "edges { node { locale travelers { id } travelDocuments { id } } }"


def _ids(count: int) -> list[str]:
    return [encode_id("Customer", Backend.CLUBMED, f"9{i:06d}") for i in range(count)]


def _refused(gateway: Gateway, document: str, variables: dict[str, Any] | None = None) -> dict:
    """The error of a request refused as too complex, having checked nothing was sent."""
    response = gateway.post(document, variables)
    assert response.status_code == 400, response.text[:300]
    body = response.json()
    assert body.get("data") is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX", error
    assert error["extensions"]["cost"] > error["extensions"]["limit"] == 500
    assert all(not gateway.calls(backend) for backend in gateway.sandboxes)
    return error


def _cost_is_not_refused(gateway: Gateway, document: str, variables: dict | None = None) -> dict:
    response = gateway.post(document, variables)
    body = response.json()
    codes = [e["extensions"]["code"] for e in body.get("errors", ())]
    assert "QUERY_TOO_COMPLEX" not in codes, body
    return body


def test_a_list_of_ids_in_a_variable_counts_at_its_length(gateway: Gateway) -> None:
    error = _refused(gateway, NODES_WITH_TRAVELERS, {"ids": _ids(380)})
    assert error["extensions"]["cost"] == 380 * 2


def test_a_list_in_a_variables_default_counts_at_its_length(gateway: Gateway) -> None:
    default = "[" + ", ".join(f'"{i}"' for i in _ids(260)) + "]"
    document = NODES_WITH_TRAVELERS.replace("[ID!]!", f"[ID!]! = {default}")
    assert _refused(gateway, document)["extensions"]["cost"] == 260 * 2


def test_a_short_list_in_a_variable_passes(gateway: Gateway) -> None:
    """Counted at its real length, not at a guessed worst case: 2 x 100 calls guessed before."""
    document = (
        "query ($ids: [ID!]!) {"
        + " ".join(
            f"n{i}: nodes(ids: $ids) {{ ... on Customer {{ travelers {{ id }} }} }}"
            for i in range(3)
        )
        + "}"
    )
    body = _cost_is_not_refused(gateway, document, {"ids": _ids(2)})
    assert len(body["data"]["n0"]) == 2


def test_first_in_a_variable_counts_at_its_value(gateway: Gateway) -> None:
    document = (
        "query ($n: Int) {"
        + " ".join(
            f'c{i}: customers(filter: {{lastName: "Smith"}}, backends: [CARECLOUD], first: $n)'
            f" {{ {EXPENSIVE_RECORD} }}"
            for i in range(2)
        )
        + "}"
    )
    body = _cost_is_not_refused(gateway, document, {"n": 3})  # 2 x (2 + 3 x 3) = 22
    assert "errors" not in body, body
    assert len(body["data"]["c0"]["edges"]) == 3
    gateway.reset()
    error = _refused(gateway, document, {"n": 90})  # 2 x (2 + 90 x 3)
    assert error["extensions"]["cost"] == 2 * (2 + 90 * 3)


def test_first_counts_its_variables_default_and_is_capped_at_the_page_size(
    gateway: Gateway,
) -> None:
    two = " ".join(
        f'c{i}: customers(filter: {{lastName: "Smith"}}, first: $n) {{ {EXPENSIVE_RECORD} }}'
        for i in range(2)
    )
    error = _refused(gateway, f"query ($n: Int = 90) {{ {two} }}")
    assert error["extensions"]["cost"] == 2 * (2 + 90 * 3)
    # Over the page size, `first` is capped at it (100): counted as 100, not as asked.
    error = _refused(gateway, f"query ($n: Int) {{ {two} }}", {"n": 100_000})
    assert error["extensions"]["cost"] == 2 * (2 + 100 * 3)
    one = f'{{ customers(filter: {{lastName: "Smith"}}, first: 100000) {{ {EXPENSIVE_RECORD} }} }}'
    _cost_is_not_refused(gateway, one)


@pytest.mark.parametrize("value", [-5, None])
def test_negative_or_null_first_is_not_counted_as_a_large_page(
    gateway: Gateway, value: int | None
) -> None:
    document = (
        "query ($n: Int) {"
        + " ".join(
            f'c{i}: customers(filter: {{lastName: "Smith"}}, first: $n) {{ {EXPENSIVE_RECORD} }}'
            for i in range(3)
        )
        + "}"
    )
    # -5 counts 0 records (refused elsewhere); null means the default page of 20.
    _cost_is_not_refused(gateway, document, {"n": value})


def _chain(depth: int, spreads: int, innermost: str, on: str = "Query") -> str:
    """Fragments F0 .. F<depth>, each spreading the next `spreads` times."""
    fragments = [
        f"fragment F{i} on {on} {{ {' '.join([f'...F{i + 1}'] * spreads)} }}" for i in range(depth)
    ]
    return " ".join([*fragments, f"fragment F{depth} on {on} {{ {innermost} }}"])


TWO_SEARCHES = " ".join(
    f'c{i}: customers(filter: {{lastName: "Smith"}}, first: 100) {{ {EXPENSIVE_RECORD} }}'
    for i in range(2)
)


def test_thirty_nested_fragment_spreads_are_counted(gateway: Gateway) -> None:
    error = _refused(gateway, "{ ...F0 } " + _chain(30, 1, TWO_SEARCHES))
    assert error["extensions"]["cost"] == 2 * (2 + 100 * 3)


def test_fragments_spread_twice_at_each_level_are_counted_once(gateway: Gateway) -> None:
    """2^30 paths to the same fields: counted as executed (once), and in linear time."""
    innermost = (
        f'customers(filter: {{lastName: "Smith"}}, first: 100) {{ {EXPENSIVE_RECORD} }}'
        " nodes(ids: $ids) { ... on Customer { travelers { id } travelDocuments { id } } }"
    )
    document = "query ($ids: [ID!]!) { ...F0 ...F0 } " + _chain(30, 2, innermost)
    error = _refused(gateway, document, {"ids": _ids(100)})
    assert error["extensions"]["cost"] == (2 + 100 * 3) + 100 * 3


def test_aliases_through_fragments_spread_twice_are_refused_in_linear_time(
    gateway: Gateway,
) -> None:
    """Aliases count once per spread, as Strawberry's limiter counts them, but are counted
    in linear time: its limiter (and its depth limiter) expanded the 2^30 spreads."""
    response = gateway.post("{ ...F0 } " + _chain(30, 2, "a: __typename"))
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["message"] == f"{2**30} aliases found. Allowed: 30"
    deep = gateway.post("{ ...F0 } " + _chain(30, 2, "__typename"))
    assert deep.status_code == 200, deep.text
    assert deep.json() == {"data": {"__typename": "Query"}}


def test_per_customer_fields_deep_in_fragments_are_counted(gateway: Gateway) -> None:
    document = "query ($ids: [ID!]!) { nodes(ids: $ids) { ...F0 } } " + _chain(
        30, 2, "travelers { id } travelDocuments { id }", on="Customer"
    )
    error = _refused(gateway, document, {"ids": _ids(200)})  # 200 x (1 + 2)
    assert error["extensions"]["cost"] == 600


def test_the_operation_run_is_the_one_counted(gateway: Gateway) -> None:
    expensive = f"query Expensive {{ {TWO_SEARCHES} }}"
    cheap = 'query Cheap { customers(filter: {lastName: "Smith"}, first: 1) { totalCount } }'
    response = gateway.http.post(
        "/graphql", json={"query": f"{expensive} {cheap}", "operationName": "Cheap"}
    )
    assert response.status_code == 200, response.text
    assert "errors" not in response.json()
    gateway.reset()
    body = gateway.http.post(
        "/graphql", json={"query": f"{expensive} {cheap}", "operationName": "Expensive"}
    ).json()
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert all(not gateway.calls(backend) for backend in gateway.sandboxes)


def test_the_same_document_is_counted_anew_with_other_variables(gateway: Gateway) -> None:
    """The analysis of a document is cached; the count with each request's variables is not."""
    for count, refused in ((3, False), (300, True), (3, False), (260, True)):
        gateway.reset()
        response = gateway.post(NODES_WITH_TRAVELERS, {"ids": _ids(count)})
        codes = [e["extensions"]["code"] for e in response.json().get("errors", ())]
        assert ("QUERY_TOO_COMPLEX" in codes) is refused, (count, codes)


def test_a_cheap_query_with_variables_still_passes(gateway: Gateway) -> None:
    body = gateway.query(
        "query ($last: String!, $n: Int!) { customers(filter: {lastName: $last}, first: $n)"
        " { edges { node { id travelers { id } } } } }",
        {"last": "Smith", "n": 5},
    )
    assert "errors" not in body, body
    assert len(body["data"]["customers"]["edges"]) == 5


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A __typename }",
            "Cannot spread fragment 'A' within itself via 'B'.",
        ),
        ("{ ...Nope }", "Unknown fragment 'Nope'."),
    ],
    ids=["a cycle", "an unknown fragment"],
)
def test_broken_fragments_are_the_validation_error_they_are(
    gateway: Gateway, document: str, message: str
) -> None:
    response = gateway.post(document)
    assert response.status_code == 400, response.text
    errors = response.json()["errors"]
    assert [e["message"] for e in errors] == [message], errors
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
