"""A customer's related records on Customer, over HTTP, with the sandboxes' calls counted."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from adapters.model import Backend
from gateway.auth import READ
from sandboxes.common.faults import FaultSettings
from tests.gateway.conftest import Gateway, token

SEED_ID = "8ea6abece4cd0a4ded0a29f093"  # John Smith, CareCloud's seed customer

TWENTY_WITH_TWO_LISTS = """
{ customers(filter: {lastName: "Smith"}, backends: [CARECLOUD], first: 20) {
    edges { node { nativeId
      purchases(first: 5) { totalCount edges { node { nativeId totalPrice paidAt } } }
      segments { nativeId createdAt } } } } }
"""


def test_twenty_customers_two_lists_one_call_per_customer_and_list(gateway: Gateway) -> None:
    body = gateway.query(TWENTY_WITH_TWO_LISTS)
    assert "errors" not in body, body
    nodes = [e["node"] for e in body["data"]["customers"]["edges"]]
    assert len(nodes) == 20
    assert all(isinstance(n["segments"], list) for n in nodes)
    assert all(n["purchases"]["totalCount"] is not None for n in nodes)
    assert gateway.calls(Backend.CARECLOUD) == {
        "GET /customers": 1,
        "GET /customers/{customer_id}/purchases": 20,
        "GET /customers/{customer_id}/segment-records": 20,
    }
    assert gateway.calls(Backend.CLUBMED) == {} and gateway.calls(Backend.RELAY) == {}


def test_the_seed_customers_records_typed(gateway: Gateway) -> None:
    body = gateway.query(
        f"""{{ customerByNativeId(backend: CARECLOUD, nativeId: "{SEED_ID}") {{
          purchases {{ totalCount edges {{ node {{ totalPrice itemsCount paidAt }} }} }}
          credits {{ edges {{ node {{ availableCredits }} }} }}
          vouchers {{ edges {{ node {{ code rewardName }} }} }}
          rewards {{ edges {{ node {{ name pointsCost automated }} }} }}
          cards {{ edges {{ node {{ number blocked validFrom }} }} }}
          pointRecords {{ edges {{ node {{ availablePoints state validTo }} }} }}
          statusRecords {{ totalCount edges {{ node {{ statusName state }} }} }}
          recommendations {{ edges {{ node {{ state pictureUrls }} }} }}
          customerSources {{ edges {{ node {{ sourceId externalId }} }} }}
          segments {{ changedAt }}
          properties {{ id propertyId name value }}
          interests {{ id interestId }}
        }} }}"""
    )
    assert "errors" not in body, body
    customer = body["data"]["customerByNativeId"]
    purchase = customer["purchases"]["edges"][0]["node"]
    assert purchase == {"totalPrice": "60.51", "itemsCount": 10, "paidAt": "2012-11-22T20:57:04"}
    assert customer["credits"]["edges"][0]["node"] == {"availableCredits": "700.0"}
    assert customer["cards"]["edges"][0]["node"]["number"] == "200120000290"
    assert customer["pointRecords"]["edges"][0]["node"]["availablePoints"] == "1250.5"
    assert [e["node"]["statusName"] for e in customer["statusRecords"]["edges"]] == [
        "Silver",
        "Gold",
    ]
    assert customer["customerSources"]["edges"][0]["node"]["externalId"] == "A798274529"
    assert customer["interests"][0]["interestId"] == "81eaeea13b8984a169c490a325"
    assert customer["interests"][0]["id"] != customer["interests"][0]["interestId"]


def test_club_med_purchases_are_null_and_unsupported_with_nothing_sent(gateway: Gateway) -> None:
    body = gateway.query(
        '{ customers(filter: {lastName: "Smith"}, backends: [CLUBMED], first: 2) {'
        " edges { node { nativeId purchases { totalCount } interests { id } } } } }"
    )
    edges = body["data"]["customers"]["edges"]
    assert len(edges) == 2
    assert all(e["node"]["purchases"] is None and e["node"]["interests"] is None for e in edges)
    codes = {
        (e["path"][-1], e["extensions"]["code"], e["extensions"]["backend"]) for e in body["errors"]
    }
    assert codes == {
        ("purchases", "UNSUPPORTED", "CLUBMED"),
        ("interests", "UNSUPPORTED", "CLUBMED"),
    }
    assert len(body["errors"]) == 4
    assert gateway.calls(Backend.CLUBMED) == {"GET /v1/customers": 1}


def test_paging_through_a_connection(gateway: Gateway) -> None:
    document = """query ($id: String!, $after: String) {
      customerByNativeId(backend: CARECLOUD, nativeId: $id) {
        statusRecords(first: 1, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } edges { cursor node { statusName } } } } }"""
    seen: list[str] = []
    after = None
    for _ in range(3):
        body = gateway.query(document, {"id": SEED_ID, "after": after})
        assert "errors" not in body, body
        records = body["data"]["customerByNativeId"]["statusRecords"]
        assert records["totalCount"] == 2
        seen += [e["node"]["statusName"] for e in records["edges"]]
        if not records["pageInfo"]["hasNextPage"]:
            break
        after = records["pageInfo"]["endCursor"]
        assert after == records["edges"][-1]["cursor"]
    assert seen == ["Silver", "Gold"]


def test_a_bad_cursor_or_first_is_bad_user_input_with_nothing_sent(gateway: Gateway) -> None:
    purchases_cursor = gateway.query(
        f'{{ customerByNativeId(backend: CARECLOUD, nativeId: "{SEED_ID}")'
        " { purchases { pageInfo { endCursor } } } }"
    )["data"]["customerByNativeId"]["purchases"]["pageInfo"]["endCursor"]
    gateway.reset()
    for arguments, argument in (
        ('after: "nope"', "after"),
        (f'after: "{purchases_cursor}"', "after"),  # a cursor of another list
        ("first: -1", "first"),
    ):
        body = gateway.query(
            f'{{ customerByNativeId(backend: CARECLOUD, nativeId: "{SEED_ID}")'
            f" {{ vouchers({arguments}) {{ totalCount }} }} }}"
        )
        (error,) = body["errors"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
        assert body["data"]["customerByNativeId"]["vouchers"] is None
    assert "GET /customers/{customer_id}/vouchers" not in gateway.calls(Backend.CARECLOUD)


def test_first_is_capped_like_customers(gateway: Gateway) -> None:
    body = gateway.query(
        f'{{ customerByNativeId(backend: CARECLOUD, nativeId: "{SEED_ID}")'
        " { statusRecords(first: 100000) { totalCount edges { cursor } } } }"
    )
    assert "errors" not in body, body
    assert len(body["data"]["customerByNativeId"]["statusRecords"]["edges"]) == 2


def test_card_numbers_and_voucher_codes_need_pii_read(gateway: Gateway) -> None:
    body = gateway.query(
        f'{{ customerByNativeId(backend: CARECLOUD, nativeId: "{SEED_ID}") {{'
        " cards { edges { node { number blocked } } } vouchers { edges { node { code rewardName } } } } }",
        headers={"authorization": f"Bearer {token(READ)}"},
    )
    customer = body["data"]["customerByNativeId"]
    assert customer["cards"]["edges"][0]["node"] == {"number": None, "blocked": False}
    assert customer["vouchers"]["edges"][0]["node"]["code"] is None
    assert customer["vouchers"]["edges"][0]["node"]["rewardName"]
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    assert {e["path"][-1] for e in body["errors"]} == {"number", "code"}


def test_related_lists_cost_one_call_per_customer_in_the_estimate(gateway: Gateway) -> None:
    document = (
        '{ customers(filter: {lastName: "Smith"}, first: 100) { edges { node {'
        " purchases { totalCount } vouchers { totalCount } cards { totalCount }"
        " segments { nativeId } interests { id } } } } }"
    )
    response = gateway.post(document)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["cost"] == 2 + 100 * 5
    assert gateway.calls(Backend.CARECLOUD) == {}


def test_related_lists_are_asked_beside_the_profile(gateway: Gateway) -> None:
    carecloud = gateway.sandboxes[Backend.CARECLOUD]
    # The profile's cards (it reads them for the membership number) answer after 1.5 s: a
    # list asked after the profile would arrive after that.
    carecloud.app.faults.settings = FaultSettings(
        latency_ms=1500, path_prefix=f"/customers/{SEED_ID}/cards"
    )
    gateway.reset_counters()
    document = (
        f'{{ customerByNativeId(backend: CARECLOUD, nativeId: "{SEED_ID}") {{ gender'
        " vouchers(first: 3) { totalCount } interests { id } } }"
    )
    with ThreadPoolExecutor(1) as pool:
        answer = pool.submit(gateway.query, document)
        seen: dict[str, int] = {}
        for _ in range(100):
            seen = gateway.calls(Backend.CARECLOUD)
            if "GET /customers/{customer_id}/interest-records" in seen and (
                "GET /customers/{customer_id}/vouchers" in seen
            ):
                break
            time.sleep(0.01)
        assert not answer.done()
        assert seen.get("GET /customers/{customer_id}/vouchers") == 1
        assert seen.get("GET /customers/{customer_id}/interest-records") == 1
        assert "errors" not in answer.result()
    calls = gateway.calls(Backend.CARECLOUD)
    assert calls["GET /customers/{customer_id}/vouchers"] == 1  # the prefetch was the one
    assert calls["GET /customers/{customer_id}/interest-records"] == 1


LOYALTY_OF_TWENTY = """
{ customers(filter: {lastName: "Smith"}, backends: [CARECLOUD], first: 20) {
    edges { node { nativeId loyalty { %s } %s } } } }
