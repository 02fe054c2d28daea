"""The rules of `customers`: the page cap, the scope a filter needs, and who is asked what."""

from __future__ import annotations

from typing import Any

from adapters.model import Backend
from gateway.auth import READ
from tests.gateway.conftest import Gateway, custom_gateway, token

PAGE = """query ($first: Int, $after: String) {
  customers(filter: {lastName: "Smith"}, first: $first, after: $after) {
    edges { node { id } } pageInfo { hasNextPage endCursor } } }"""

# The seed's search-customers example: Jakub B, born 1984-11-06, card 2001990000016.
JAKUB_ID = "80c4d97a7136d98a90badb5128"
JAKUB = '{firstName: "Jakub", lastName: "B", birthdate: "1984-11-06", membershipNumber: "2001990000016"}'
CARD_SEARCH = {"GET /customers/actions/search-customers": 1, "GET /customers": 1}


def _ids(page: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in page["edges"]]


def _search(gateway: Gateway, filter: str, backends: str = "", score: str = "") -> dict[str, Any]:
    return gateway.query(
        f"{{ customers(filter: {filter}{backends}) {{ totalCount"
        f" edges {{ {score} node {{ backend nativeId firstName }} }} }} }}"
    )


def test_first_above_the_cap_is_clamped_and_pages_on(gateway: Gateway) -> None:
    whole = _ids(gateway.query(PAGE, {"first": 20})["data"]["customers"])
    with custom_gateway(gateway.sandboxes, max_page_size=8) as capped:
        first = capped.query(PAGE, {"first": 1000})
        assert "errors" not in first, first
        page = first["data"]["customers"]
        second = capped.query(PAGE, {"first": 1000, "after": page["pageInfo"]["endCursor"]})
    assert _ids(page) == whole[:8]
    assert page["pageInfo"]["hasNextPage"] is True
    assert _ids(second["data"]["customers"]) == whole[8:16]


def test_a_negative_first_is_refused_naming_the_argument(gateway: Gateway) -> None:
    body = gateway.query(PAGE, {"first": -1})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}
    assert gateway.calls(Backend.CLUBMED) == {} and gateway.calls(Backend.CARECLOUD) == {}


def test_filtering_on_birthdate_needs_pii_read(gateway: Gateway) -> None:
    query = """query ($born: Date) { customers(filter: {lastName: "B", birthdate: $born}) {
      edges { node { nativeId } } } }"""
    variables = {"born": "1984-11-06"}
    headers = {"authorization": f"Bearer {token(READ)}"}
    refused = gateway.query(query, variables, headers=headers)
    assert refused["data"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in refused["errors"]] == [
        (["customers"], "FORBIDDEN")
    ]
    assert gateway.calls(Backend.CLUBMED) == {} and gateway.calls(Backend.CARECLOUD) == {}
    allowed = gateway.query(query, variables)
    assert "errors" not in allowed, allowed
    assert JAKUB_ID in {e["node"]["nativeId"] for e in allowed["data"]["customers"]["edges"]}


def test_a_filter_without_birthdate_needs_no_pii_read(gateway: Gateway) -> None:
    headers = {"authorization": f"Bearer {token(READ)}"}
    body = gateway.query('{ customers(filter: {lastName: "B"}) { totalCount } }', headers=headers)
    assert "errors" not in body, body


def test_carecloud_finds_the_seed_card_holder(gateway: Gateway) -> None:
    body = _search(gateway, JAKUB, ", backends: [CARECLOUD]")
    assert "errors" not in body, body
    assert body["data"]["customers"] == {
        "totalCount": 1,
        "edges": [{"node": {"backend": "CARECLOUD", "nativeId": JAKUB_ID, "firstName": "Jakub"}}],
    }
    assert gateway.calls(Backend.CARECLOUD) == CARD_SEARCH
    assert gateway.calls(Backend.CLUBMED) == {} and gateway.calls(Backend.RELAY) == {}


def test_the_card_search_carries_carecloud_match_score(gateway: Gateway) -> None:
    body = _search(gateway, JAKUB, ", backends: [CARECLOUD]", score="matchScore")
    assert "errors" not in body, body
    [edge] = body["data"]["customers"]["edges"]
    assert (edge["node"]["nativeId"], edge["matchScore"]) == (JAKUB_ID, 1.0)
    assert gateway.calls(Backend.CARECLOUD) == CARD_SEARCH


def test_every_back_end_searched_by_card_finds_the_seed_card_holder(gateway: Gateway) -> None:
    body = _search(gateway, JAKUB)
    assert "errors" not in body, body
    edges = body["data"]["customers"]["edges"]
    assert [(e["node"]["backend"], e["node"]["nativeId"]) for e in edges] == [
        ("CARECLOUD", JAKUB_ID)
    ]
    assert gateway.calls(Backend.CARECLOUD) == CARD_SEARCH
    assert sum(gateway.calls(Backend.CLUBMED).values()) == 1  # Club Med searches by gm_number
    assert gateway.calls(Backend.RELAY) == {}


def test_a_card_without_names_and_birthdate_is_not_asked_of_carecloud(gateway: Gateway) -> None:
    partial = '{lastName: "B", membershipNumber: "2001990000016"}'
    named = _search(gateway, partial, ", backends: [CARECLOUD]")
    assert named["data"]["customers"]["edges"] == []
    [error] = named["errors"]
    assert error["extensions"] == {"code": "UNSUPPORTED", "backend": "CARECLOUD"}
    assert "first_name" in error["message"] and "birthdate" in error["message"]
    everywhere = _search(gateway, partial)
    assert "errors" not in everywhere, everywhere
    assert gateway.calls(Backend.CARECLOUD) == {}
    assert sum(gateway.calls(Backend.CLUBMED).values()) == 1


def test_back_ends_that_do_not_score_have_no_match_score(gateway: Gateway) -> None:
    body = _search(gateway, '{lastName: "Smith"}', score="matchScore")
    edges = body["data"]["customers"]["edges"]
    assert {e["node"]["backend"] for e in edges} == {"CLUBMED", "CARECLOUD"}
    assert {e["matchScore"] for e in edges} == {None}
