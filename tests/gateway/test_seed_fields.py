"""Issue 15's fields from the seeds, end to end over HTTP: the loyalty tier, and the fields
the schema did not carry (docs/api.md)."""

from __future__ import annotations

from tests.gateway.conftest import Gateway

CARECLOUD_SEED = "8ea6abece4cd0a4ded0a29f093"  # John Smith, CareCloud's seed customer
RELAY_SEED = "BAK-11984-007"  # Roger Moore, Relay's seed customer

CLUBMED_TIERS = {
    "NONE": "NONE",
    "TURQUOISE": "BASIC",
    "SILVER": "SILVER",
    "GOLD": "GOLD",
    "PLATINUM": "PLATINUM",
    "EXCLUDED": "EXCLUDED",
}


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