"""


def _loyalty_calls(gateway: Gateway) -> dict[str, int]:
    """CareCloud's calls, the status catalogue left out (cached for its TTL across requests)."""
    return {k: v for k, v in gateway.calls(Backend.CARECLOUD).items() if k != "GET /statuses"}


def test_a_search_results_loyalty_alone_reads_only_the_lists_its_fields_need(
    gateway: Gateway,
) -> None:
    body = gateway.query(LOYALTY_OF_TWENTY % ("status renewalDate", ""))
    assert "errors" not in body, body
    assert len(body["data"]["customers"]["edges"]) == 20
    # Before: the record again (one call for the 20) and cards, points and status records.
    assert _loyalty_calls(gateway) == {
        "GET /customers": 1,
        "GET /customers/{customer_id}/status-records": 20,
    }
    gateway.reset()
    body = gateway.query(LOYALTY_OF_TWENTY % ("status points memberSince", ""))
    assert "errors" not in body, body
    assert _loyalty_calls(gateway) == {
        "GET /customers": 1,
        "GET /customers/{customer_id}/status-records": 20,
        "GET /customers/{customer_id}/points": 20,
        "GET /customers/{customer_id}/cards": 20,
    }


def test_loyalty_beside_a_profile_field_is_taken_off_the_profile(gateway: Gateway) -> None:
    alone = gateway.query(LOYALTY_OF_TWENTY % ("status points memberSince renewalDate", ""))
    gateway.reset()
    body = gateway.query(
        LOYALTY_OF_TWENTY % ("status points memberSince renewalDate", "membershipNumber")
    )
    assert "errors" not in body, body
    assert _loyalty_calls(gateway) == {
        "GET /customers": 2,  # the search, and the profiles' records (one call for the 20)
        "GET /customers/{customer_id}/status-records": 20,
        "GET /customers/{customer_id}/points": 20,
        "GET /customers/{customer_id}/cards": 20,
    }
    loyalties = [e["node"]["loyalty"] for e in body["data"]["customers"]["edges"]]
    summaries = [e["node"]["loyalty"] for e in alone["data"]["customers"]["edges"]]
    # A customer holding no loyalty record at all: null off the profile; read alone, a
    # summary of nulls (its lists say nothing more).
    empty = {"status": None, "points": None, "memberSince": None, "renewalDate": None}
    assert [s if s != empty else None for s in summaries] == loyalties


def test_club_med_loyalty_stays_on_its_profile_fetched_once(gateway: Gateway) -> None:
    """Club Med's summary is part of its profile: one profile call per record, alone or not."""
    for extra in ("", "birthCity"):
        gateway.reset()
        body = gateway.query(
            '{ customers(filter: {lastName: "Smith"}, backends: [CLUBMED], first: 5) {'
            f" edges {{ node {{ nativeId loyalty {{ status }} {extra} }} }} }} }}"
        )
        assert "errors" not in body, body
        ids = {e["node"]["nativeId"] for e in body["data"]["customers"]["edges"]}
        assert all(e["node"]["loyalty"]["status"] for e in body["data"]["customers"]["edges"])
        assert gateway.calls(Backend.CLUBMED) == {
            "GET /v1/customers": 1,
            "GET /v2/customers/{customer_id}/profile": len(ids),
        }
