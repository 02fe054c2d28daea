"""The CareCloud sandbox's customer sub-resources: generated on read, written ones on top.

A generated person's cards, points, status records... are derived from the person on each
read (nothing is generated eagerly for a million people); the first write to one of a
customer's lists copies it into an overlay, which wins from then on. Item fields follow
[DOC] BACKENDS.md §2.6 (CC-spec `paths/customers/SubCustomer*.yaml`). Statuses (the loyalty
tiers a status record points to) are the catalog of `GET /statuses`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

from sandboxes.carecloud.seed import CARD_TYPE_ID, GOLD, SILVER
from sandboxes.carecloud.store import GENERATED_SOURCE_IDS, STORE_IDS, CustomerStore
from sandboxes.common.people import Person

BASIC: Final = "86e05afc7a7abefcd513ab4001"
PLATINUM: Final = "86e05afc7a7abefcd513ab4004"
_STATUS_NAMES: Final = (
    (BASIC, "Basic"),
    (SILVER, "Silver"),
    (GOLD, "Gold"),
    (PLATINUM, "Platinum"),
)
# Person.loyalty_tier -> status; NONE and EXCLUDED people have no status record.
_TIER_STATUS: Final = {"TURQUOISE": BASIC, "SILVER": SILVER, "GOLD": GOLD, "PLATINUM": PLATINUM}
_PREVIOUS: Final = {SILVER: BASIC, GOLD: SILVER, PLATINUM: GOLD}


def _status(rank: int, status_id: str, name: str) -> dict[str, Any]:
    """One status of the catalog ([DOC] CC-spec schemas/Status.yaml)."""
    ids = [s for s, _ in _STATUS_NAMES]
    return {
        "status_id": status_id,
        "name": name,
        "description": f"{name} members",
        "qualification_period": 12,
        "previous_status": ids[rank - 1] if rank else None,
        "next_status": ids[rank + 1] if rank + 1 < len(ids) else None,
        "validity_period": "1 year",
        "collection_points": True,
        "payment_points": rank > 0,
        "qualification_type": 1 if rank == 0 else 3,
        "discount": 5 * rank,
        "last_change": "2023-01-01 00:00:00",
    }


STATUSES: Final = tuple(_status(rank, sid, name) for rank, (sid, name) in enumerate(_STATUS_NAMES))


@dataclass(frozen=True, slots=True)
class Kind:
    """One sub-resource route: its path segment, list key and item id field."""

    segment: str
    key: str
    id_field: str
    paged: bool = True  # segment- and interest-records list no paging parameters


KINDS: Final = {
    k.segment: k
    for k in (
        Kind("purchases", "purchases", "purchase_id"),
        Kind("points", "points", "point_id"),
        Kind("credits", "credits", "credit_id"),
        Kind("vouchers", "vouchers", "voucher_id"),
        Kind("rewards", "rewards", "reward_id"),
        Kind("cards", "cards", "card_id"),
        Kind("segment-records", "segment_records", "segment_id", paged=False),
        Kind("status-records", "status_records", "status_record_id"),
        Kind("recommendation-records", "recommendations", "recommendation_id"),
        Kind("customer-source-records", "customer_source_records", "customer_source_record_id"),
        Kind("property-records", "property_records", "property_record_id", paged=False),
        Kind("interest-records", "interest_records", "interest_record_id", paged=False),
    )
}


def card_number(index: int) -> str:
    """A generated person's card: 2001 + the 9-digit population index (13 digits)."""
    return f"2001{index:09d}"


def _hex_id(*parts: object) -> str:
    return hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=13).hexdigest()


def _draw(p: Person, salt: int) -> int:
    return ((p.index + 1) * 0x9E3779B1 + salt * 0x85EBCA77 + p.seed * 0xC2B2AE3D) & 0xFFFFFFFF


class RecordStore:
    def __init__(self, customers: CustomerStore) -> None:
        self.customers = customers
        self._overlay: dict[tuple[int, str], list[dict[str, Any]]] = {}
        self._cards: dict[str, int] = {}  # card numbers of non-generated customers
        self._serial = 0

    def items(self, slot: int, segment: str) -> list[dict[str, Any]]:
        found = self._overlay.get((slot, segment))
        if found is not None:
            return found
        p = self.customers.person(slot)
        if p is None:
            return []
        return _GENERATORS[segment](p, self.customers.generated_id(slot))

    def writable(self, slot: int, segment: str) -> list[dict[str, Any]]:
        """The customer's list, copied into the overlay so it can be changed."""
        key = (slot, segment)
        if key not in self._overlay:
            self._overlay[key] = [dict(item) for item in self.items(slot, segment)]
        return self._overlay[key]

    def set_items(self, slot: int, segment: str, items: list[dict[str, Any]]) -> None:
        self._overlay[(slot, segment)] = [dict(item) for item in items]
        if segment == "cards":
            self._cards.update((c["card_number"], slot) for c in items)
        if segment == "customer-source-records":
            self.customers.extra_sources.setdefault(slot, set()).update(
                r["customer_source_id"] for r in items
            )

    def new_id(self, segment: str) -> str:
        self._serial += 1
        return _hex_id("written", segment, self.customers.seed, self._serial)

    def card_owner(self, number: str) -> int | None:
        """The customer holding this active card, if any."""
        if number in self._cards:
            return self._cards[number]
        if len(number) != 13 or not number.startswith("2001") or not number.isdigit():
            return None
        slot = int(number[4:]) - self.customers.first_index
        return slot if 0 <= slot < len(self.customers.people) else None


# --- generators: one per route, each small and derived from the person -------------------


def _cards(p: Person, customer_id: str) -> list[dict[str, Any]]:
    card = {
        "card_id": _hex_id("card", p.seed, p.index),
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
        "card_id": _hex_id("card-old", p.seed, p.index),
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
            "point_id": _hex_id("point", p.seed, p.index, n),
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
        "status_record_id": _hex_id("status", p.seed, p.index, 1),
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
        "status_record_id": _hex_id("status", p.seed, p.index, 0),
        "status_id": previous,
        "valid_from": f"{(start - timedelta(days=365)).isoformat()} 00:00:00",
        "valid_to": f"{(start - timedelta(days=1)).isoformat()} 23:59:59",
        "state": 2,
    }
    return [before, current]


def _purchases(p: Person, customer_id: str) -> list[dict[str, Any]]:
    return [
        {
            "purchase_id": _hex_id("purchase", p.seed, p.index, n),
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
            "credit_id": _hex_id("credit", p.seed, p.index),
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
            "reward_id": _hex_id("reward", n),
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
            "voucher_id": _hex_id("voucher", p.seed, p.index),
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
            "segment_id": _hex_id("segment", p.place.country_code),
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
            "recommendation_id": _hex_id("recommendation", p.place.city),
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
            "customer_source_record_id": _hex_id("source", p.seed, p.index),
            "customer_source_id": GENERATED_SOURCE_IDS[p.index % 2],
            "external_id": f"EXT{p.index:09d}",
            "last_change": f"{p.member_since}-01-01 00:00:00",
        }
    ]


def _property_records(p: Person, customer_id: str) -> list[dict[str, Any]]:
    if p.index % 4:
        return []
    # A property record's id is "<property_id>:<customer_id>" ([DOC] CC-spec examples).
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
            "interest_record_id": _hex_id("interest", p.seed, p.index),
            "interest_id": "81eaeea13b8984a169c490a325",
            "customer_id": customer_id,
            "last_change": "2025-01-01 00:00:00",
        }
    ]


_GENERATORS: Final = {
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
