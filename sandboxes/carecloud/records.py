"""CareCloud records of a generated person, derived on each read and never stored: the
customer (its personal_information, [DOC] docs/backends/carecloud.md#customer-record) and its
sub-resources (cards, points, status records..., [DOC] docs/backends/carecloud.md#sub-resources,
CC-spec `paths/customers/SubCustomer*.yaml`, docs/backends/carecloud.md#sources).

Nothing is generated eagerly for a million people: a record is rendered from the person
when it is read; the store keeps what is written on top.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any, Final

from sandboxes.carecloud.statuses import BASIC, GOLD, PLATINUM, SILVER
from sandboxes.common import Person

# Customer sources of the generated people (ids from CC-spec examples,
# docs/backends/carecloud.md#sources).
GENERATED_SOURCE_IDS: Final = ("8fd73167342d06899c4c015320", "8fdd651ff3f615bcebebad87ce")
STORE_IDS: Final = ("8bed991c68a4", "88dab5c7c6034ba59f886f4a", "8fd7316732d06899c4c015320")
CARD_TYPE_ID: Final = "8bed991c68a470e7aaeffbf048"
PARTNER_AGREEMENT: Final = "partner_offers"  # a generated custom agreement id
_LAST_CHANGE_EPOCH: Final = datetime(2024, 1, 1)
# Person.loyalty_tier -> status; NONE and EXCLUDED people have no status record.
_TIER_STATUS: Final = {"TURQUOISE": BASIC, "SILVER": SILVER, "GOLD": GOLD, "PLATINUM": PLATINUM}
_PREVIOUS: Final = {SILVER: BASIC, GOLD: SILVER, PLATINUM: GOLD}


def record_of(p: Person, customer_id: str) -> dict[str, Any]:
    """A generated person as GET /customers/{customer_id} answers them."""
    changed = _LAST_CHANGE_EPOCH + timedelta(seconds=(p.index * 7_919_993) % (600 * 86_400))
    return {
        "customer_id": customer_id,
        "personal_information": personal_information_of(p, changed.strftime("%Y-%m-%d %H:%M:%S")),
        "last_change": changed.strftime("%Y-%m-%d %H:%M:%S"),
        "state": 1,
    }


def personal_information_of(p: Person, last_change: str) -> dict[str, Any]:
    """A generated person as CareCloud writes them
    ([DOC] docs/backends/carecloud.md#customer-record)."""
    info: dict[str, Any] = {
        "gender": 2 if p.gender == "F" else 1,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "birthdate": p.birthdate.isoformat(),
        "email": p.email,
        # International prefix, no "+" ([DOC] PersonalInformation.yaml pattern ^[1-9][0-9]*$).
        "phone": p.phone_international,
        "language_id": p.place.locale.split("-")[0],
        "store_id": STORE_IDS[p.index % len(STORE_IDS)],
        "address": {
            "address1": p.street,
            "address2": str(p.street_number),
            "address3": "",
            "zip": p.place.postal_code,
            "city": p.place.city,
            "country_code": p.place.country_code.lower(),
        },
    }
    marketing = 1 if p.marketing_consent else 0
    # A custom agreement, as on the seed's customer, beside consents[] or the old flags.
    custom = [{"agreement_id": PARTNER_AGREEMENT, "agreement_value": marketing}]
    if p.index % 3 == 0:
        # Older accounts still carry the deprecated `agreement`
        # ([DOC] docs/backends/carecloud.md#customer-record).
        info["agreement"] = {
            "agreement_gtc": 1,
            "agreement_profiling": 2,
            "agreement_marketing_communication": marketing,
            "custom_agreements": custom,
        }
    else:
        info["agreement"] = {"custom_agreements": custom}
        info["consents"] = [
            {"consent_id": "gtc", "consent_value": 1, "last_change": last_change},
            {"consent_id": "profiling", "consent_value": 2, "last_change": last_change},
            {
                "consent_id": "marketing_communication",
                "consent_value": marketing,
                "last_change": last_change,
            },
        ]
    return info


def card_number(index: int) -> str:
    """A generated person's card: 2001 + the 9-digit population index (13 digits)."""
    return f"2001{index:09d}"


def hex_id(*parts: object) -> str:
    return hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=13).hexdigest()


