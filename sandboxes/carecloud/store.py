"""The CareCloud sandbox's customers: generated people kept compact, written records on top.

Each customer has a slot: generated people hold slots 0..N-1 (their `Person` tuples, rendered
to JSON on read), and the seed examples and created customers follow. A written record (a
created customer, or any customer after a PUT) lives in the `written` overlay and wins over
the generated person. Indexes map normalised keys to slots; an index may hold stale slots
after a PUT, so every candidate is checked against the current record before it is returned.

A customer's sub-resources (cards, points, status records...) are kept the same way by
`RecordStore`: derived from the person on each read, and copied into an overlay by the first
write to one of the customer's lists, which wins from then on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from starlette.requests import Request

from adapters.model import Backend
from sandboxes.carecloud.records import GENERATED_SOURCE_IDS, GENERATORS, hex_id, record_of
from sandboxes.common import (
    Person,
    SandboxConfig,
    SlotIndex,
    parse_iso_date,
    people_for,
    slice_range,
)


def fold(text: str) -> str:
    """Names match case-insensitively but exactly; emails case-insensitively."""
    return text.casefold()


@dataclass(frozen=True, slots=True)
class Criteria:
    """GET /customers filters, normalised; all ANDed
    ([DOC] docs/backends/carecloud.md#conventions)."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    birthdate: date | None = None
    customer_source_id: str | None = None
    emails: frozenset[str] | None = None
    customer_ids: frozenset[str] | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__slots__)


