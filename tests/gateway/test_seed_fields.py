"""Issue 15's fields from the seeds, end to end over HTTP: the loyalty tier, and the fields
the schema did not carry (docs/api.md)."""

from __future__ import annotations

import itertools
from typing import Any

from tests.gateway.conftest import Gateway, create_customer

_serial = itertools.count()

CARECLOUD_SEED = "8ea6abece4cd0a4ded0a29f093"  # John Smith, CareCloud's seed customer
RELAY_SEED = "BAK-11984-007"  # Roger Moore, Relay's seed customer
# Happy Customer, the CareCloud seed's verify examples' answer: holds the sandbox's Staff status.
CARECLOUD_EXAMPLE = "09359095c5da43c7a78e11e710eabce49418715a6a"

CLUBMED_TIERS = {
    "NONE": "NONE",
    "TURQUOISE": "BASIC",
    "SILVER": "SILVER",
    "GOLD": "GOLD",
    "PLATINUM": "PLATINUM",
    "EXCLUDED": "EXCLUDED",
}


def _create(gateway: Gateway, backend: str, fields: str = "id", **given: object) -> Any:
    return create_customer(gateway, backend, fields, last_name="Seedf", **given)


def _by_native_id(gateway: Gateway, backend: str, native_id: str, fields: str) -> dict[str, object]:
    body = gateway.query(
        f'{{ customerByNativeId(backend: {backend}, nativeId: "{native_id}") {{ {fields} }} }}'
    )
    assert "errors" not in body, body
    customer: dict[str, object] = body["data"]["customerByNativeId"]
    return customer


def test_loyalty_tier_beside_each_back_ends_own_label(gateway: Gateway) -> None:
    relay = _by_native_id(gateway, "RELAY", RELAY_SEED, "loyalty { status tier }")
    assert relay["loyalty"] == {"status": "gold", "tier": "GOLD"}
    carecloud = _by_native_id(gateway, "CARECLOUD", CARECLOUD_SEED, "loyalty { status tier }")
    assert carecloud["loyalty"] == {"status": "Gold", "tier": "GOLD"}
    body = gateway.query(
        '{ customers(filter: {lastName: "Smith"}, backends: [CLUBMED], first: 10)'
        " { edges { node { loyalty { status tier } } } } }"
    )
    assert "errors" not in body, body
    for edge in body["data"]["customers"]["edges"]:
        loyalty = edge["node"]["loyalty"]
        assert loyalty["tier"] == CLUBMED_TIERS.get(loyalty["status"], "OTHER"), loyalty


def test_a_travel_documents_nationality_is_written_read_and_kept(gateway: Gateway) -> None:
    created = _create(gateway, "CLUBMED")
    body = gateway.query(
        """mutation ($id: ID!) { updateTravelDocuments(input: {customerId: $id, documents: [
          {type: PASSPORT, number: "XX123456", issuingCountry: "FR", nationality: "fr"}]})
          { travelDocuments { id nationality issuingCountry } } }""",
        {"id": created["id"]},
    )
    assert "errors" not in body, body
    [passport] = body["data"]["updateTravelDocuments"]["travelDocuments"]
    assert (passport["nationality"], passport["issuingCountry"]) == ("FR", "FR")
    kept = gateway.query(
        """mutation ($id: ID!, $doc: ID!) { updateTravelDocuments(input: {customerId: $id,
          documents: [{id: $doc, issuingCountry: "BE"}]}) { travelDocuments { nationality } } }""",
        {"id": created["id"], "doc": passport["id"]},
    )
    assert kept["data"]["updateTravelDocuments"]["travelDocuments"] == [{"nationality": "FR"}]
    read = gateway.query(
        "query ($id: ID!) { customer(id: $id) { travelDocuments { nationality } } }",
        {"id": created["id"]},
    )
    assert read["data"]["customer"]["travelDocuments"] == [{"nationality": "FR"}]