def _draw(p: Person, salt: int) -> int:
    return ((p.index + 1) * 0x9E3779B1 + salt * 0x85EBCA77 + p.seed * 0xC2B2AE3D) & 0xFFFFFFFF


# --- generators: one per route, each small and derived from the person -------------------


def _cards(p: Person, customer_id: str) -> list[dict[str, Any]]:
    card = {
        "card_id": hex_id("card", p.seed, p.index),
        "card_type_id": CARD_TYPE_ID,
        "card_number": card_number(p.index),
        "secondary_card_number": None,
        "valid_from": f"{p.member_since}-01-01",
        "valid_to": None,
        "store_id": STORE_IDS[p.index % len(STORE_IDS)],
        "state": 1,
    }
    if p.index % 10 != 0:
        return [card]
    # One person in ten also kept a blocked older card, listed first.
    blocked = {
        **card,
        "card_id": hex_id("card-old", p.seed, p.index),
        "card_number": f"2000{p.index:09d}",
        "state": 0,
    }
    return [blocked, card]


def _points(p: Person, customer_id: str) -> list[dict[str, Any]]:
    """1 to 3 point records; the active ones' available points add up to the person's."""
    count = 1 + _draw(p, 1) % 3
    bonus = min(_draw(p, 2) % 500, p.loyalty_points) if count >= 2 else 0
    records = [
        (p.loyalty_points - bonus, 1, "Purchases"),
        (bonus, 1, "Bonus"),
        (100, 2, "Expired campaign"),
    ]
    return [
        {
            "point_id": hex_id("point", p.seed, p.index, n),
            "assigned_points": float(available + 10 * n),
            "available_points": float(available),
            "point_type_id": "86e05affc7a7abefcd513ab400",
            "partner_id": None,
            "valid_to": f"{p.renewal_date.year + 3}-12-31" if state == 1 else "2024-12-31",
            "state": state,
            "created_at": f"{p.member_since}-02-01 10:00:00",
            "note": note,
        }
        for n, (available, state, note) in enumerate(records[:count])
    ]


def _status_records(p: Person, customer_id: str) -> list[dict[str, Any]]:
    """0 to 2: the current tier (valid three years past the renewal date), maybe the one before."""
    status = _TIER_STATUS.get(p.loyalty_tier)
    if status is None:
        return []
    start = p.renewal_date - timedelta(days=365)
    current = {
        "status_record_id": hex_id("status", p.seed, p.index, 1),
        "status_id": status,
        "valid_from": f"{start.isoformat()} 00:00:00",
        "valid_to": f"{(p.renewal_date + timedelta(days=3 * 365)).isoformat()} 23:59:59",
        "purchase_conditions": None,
        "state": 1,
    }
    previous = _PREVIOUS.get(status)
    if previous is None or _draw(p, 3) % 2:
        return [current]
    before = {
        **current,
        "status_record_id": hex_id("status", p.seed, p.index, 0),
        "status_id": previous,
        "valid_from": f"{(start - timedelta(days=365)).isoformat()} 00:00:00",
        "valid_to": f"{(start - timedelta(days=1)).isoformat()} 23:59:59",
        "state": 2,
    }
    return [before, current]


def _purchases(p: Person, customer_id: str) -> list[dict[str, Any]]:
    return [
        {
            "purchase_id": hex_id("purchase", p.seed, p.index, n),
            "store_id": STORE_IDS[(p.index + n) % len(STORE_IDS)],
            "external_purchase_id": f"P{p.index:09d}-{n}",
            "payment_time": f"2025-{1 + (p.index + n) % 12:02d}-{1 + n * 7:02d} 12:30:00",
            "items_count": 1 + n,
            "type_id": "86e05affc7a7abefd513ab400",
            "total_price": float(10 + _draw(p, 10 + n) % 300),
            "currency_id": "8fd7316732d06899c4c015320",
            "card_number": card_number(p.index),
            "cashdesk_number": f"{1 + n}",
            "purchase_items": [],
            "property_records": [],
        }
        for n in range(_draw(p, 4) % 3)
    ]


