"""Contract tests of the CareCloud sandbox's sub-resource and status routes, over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import RunningSandbox
from tests.sandboxes.carecloud.conftest import SEED_ID, create

# Route -> list key, written from docs/backends/carecloud.md#sub-resources (not from the sandbox's
# tables).
LISTS = {
    "purchases": "purchases",
    "points": "points",
    "credits": "credits",
    "vouchers": "vouchers",
    "rewards": "rewards",
    "cards": "cards",
    "segment-records": "segment_records",
    "status-records": "status_records",
    "recommendation-records": "recommendations",
    "customer-source-records": "customer_source_records",
    "property-records": "property_records",
    "interest-records": "interest_records",
}


def _items(api: httpx.Client, customer_id: str, route: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get(f"/customers/{customer_id}/{route}", params=params)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert set(data) == {LISTS[route.rstrip("/")], "total_items"}
    items: list[dict[str, Any]] = data[LISTS[route.rstrip("/")]]
    return items


def _generated(sandbox: RunningSandbox, slot: int) -> tuple[str, Any]:
    store = sandbox.app.state.store
    return store.generated_id(slot), store.people[slot]


@pytest.mark.parametrize("route", list(LISTS))
def test_every_list_route_answers_in_the_envelope(
    api: httpx.Client, carecloud_sandbox: RunningSandbox, route: str
) -> None:
    for slot in range(40):  # some people have none of a kind: look until one has some
        customer_id, _ = _generated(carecloud_sandbox, slot)
        if _items(api, customer_id, route):
            break
    else:
        pytest.fail(f"no generated customer has {route}")
    assert api.get(f"/customers/ffffffffffffffffffffffffff/{route}").status_code == 404


def test_loyalty_records_derive_from_the_person(
    api: httpx.Client, carecloud_sandbox: RunningSandbox
) -> None:
    customer_id, person = _generated(
        carecloud_sandbox, 20
    )  # index % 10 == 0: an old blocked card too
    assert person.index % 10 == 0
    cards = _items(api, customer_id, "cards")
    assert [c["state"] for c in cards] == [0, 1]
    assert cards[1]["card_number"] == f"2001{person.index:09d}"
    active = [p["available_points"] for p in _items(api, customer_id, "points") if p["state"] == 1]
    assert sum(active) == person.loyalty_points
    assert _items(api, customer_id, "cards", card_number=cards[1]["card_number"]) == [cards[1]]
    assert _items(
        api, customer_id, "cards", **{"card_number_list[]": [cards[0]["card_number"]]}
    ) == [cards[0]]


def test_status_records_and_the_statuses_they_name(api: httpx.Client) -> None:
    records = _items(api, SEED_ID, "status-records")
    assert len(records) == 2
    current = _items(api, SEED_ID, "status-records", valid_now="true")
    assert len(current) == 1
    status = api.get(f"/statuses/{current[0]['status_id']}")
    assert status.status_code == 200 and status.json()["data"]["name"] == "Gold"
    statuses = api.get("/statuses").json()["data"]
    names = [s["name"] for s in statuses["statuses"]]
    assert names == ["Basic", "Silver", "Gold", "Platinum", "Staff"]
    assert statuses["total_items"] == 5
    assert api.get("/statuses/unknown").status_code == 404
    # The verify examples' customer holds Staff, a status outside the tier ladder.
    [staff] = _items(api, "09359095c5da43c7a78e11e710eabce49418715a6a", "status-records")
    named = api.get(f"/statuses/{staff['status_id']}").json()["data"]
    assert (named["name"], named["previous_status"], named["next_status"]) == ("Staff", None, None)
    assert (
        api.get("/statuses", params={"count": 1, "offset": 1}).json()["data"]["statuses"][0]["name"]
        == "Silver"
    )


def test_paging_and_sorting_of_a_sub_resource(
    api: httpx.Client, carecloud_sandbox: RunningSandbox
) -> None:
    for slot in range(60):
        customer_id, _ = _generated(carecloud_sandbox, slot)
        points = _items(api, customer_id, "points")
        if len(points) == 3:
            break
    page = api.get(f"/customers/{customer_id}/points", params={"count": 1, "offset": 2}).json()[
        "data"
    ]
    assert page["total_items"] == 3 and page["points"] == [points[2]]
    ordered = _items(
        api, customer_id, "points", sort_field="available_points", sort_direction="DESC"
    )
    assert [p["available_points"] for p in ordered] == sorted(
        (p["available_points"] for p in points), reverse=True
    )
    assert (
        api.get(f"/customers/{customer_id}/points", params={"is_valid": "maybe"}).status_code == 200
    )
    assert (
        api.get(f"/customers/{customer_id}/cards", params={"is_valid": "maybe"}).status_code == 400
    )


def test_customer_source_records_post_and_filter(api: httpx.Client) -> None:
    customer_id = create(api)
    body = {
        "customer_source_record": {
            "customer_source_id": "8fdd651ff3f615bcebebad87ce",
            "external_id": "POS-1",
        }
    }
    response = api.post(f"/customers/{customer_id}/customer-source-records", json=body)
    assert response.status_code == 201
    record_id = response.json()["data"]["customer_source_record_id"]
    listed = _items(api, customer_id, "customer-source-records", external_id="POS-1")
    assert [r["customer_source_record_id"] for r in listed] == [record_id]
    found = api.get(
        "/customers", params={"customer_source_id": "8fdd651ff3f615bcebebad87ce", "count": 1000}
    )
    assert customer_id in [c["customer_id"] for c in found.json()["data"]["customers"]]
    missing = api.post(
        f"/customers/{customer_id}/customer-source-records", json={"customer_source_record": {}}
    )
    assert missing.status_code == 400


def test_property_records_post_put_delete_and_batch(api: httpx.Client) -> None:
    customer_id = create(api)
    base = f"/customers/{customer_id}/property-records"
    created = api.post(
        base, json={"property_record": {"property_id": "shoe_size", "property_value": 42}}
    )
    assert created.status_code == 201
    record_id = created.json()["data"]["property_record_id"]
    assert record_id == f"shoe_size:{customer_id}"
    duplicate = api.post(
        base, json={"property_record": {"property_id": "shoe_size", "property_value": 43}}
    )
    assert duplicate.status_code == 400
    assert (
        duplicate.json()["error"]["error_data"]["invalid_params"][0]["reason"] == "already_exists"
    )
    assert (
        api.put(f"{base}/{record_id}", json={"property_record": {"property_value": 44}}).status_code
        == 204
    )
    assert [r["property_value"] for r in _items(api, customer_id, "property-records")] == [44]
    batch = {
        "property_records": [
            {"property_id": "shoe_size", "property_value": 45},
            {"property_id": "pet", "property_value": "cat"},
        ]
    }
    assert api.post(f"{base}/batch", json=batch).status_code == 204
    values = {
        r["property_id"]: r["property_value"] for r in _items(api, customer_id, "property-records")
    }
    assert values == {"shoe_size": 45, "pet": "cat"}
    assert api.delete(f"{base}/{record_id}").status_code == 204
    assert api.delete(f"{base}/{record_id}").status_code == 404
    assert api.put(f"{base}/{record_id}", json={"property_record": {}}).status_code == 404
    assert api.post(f"{base}/batch", json={}).status_code == 400


@pytest.mark.parametrize("slash", ["", "/"])
def test_interest_records_post_put_delete(api: httpx.Client, slash: str) -> None:
    customer_id = create(api)
    base = f"/customers/{customer_id}/interest-records"
    created = api.post(
        base + slash, json={"interest_record": {"interest_id": "81eaeea13b8984a169c490a325"}}
    )
    assert created.status_code == 201
    record_id = created.json()["data"]["interest_record_id"]
    assert [
        r["interest_record_id"] for r in _items(api, customer_id, "interest-records" + slash)
    ] == [record_id]
    assert (
        api.put(
            f"{base}/{record_id}", json={"interest_record": {"interest_id": "other"}}
        ).status_code
        == 204
    )
    assert _items(api, customer_id, "interest-records")[0]["interest_id"] == "other"
    assert api.put(f"{base}/{record_id}", json={}).status_code == 400
    assert api.delete(f"{base}/{record_id}").status_code == 204
    assert _items(api, customer_id, "interest-records") == []
    assert api.delete(f"{base}/{record_id}").status_code == 404


def test_writes_to_a_generated_customer_keep_its_generated_records(
    api: httpx.Client, carecloud_sandbox: RunningSandbox
) -> None:
    for slot in range(0, 40, 4):  # index % 4 == 0 people have a property record
        customer_id, person = _generated(carecloud_sandbox, slot)
        if person.index % 4 == 0:
            break
    before = _items(api, customer_id, "property-records")
    api.post(
        f"/customers/{customer_id}/property-records",
        json={"property_record": {"property_id": "vip", "property_value": True}},
    )
    after = _items(api, customer_id, "property-records")
    assert after[: len(before)] == before and after[-1]["property_id"] == "vip"


@pytest.mark.parametrize("route", [*LISTS, "interest-records/"])
def test_every_route_has_an_example_on_the_seed_customer(api: httpx.Client, route: str) -> None:
    """John Smith holds one record of every route (seed.py says where each comes from)."""
    items = _items(api, SEED_ID, route)
    assert items, f"no example under {route}"