def test_civility_and_third_name_on_club_med(gateway: Gateway) -> None:
    seed = _by_native_id(gateway, "CLUBMED", "123456789", "civility thirdName")
    assert seed == {"civility": "MR", "thirdName": "Edward"}
    created = _create(gateway, "CLUBMED", "id civility thirdName", civility="MRS")
    assert (created["civility"], created["thirdName"]) == ("MRS", None)
    body = gateway.query(
        """mutation ($id: ID!) { updateCustomer(input: {id: $id, thirdName: "Jane",
          civility: "MS"}) { customer { civility thirdName } } }""",
        {"id": created["id"]},
    )
    assert "errors" not in body, body
    assert body["data"]["updateCustomer"]["customer"] == {"civility": "MS", "thirdName": "Jane"}


def test_civility_and_third_name_are_refused_where_they_cannot_be_held(gateway: Gateway) -> None:
    from adapters.model import Backend

    gateway.reset_counters()
    for backend, native_id in (("CARECLOUD", None), ("RELAY", "SEEDF-CIV-1")):
        given = {"nativeId": native_id} if native_id else {}
        refused = _create(gateway, backend, civility="MR", **given)
        error = refused["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert error["extensions"]["field"] == "civility", error
    assert gateway.calls(Backend.CARECLOUD) == {} and gateway.calls(Backend.RELAY) == {}
    carecloud = _create(gateway, "CARECLOUD")
    gateway.reset_counters()
    body = gateway.query(
        'mutation ($id: ID!) { updateCustomer(input: {id: $id, thirdName: "X"}) { customer { id } } }',
        {"id": carecloud["id"]},
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "thirdName"
    read = _by_native_id(gateway, "RELAY", RELAY_SEED, "civility thirdName")
    assert read == {"civility": None, "thirdName": None}


def test_a_carecloud_create_records_the_customer_source_given_or_the_default(
    gateway: Gateway,
) -> None:
    fields = "id customerSources { edges { node { sourceId } } }"
    given = _create(gateway, "CARECLOUD", fields, customerSource="8fd73167342d06899c4c015320")
    assert given["customerSources"]["edges"] == [
        {"node": {"sourceId": "8fd73167342d06899c4c015320"}}
    ], given
    default = _create(gateway, "CARECLOUD", fields)
    assert default["customerSources"]["edges"] == [
        {"node": {"sourceId": "8bd253a89059008f1d44aa"}}  # CareCloudSettings.customer_source_id
    ], default


def test_a_customer_source_is_refused_by_club_med_and_relay_with_nothing_sent(
    gateway: Gateway,
) -> None:
    from adapters.model import Backend

    gateway.reset_counters()
    for backend, native_id in (("CLUBMED", None), ("RELAY", "SEEDF-SRC-1")):
        given = {"nativeId": native_id} if native_id else {}
        refused = _create(gateway, backend, customerSource="app", **given)
        error = refused["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert error["extensions"]["field"] == "customerSource", error
    assert gateway.calls(Backend.CLUBMED) == {} and gateway.calls(Backend.RELAY) == {}


def test_force_address_lets_club_med_take_an_address_its_validation_refuses(
    gateway: Gateway,
) -> None:
    cityless = {"line1": "1 rue de la Paix", "countryCode": "FR"}
    refused = _create(gateway, "CLUBMED", address=cityless, forceAddress=False)
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", refused
    assert refused["errors"][0]["extensions"]["field"] == "address", refused
    forced = _create(
        gateway, "CLUBMED", "id addresses { line1 city }", address=cityless, forceAddress=True
    )
    assert forced["addresses"] == [{"line1": "1 rue de la Paix", "city": None}], forced


def test_force_address_is_refused_by_carecloud_and_relay_with_nothing_sent(
    gateway: Gateway,
) -> None:
    from adapters.model import Backend

    gateway.reset_counters()
    for backend, native_id in (("CARECLOUD", None), ("RELAY", "SEEDF-FORCE-1")):
        given = {"nativeId": native_id} if native_id else {}
        refused = _create(gateway, backend, forceAddress=True, **given)
        error = refused["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert error["extensions"]["field"] == "forceAddress", error
    assert gateway.calls(Backend.CARECLOUD) == {} and gateway.calls(Backend.RELAY) == {}
    unforced = _create(gateway, "CARECLOUD", forceAddress=False)
    assert "errors" not in unforced, unforced


def test_carecloud_custom_agreements_are_consents_beside_consents_list(gateway: Gateway) -> None:
    """Generated CareCloud records carry consents[] (or the old flags) and a custom agreement,
    partner_offers, granted as marketing is; both read as consents."""
    body = gateway.query(
        '{ customers(filter: {lastName: "Smith"}, backends: [CARECLOUD], first: 10)'
        " { edges { node { nativeId consents { channel purpose granted } } } } }"
    )
    assert "errors" not in body, body
    edges = body["data"]["customers"]["edges"]
    assert len(edges) > 3, edges
    for edge in edges:
        node = edge["node"]
        if node["nativeId"] in (CARECLOUD_SEED, "8bababca29337fcfc92eaad8ab"):
            continue  # the seed's records: their custom agreement is not set (value 2)
        granted = {c["purpose"]: c["granted"] for c in node["consents"]}
        assert granted["GTC"] is True, node
        assert granted["partner_offers"] == granted["MARKETING"], node
    seed = _by_native_id(gateway, "CARECLOUD", CARECLOUD_SEED, "consents { purpose }")
    assert seed["consents"] == [
        {"purpose": "GTC"},
        {"purpose": "PROFILING"},
        {"purpose": "MARKETING"},
    ]


def test_property_and_interest_records_are_nodes(gateway: Gateway) -> None:
    """node and nodes refetch a property or interest record through its customer's list:
    one call per list, whatever the number of ids; Club Med's id is refused, nothing sent."""
    from adapters.model import Backend
    from gateway.ids import CUSTOMER_PROPERTY, INTEREST, encode_id

    seed = _by_native_id(
        gateway,
        "CARECLOUD",
        CARECLOUD_SEED,
        "properties { id propertyId value } interests { id interestId }",
    )
    properties: Any = seed["properties"]
    interests: Any = seed["interests"]
    assert properties and interests, seed
    ids = [p["id"] for p in properties] + [i["id"] for i in interests]
    gateway.reset_counters()
    body = gateway.query(
        """query ($ids: [ID!]!) { nodes(ids: $ids) { id
          ... on CustomerProperty { propertyId value } ... on Interest { interestId } } }""",
        {"ids": ids},
    )
    assert "errors" not in body, body
    assert body["data"]["nodes"] == [*properties, *interests]
    assert gateway.calls(Backend.CARECLOUD) == {
        "GET /customers/{customer_id}/property-records": 1,
        "GET /customers/{customer_id}/interest-records": 1,
    }
    unknown = encode_id(INTEREST, Backend.CARECLOUD, CARECLOUD_SEED, "no-such-record")
    missing = gateway.query("query ($id: ID!) { node(id: $id) { id } }", {"id": unknown})
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND", missing
    gateway.reset_counters()
    clubmed = encode_id(CUSTOMER_PROPERTY, Backend.CLUBMED, "123456789", "shoe_size")
    refused = gateway.query("query ($id: ID!) { node(id: $id) { id } }", {"id": clubmed})
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", refused
    assert gateway.calls(Backend.CLUBMED) == {}


def test_status_records_carry_the_tier_beside_their_own_label(gateway: Gateway) -> None:
    """The tier CareCloud's Loyalty.tier reads off the same label: known names by name, any
    other name (the sandbox's Staff status) OTHER."""
    fields = "statusRecords { edges { node { statusName tier } } } loyalty { status tier }"
    seed = _by_native_id(gateway, "CARECLOUD", CARECLOUD_SEED, fields)
    records: Any = seed["statusRecords"]
    assert [e["node"] for e in records["edges"]] == [
        {"statusName": "Silver", "tier": "SILVER"},
        {"statusName": "Gold", "tier": "GOLD"},
    ]
    staff = _by_native_id(gateway, "CARECLOUD", CARECLOUD_EXAMPLE, fields)
    records = staff["statusRecords"]
    assert [e["node"] for e in records["edges"]] == [{"statusName": "Staff", "tier": "OTHER"}]
    assert staff["loyalty"] == {"status": "Staff", "tier": "OTHER"}