def _credits(p: Person, customer_id: str) -> list[dict[str, Any]]:
    if _draw(p, 5) % 2:
        return []
    amount = float(_draw(p, 6) % 200)
    return [
        {
            "credit_id": hex_id("credit", p.seed, p.index),
            "assigned_credits": amount,
            "available_credits": amount,
            "credit_type_id": "83d1d11ea3884a5d33253fe214",
            "partner_id": None,
            "valid_to": "2027-12-31",
            "currency_id": "8fd7316732d06899c4c015320",
            "state": 1,
            "note": None,
        }
    ]


def _rewards(p: Person, customer_id: str) -> list[dict[str, Any]]:
    names = ("Free coffee", "10 % off", "Birthday gift")
    return [
        {
            "reward_id": hex_id("reward", n),
            "code": f"RW{n:03d}",
            "name": names[n],
            "points_cost": 100 * (n + 1),
            "reward_group": 1,
            "priority": 5,
            "valid_from": "2025-01-01",
            "valid_to": "2027-12-31",
            "is_automated": False,
        }
        for n in range(_draw(p, 7) % 3)
    ]


def _vouchers(p: Person, customer_id: str) -> list[dict[str, Any]]:
    rewards = _rewards(p, customer_id)
    if not rewards:
        return []
    reward = rewards[0]
    return [
        {
            "voucher_id": hex_id("voucher", p.seed, p.index),
            "code": f"V{p.index:09d}",
            "value": 5.0,
            "applied_date": None,
            "valid_from": "2025-01-01",
            "valid_to": "2027-12-31",
            "reward_group": reward["reward_group"],
            "reward": {"reward_id": reward["reward_id"], "name": reward["name"]},
            "reward_id": reward["reward_id"],
            "created_at": "2025-01-01 09:00:00",
            "state": 1,
        }
    ]


def _segment_records(p: Person, customer_id: str) -> list[dict[str, Any]]:
    return [
        {
            "segment_id": hex_id("segment", p.place.country_code),
            "customer_id": customer_id,
            "created_at": f"{p.member_since}-01-01 00:00:00",
            "last_change": "2025-01-01 00:00:00",
        }
    ]


def _recommendations(p: Person, customer_id: str) -> list[dict[str, Any]]:
    if _draw(p, 8) % 2:
        return []
    return [
        {
            "recommendation_id": hex_id("recommendation", p.place.city),
            "name": f"Weekend in {p.place.city}",
            "brief_description": "A short stay nearby",
            "detailed_description": None,
            "content": None,
            "picture_urls": [],
            "web_url": None,
            "state": 1,
        }
    ]


def _source_records(p: Person, customer_id: str) -> list[dict[str, Any]]:
    return [
        {
            "customer_source_record_id": hex_id("source", p.seed, p.index),
            "customer_source_id": GENERATED_SOURCE_IDS[p.index % 2],
            "external_id": f"EXT{p.index:09d}",
            "last_change": f"{p.member_since}-01-01 00:00:00",
        }
    ]


def _property_records(p: Person, customer_id: str) -> list[dict[str, Any]]:
    if p.index % 4:
        return []
    # A property record's id is "<property_id>:<customer_id>" ([DOC] CC-spec examples,
    # docs/backends/carecloud.md#sources).
    return [
        {
            "property_record_id": f"is_biker:{customer_id}",
            "property_id": "is_biker",
            "property_name": "Is a biker",
            "property_value": bool(p.index % 8 == 0),
            "last_change": "2025-01-01 00:00:00",
        }
    ]


def _interest_records(p: Person, customer_id: str) -> list[dict[str, Any]]:
    if p.index % 5:
        return []
    return [
        {
            "interest_record_id": hex_id("interest", p.seed, p.index),
            "interest_id": "81eaeea13b8984a169c490a325",
            "customer_id": customer_id,
            "last_change": "2025-01-01 00:00:00",
        }
    ]


GENERATORS: Final = {
    "purchases": _purchases,
    "points": _points,
    "credits": _credits,
    "vouchers": _vouchers,
    "rewards": _rewards,
    "cards": _cards,
    "segment-records": _segment_records,
    "status-records": _status_records,
    "recommendation-records": _recommendations,
    "customer-source-records": _source_records,
    "property-records": _property_records,
    "interest-records": _interest_records,
}