class CustomerStore:
    def __init__(self, config: SandboxConfig) -> None:
        self.seed = config.seed
        self.people: list[Person] = list(
            people_for(Backend.CARECLOUD, config.customers, config.seed)
        )
        self.first_index = slice_range(Backend.CARECLOUD, config.customers).start
        self.written: dict[int, dict[str, Any]] = {}
        self._slot_by_id: dict[str, int] = {}
        # Customer sources added by POST /customers or customer-source-records, per slot.
        self.extra_sources: dict[int, set[str]] = {}
        self._mask = int(
            hashlib.blake2b(f"carecloud-ids:{self.seed}".encode(), digest_size=8).hexdigest(), 16
        )
        self._created = 0
        self.by_first = SlotIndex()
        self.by_last = SlotIndex()
        self.by_email = SlotIndex()
        self.by_phone = SlotIndex()
        self.by_birthdate = SlotIndex()
        self._index_people()

    @property
    def size(self) -> int:
        return len(self.people) + len(self._slot_by_id)

    def _index_people(self) -> None:
        for slot, p in enumerate(self.people):
            self.by_first.add(fold(p.first_name), slot)
            self.by_last.add(fold(p.last_name), slot)
            self.by_email.add(p.email, slot)
            # Phones are indexed by their last 9 digits: the national part of a generated one.
            self.by_phone.add(p.phone_national, slot)
            self.by_birthdate.add(p.birthdate, slot)

    def _index_record(self, slot: int, info: dict[str, Any]) -> None:
        if isinstance(info.get("first_name"), str):
            self.by_first.add(fold(info["first_name"]), slot)
        if isinstance(info.get("last_name"), str):
            self.by_last.add(fold(info["last_name"]), slot)
        if isinstance(info.get("email"), str):
            self.by_email.add(fold(info["email"]), slot)
        if isinstance(info.get("phone"), str):
            self.by_phone.add(info["phone"][-9:], slot)
        born = parse_iso_date(info["birthdate"]) if isinstance(info.get("birthdate"), str) else None
        if born is not None:
            self.by_birthdate.add(born, slot)

    # --- ids -----------------------------------------------------------------------------

    def generated_id(self, slot: int) -> str:
        """26 hex characters derived from the person's index: a check part, then the index."""
        index = self.first_index + slot
        check = hashlib.blake2b(
            f"carecloud:{self.seed}:{index}".encode(), digest_size=5
        ).hexdigest()
        return f"{check}{index ^ self._mask:016x}"

    def slot_of(self, customer_id: str) -> int | None:
        found = self._slot_by_id.get(customer_id)
        if found is not None:
            return found
        if len(customer_id) != 26:
            return None
        try:
            index = int(customer_id[10:], 16) ^ self._mask
        except ValueError:
            return None
        slot = index - self.first_index
        if 0 <= slot < len(self.people) and self.generated_id(slot) == customer_id:
            return slot
        return None

    def customer_id(self, slot: int) -> str:
        written = self.written.get(slot)
        return str(written["customer_id"]) if written else self.generated_id(slot)

    def person(self, slot: int) -> Person | None:
        """The generated person behind a slot (also after a PUT), None for other customers."""
        return self.people[slot] if slot < len(self.people) else None

    # --- reads ---------------------------------------------------------------------------

    def record(self, slot: int) -> dict[str, Any]:
        written = self.written.get(slot)
        return written if written is not None else self._render(slot)

    def _render(self, slot: int) -> dict[str, Any]:
        return record_of(self.people[slot], self.generated_id(slot))

    def _compared(self, slot: int) -> tuple[Any, Any, Any, Any, Any]:
        """(first name, last name, email, phone, birthdate) as a filter compares them."""
        written = self.written.get(slot)
        if written is None:
            p = self.people[slot]
            return p.first_name, p.last_name, p.email, p.phone_international, p.birthdate
        info = written["personal_information"]
        born = info.get("birthdate")
        return (
            info.get("first_name"),
            info.get("last_name"),
            info.get("email"),
            info.get("phone"),
            parse_iso_date(born) if isinstance(born, str) else None,
        )

    def source_ids(self, slot: int) -> set[str]:
        found = set(self.extra_sources.get(slot, ()))
        if slot < len(self.people):
            found.add(GENERATED_SOURCE_IDS[self.people[slot].index % 2])
        return found

    def search(self, criteria: Criteria) -> Sequence[int]:
        """The slots matching every criterion, in slot (creation) order."""
        if criteria.is_empty():
            return range(self.size)
        found = self._candidates(criteria)
        if found is None:
            return [slot for slot in range(self.size) if self.matches(slot, criteria)]
        candidates, exact = found
        # A generated person never written to matches its exact index key by construction:
        # only the other criteria need checking. Written records may be stale in an index.
        rest = replace(criteria, **{exact: None}) if exact else criteria
        unchecked = rest.is_empty()
        return [
            slot
            for slot in sorted(set(candidates))
            if (
                self.matches(slot, criteria)
                if slot in self.written
                else unchecked or self.matches(slot, rest)
            )
        ]

    def _candidates(self, c: Criteria) -> tuple[Sequence[int], str | None] | None:
        """The shortest index list among the criteria, and the criterion it matches exactly."""
        lists: list[tuple[Sequence[int], str | None]] = []
        if c.customer_ids is not None:
            ids = [s for s in map(self.slot_of, c.customer_ids) if s is not None]
            lists.append((ids, "customer_ids"))
        if c.emails is not None:
            lists.append(([s for e in c.emails for s in self.by_email.slots(e)], "emails"))
        if c.email is not None:
            lists.append((self.by_email.slots(c.email), "email"))
        if c.phone is not None:  # keyed by the last 9 digits: not exact
            lists.append((self.by_phone.slots(c.phone[-9:]), None))
        if c.birthdate is not None:
            lists.append((self.by_birthdate.slots(c.birthdate), "birthdate"))
        if c.last_name is not None:
            lists.append((self.by_last.slots(c.last_name), "last_name"))
        if c.first_name is not None:
            lists.append((self.by_first.slots(c.first_name), "first_name"))
        return min(lists, key=lambda pair: len(pair[0])) if lists else None

    def matches(self, slot: int, c: Criteria) -> bool:
        first, last, email, phone, born = self._compared(slot)
        return (
            (c.first_name is None or (first is not None and fold(first) == c.first_name))
            and (c.last_name is None or (last is not None and fold(last) == c.last_name))
            and (c.email is None or (email is not None and fold(email) == c.email))
            and (c.emails is None or (email is not None and fold(email) in c.emails))
            and (c.phone is None or phone == c.phone)
            and (c.birthdate is None or born == c.birthdate)
            and (c.customer_ids is None or self.customer_id(slot) in c.customer_ids)
            and (c.customer_source_id is None or c.customer_source_id in self.source_ids(slot))
        )

    def email_taken(self, email: str, *, other_than: int | None = None) -> bool:
        """Whether another customer already has this email (case-insensitive)."""
        return any(s != other_than for s in self.search(Criteria(email=fold(email))))

    # --- writes --------------------------------------------------------------------------

    def add(
        self, customer_id: str | None, info: dict[str, Any], last_change: str
    ) -> tuple[int, str]:
        """A new customer (a seed example, or POST /customers), with a new id unless given."""
        if customer_id is None:
            self._created += 1
            customer_id = hashlib.blake2b(
                f"carecloud-created:{self.seed}:{self._created}".encode(), digest_size=13
            ).hexdigest()
        slot = self.size
        self._slot_by_id[customer_id] = slot
        self.written[slot] = {
            "customer_id": customer_id,
            "personal_information": info,
            "last_change": last_change,
            "state": 1,
        }
        self._index_record(slot, info)
        return slot, customer_id

    def replace(self, slot: int, info: dict[str, Any], last_change: str) -> None:
        """PUT: the whole personal_information is replaced and last_change bumped."""
        record = dict(self.record(slot))
        record["personal_information"] = info
        record["last_change"] = last_change
        self.written[slot] = record
        self._index_record(slot, info)


class RecordStore:
    """Every customer's sub-resource lists, by slot and route segment."""

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
        return GENERATORS[segment](p, self.customers.generated_id(slot))

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
        return hex_id("written", segment, self.customers.seed, self._serial)

    def card_owner(self, number: str) -> int | None:
        """The customer holding this active card, if any."""
        if number in self._cards:
            return self._cards[number]
        if len(number) != 13 or not number.startswith("2001") or not number.isdigit():
            return None
        slot = int(number[4:]) - self.customers.first_index
        return slot if 0 <= slot < len(self.customers.people) else None


def customer_store(request: Request) -> CustomerStore:
    """The sandbox's customers, kept on its app's state."""
    store: CustomerStore = request.app.state.store
    return store


def record_store(request: Request) -> RecordStore:
    """The sandbox's sub-resource lists, kept on its app's state."""
    records: RecordStore = request.app.state.records
    return records
