"""Upstream calls are counted at the sandboxes: no N+1, nothing fetched twice."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from adapters.model import Backend
from sandboxes.common.faults import FaultSettings
from tests.gateway.conftest import Gateway

SEARCH_WITH_PROFILE = """
query ($last: String!) {
  customers(filter: {lastName: $last}, first: 20) {
    edges { node { id backend nativeId firstName lastName
      birthCity locale addresses { city countryCode }
      travelers { id firstName } } }
  }
}
"""

SEARCH_FIELDS_ONLY = """
query ($last: String!) {
  customers(filter: {lastName: $last}, first: 20) {
    edges { node { id backend nativeId firstName lastName email birthdate phones { number } } }
  }
}
"""


def _backend_ids(body: dict, backend: str) -> list[str]:
    edges = body["data"]["customers"]["edges"]
    return [e["node"]["nativeId"] for e in edges if e["node"]["backend"] == backend]


def test_search_with_profile_fields_and_travelers_makes_one_call_per_record(
    gateway: Gateway,
) -> None:
    body = gateway.query(SEARCH_WITH_PROFILE, {"last": "Smith"})
    assert "errors" not in body, body
    clubmed_ids = _backend_ids(body, "CLUBMED")
    assert len(body["data"]["customers"]["edges"]) == 20
    assert clubmed_ids, "the search should find Club Med customers"
    clubmed = gateway.calls(Backend.CLUBMED)
    assert clubmed.get("GET /v1/customers") == 1
    assert clubmed.get("GET /v2/customers/{customer_id}/profile") == len(set(clubmed_ids))
    assert clubmed.get("GET /v1/customers/{customer_id}/travelers") == len(set(clubmed_ids))
    # CareCloud's search already returns every personal field asked, and it has no travelers.
    assert gateway.calls(Backend.CARECLOUD) == {"GET /customers": 1}
    # Relay cannot search: it is not asked at all.
    assert gateway.calls(Backend.RELAY) == {}


def test_search_fields_alone_cost_only_the_search_calls(gateway: Gateway) -> None:
    body = gateway.query(SEARCH_FIELDS_ONLY, {"last": "Smith"})
    assert "errors" not in body, body
    assert body["data"]["customers"]["edges"]
    assert gateway.calls(Backend.CLUBMED) == {"GET /v1/customers": 1}
    assert gateway.calls(Backend.CARECLOUD) == {"GET /customers": 1}


def test_the_same_customer_asked_twice_is_fetched_once(gateway: Gateway) -> None:
    found = gateway.query(
        '{ customers(filter: {lastName: "Smith"}, backends: [CLUBMED], first: 1)'
        " { edges { node { id } } } }"
    )
    customer_id = found["data"]["customers"]["edges"][0]["node"]["id"]
    gateway.reset()
    body = gateway.query(
        """query ($id: ID!) {
          a: customer(id: $id) { birthCity travelers { id } }
          b: customer(id: $id) { locale travelers { firstName } }
          c: node(id: $id) { ... on Customer { email } }
          d: nodes(ids: [$id, $id]) { id }
        }""",
        {"id": customer_id},
    )
    assert "errors" not in body, body
    assert body["data"]["c"]["email"]
    calls = gateway.calls(Backend.CLUBMED)
    assert calls == {
        "GET /v2/customers/{customer_id}/profile": 1,
        "GET /v1/customers/{customer_id}/travelers": 1,
    }


def test_nodes_of_many_customers_are_fetched_concurrently_once_each(gateway: Gateway) -> None:
    found = gateway.query(
        '{ customers(filter: {lastName: "Smith"}, backends: [CLUBMED], first: 10)'
        " { edges { node { id } } } }"
    )
    ids = [e["node"]["id"] for e in found["data"]["customers"]["edges"]]
    gateway.reset()
    body = gateway.query(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Customer { birthCity } } }",
        {"ids": ids + ids},
    )
    assert "errors" not in body, body
    assert [n["id"] for n in body["data"]["nodes"]] == ids + ids
    assert gateway.calls(Backend.CLUBMED) == {"GET /v2/customers/{customer_id}/profile": len(ids)}


@pytest.mark.parametrize(
    "document",
    [
        "query ($id: ID!) { customer(id: $id) { birthCity ...Lists } }"
        " fragment Lists on Customer { travelers { id } travelDocuments { id } }",
        "query ($id: ID!) { customer(id: $id) { birthCity"
        " ... on Customer { travelers { id } } travelDocuments { id } } }",
        "query ($id: ID!) { nodes(ids: [$id]) { ... on Customer { birthCity"
        " travelers { id } travelDocuments { id } } } }",
    ],
    ids=["fragment spread", "inline fragment", "nodes"],
)
def test_a_customers_lists_are_asked_beside_its_profile_not_after(
    gateway: Gateway, document: str
) -> None:
    """customer(id) with profile fields and travelers: both requests are in flight together."""
    found = gateway.query(
        '{ customers(filter: {lastName: "Smith"}, backends: [CLUBMED], first: 1)'
        " { edges { node { id } } } }"
    )
    customer_id = found["data"]["customers"]["edges"][0]["node"]["id"]
    clubmed = gateway.sandboxes[Backend.CLUBMED]
    # The profile answers only after 1.5 s: a travelers request made after it would arrive
    # after that; one made beside it arrives while the profile is still held.
    clubmed.app.faults.settings = FaultSettings(latency_ms=1500, path_prefix="/v2/customers")
    gateway.reset_counters()
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(
            gateway.query,
            document,
            {"id": customer_id},
        )
        seen: dict[str, int] = {}
        for _ in range(100):
            seen = gateway.calls(Backend.CLUBMED)
            if len(seen) == 3 or answer.done():
                break
            time.sleep(0.01)
        assert not answer.done()
        assert seen == {
            "GET /v2/customers/{customer_id}/profile": 1,
            "GET /v1/customers/{customer_id}/travelers": 1,
            "GET /v1/customers/{customer_id}/travel_documents": 1,
        }
        assert "errors" not in answer.result()
    assert gateway.calls(Backend.CLUBMED) == seen  # and nothing fetched twice
