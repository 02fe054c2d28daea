"""Every query of docs/api.md#queries, end to end over HTTP, on every back end that supports it."""

from __future__ import annotations

import socket
from dataclasses import replace

from adapters import carecloud
from adapters.model import Backend
from gateway.ids import encode_id
from sandboxes.common.faults import FaultSettings
from tests.gateway.conftest import Gateway, custom_gateway, gateway_settings

CUSTOMER_FIELDS = """
  id backend nativeId membershipNumber firstName middleName lastName birthdate birthCity
  gender email phones { number type } locale capabilities
  addresses { line1 line2 line3 city postalCode region countryCode }
  loyalty { status previousStatus points platinumForLife memberSince renewalDate }
  consents { channel purpose granted }
  travelers { id nativeId firstName lastName birthdate }
  travelDocuments { id nativeId type number expirationDate issuingCountry }
"""


def _first_id(gateway: Gateway, backend: str, last_name: str = "Smith") -> str:
    body = gateway.query(
        f'{{ customers(filter: {{lastName: "{last_name}"}}, backends: [{backend}], first: 1)'
        " { edges { node { id } } } }"
    )
    return str(body["data"]["customers"]["edges"][0]["node"]["id"])


def test_customer_by_id_with_everything_on_club_med(gateway: Gateway) -> None:
    customer_id = _first_id(gateway, "CLUBMED")
    body = gateway.query(
        f"query ($id: ID!) {{ customer(id: $id) {{ {CUSTOMER_FIELDS} }} }}", {"id": customer_id}
    )
    assert "errors" not in body, body
    customer = body["data"]["customer"]
    assert customer["id"] == customer_id
    assert customer["backend"] == "CLUBMED"
    assert customer["lastName"] == "Smith"
    assert customer["membershipNumber"]
    assert len(customer["birthdate"]) == 10 and customer["birthdate"][4] == "-"
    assert set(customer["capabilities"]) >= {"SEARCH", "READ", "TRAVELERS", "TRAVEL_DOCUMENTS"}
    assert isinstance(customer["travelers"], list)
    assert isinstance(customer["travelDocuments"], list)
    assert customer["loyalty"]["status"]


def test_customer_by_native_id_on_relay_reads_the_seed_record(gateway: Gateway) -> None:
    body = gateway.query(
        f'{{ customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") {{ {CUSTOMER_FIELDS} }} }}'
    )
    assert "errors" not in body, body
    customer = body["data"]["customerByNativeId"]
    assert (customer["firstName"], customer["middleName"], customer["lastName"]) == (
        "Roger",
        "Harold",
        "Moore",
    )
    assert customer["birthdate"] == "1954-12-01"
    assert customer["gender"] == "MALE"
    assert customer["addresses"][0]["city"] == "Radnor"
    assert customer["addresses"][0]["region"] == "PA"
    assert customer["loyalty"]["status"].lower() == "gold"
    assert customer["travelers"] is None and customer["travelDocuments"] is None
    assert customer["consents"] and customer["consents"][0]["granted"] is True
    assert gateway.calls(Backend.RELAY) == {"GET /cdm/client/{client_id}/customer/{ccid}": 1}


def test_customer_by_native_id_on_carecloud(gateway: Gateway) -> None:
    body = gateway.query(
        f'{{ customerByNativeId(backend: CARECLOUD, nativeId: "8ea6abece4cd0a4ded0a29f093") {{ {CUSTOMER_FIELDS} }} }}'
    )
    assert "errors" not in body, body
    customer = body["data"]["customerByNativeId"]
    assert customer["firstName"] == "John" and customer["lastName"] == "Smith"
    assert customer["email"] == "happy_customer@crmcarecloud.com"
    assert customer["addresses"][0]["countryCode"] == "CZ"
    assert customer["travelers"] is None


def test_unknown_and_malformed_ids(gateway: Gateway) -> None:
    unknown = encode_id("Customer", Backend.CLUBMED, "999999999999")
    body = gateway.query(
        "query ($a: ID!, $b: ID!) { a: customer(id: $a) { id } b: customer(id: $b) { id } }",
        {"a": unknown, "b": "not-an-id"},
    )
    assert body["data"] == {"a": None, "b": None}
    codes = {e["path"][0]: e["extensions"]["code"] for e in body["errors"]}
    assert codes == {"a": "NOT_FOUND", "b": "BAD_USER_INPUT"}
    relay_unknown = gateway.query(
        '{ customerByNativeId(backend: RELAY, nativeId: "NOPE-0") { id } }'
    )
    assert relay_unknown["errors"][0]["extensions"] == {"code": "NOT_FOUND", "backend": "RELAY"}


def test_node_refetches_travelers_and_travel_documents(gateway: Gateway) -> None:
    customer_id = _first_id(gateway, "CLUBMED")
    body = gateway.query(
        "query ($id: ID!) { customer(id: $id) { travelers { id firstName }"
        " travelDocuments { id type number } } }",
        {"id": customer_id},
    )
    customer = body["data"]["customer"]
    ids = [t["id"] for t in customer["travelers"]] + [d["id"] for d in customer["travelDocuments"]]
    if not ids:  # a customer without either: add a traveler so there is something to refetch
        added = gateway.query(
            'mutation ($id: ID!) { addTraveler(input: {customerId: $id, firstName: "Ann",'
            ' lastName: "Smith"}) { traveler { id } } }',
            {"id": customer_id},
        )
        ids = [added["data"]["addTraveler"]["traveler"]["id"]]
    refetched = gateway.query(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }", {"ids": ids}
    )
    assert "errors" not in refetched, refetched
    assert [n["id"] for n in refetched["data"]["nodes"]] == ids


def test_search_pages_through_the_merged_list(gateway: Gateway) -> None:
    query = """query ($after: String, $first: Int) {
      customers(filter: {lastName: "Smith"}, first: $first, after: $after) {
        edges { cursor node { id backend } } pageInfo { hasNextPage endCursor } totalCount } }"""
    whole = gateway.query(query, {"first": 30})["data"]["customers"]
    first = gateway.query(query, {"first": 12})["data"]["customers"]
    second = gateway.query(query, {"first": 18, "after": first["pageInfo"]["endCursor"]})["data"][
        "customers"
    ]
    ids = [e["node"]["id"] for e in whole["edges"]]
    assert len(ids) == len(set(ids)) == 30
    assert [e["node"]["id"] for e in first["edges"] + second["edges"]] == ids
    assert {e["node"]["backend"] for e in whole["edges"]} == {"CLUBMED", "CARECLOUD"}
    assert first["pageInfo"]["hasNextPage"] is True
    assert whole["totalCount"] is not None and whole["totalCount"] >= 30


def test_search_runs_to_its_end(gateway: Gateway) -> None:
    query = """query ($after: String) {
      customers(filter: {firstName: "John", lastName: "Smith"}, first: 3, after: $after) {
        edges { node { id } } pageInfo { hasNextPage endCursor } totalCount } }"""
    seen: list[str] = []
    after = None
    for _ in range(50):
        page = gateway.query(query, {"after": after})["data"]["customers"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == page["totalCount"]


def test_search_refusals(gateway: Gateway) -> None:
    empty = gateway.query("{ customers(filter: {}) { totalCount } }")
    assert empty["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    negative = gateway.query('{ customers(filter: {lastName: "Smith"}, first: -1) { totalCount } }')
    assert negative["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}
    bad_cursor = gateway.query(
        '{ customers(filter: {lastName: "Smith"}, after: "garbage") { totalCount } }'
    )
    assert bad_cursor["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    relay = gateway.query(
        '{ customers(filter: {lastName: "Smith"}, backends: [RELAY]) { totalCount } }'
    )
    assert relay["errors"][0]["extensions"] == {"code": "UNSUPPORTED", "backend": "RELAY"}
    assert gateway.calls(Backend.CLUBMED) == {} and gateway.calls(Backend.CARECLOUD) == {}


def test_filter_values_cannot_inject_criteria(gateway: Gateway) -> None:
    body = gateway.query(
        '{ customers(filter: {lastName: "Smith;email==john@h.fr"}, backends: [CLUBMED]) { edges { node { id } } } }'
    )
    assert "errors" not in body, body
    assert body["data"]["customers"]["edges"] == []


def test_a_failing_back_end_leaves_the_others_data_and_one_error(gateway: Gateway) -> None:
    gateway.sandboxes[Backend.CARECLOUD].app.faults.settings = FaultSettings(error_rate=1.0)
    body = gateway.query(
        '{ customers(filter: {lastName: "Smith"}, first: 10) { edges { node { backend } } } }'
    )
    edges = body["data"]["customers"]["edges"]
    assert len(edges) == 10 and {e["node"]["backend"] for e in edges} == {"CLUBMED"}
    assert len(body["errors"]) == 1
    assert body["errors"][0]["extensions"] == {"code": "UPSTREAM_ERROR", "backend": "CARECLOUD"}
    assert body["errors"][0]["path"] == ["customers"]


def test_a_back_end_that_is_down_is_unavailable_and_the_others_answer(gateway: Gateway) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead_url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    settings = gateway_settings(gateway.sandboxes)
    down_carecloud = replace(settings.backend(carecloud.SPEC), base_url=dead_url)
    backends = {**settings.backends, Backend.CARECLOUD: down_carecloud}
    with custom_gateway(gateway.sandboxes, backends=backends) as down:
        body = down.query(
            '{ customers(filter: {lastName: "Smith"}) { edges { node { backend } } } }'
        )
        ready = down.http.get("/readyz")
        any_ready = down.http.get("/readyz", params={"require": "any"})
        wrong = down.http.get("/readyz", params={"require": "most"})
    assert {e["node"]["backend"] for e in body["data"]["customers"]["edges"]} == {"CLUBMED"}
    assert body["errors"][0]["extensions"]["backend"] == "CARECLOUD"
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert ready.status_code == 503
    assert ready.json()["backends"]["CLUBMED"] == "ok"
    assert ready.json()["backends"]["CARECLOUD"] != "ok"
    # A load balancer asking `require=any` keeps the replica: two back ends still answer.
    assert (any_ready.status_code, any_ready.json()["status"]) == (200, "degraded")
    assert any_ready.json()["backends"]["CARECLOUD"] != "ok"
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
