"""The Club Med sandbox's customers: generated people kept compact, written records on top.

Slots 0..N-1 hold the generated people (their `Person` tuples, turned into records on read);
the seed and created customers follow. A record written by a create or a PATCH lives in
`written` and wins. Indexes map a normalised search key to slots; they may keep stale slots
after a PATCH, so every candidate is checked against its current record before it is returned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import overload

from starlette.requests import Request

from adapters.model import Backend
from sandboxes.clubmed.filter import Criterion
from sandboxes.clubmed.records import (
    GENERATED_GM_BASE,
    GENERATED_ID_BASE,
    Record,
    documents_of,
    no_documents,
    record_of,
    travelers_of,
    yyyymmdd,
)
from sandboxes.clubmed.seed import SEED_PASSPORT, SEED_TRAVELERS, seed_record
from sandboxes.common import Person, SandboxConfig, SlotIndex, people_for, slice_range

INDEXED_FIELDS = ("first_name", "last_name", "email", "phones.number", "birthdate", "gm_number")


def phone_digits(number: str) -> str | None:
    """The digits of a phone number, a leading "+" and spaces ignored; None if not a number."""
    digits = number.replace(" ", "").removeprefix("+")
    return digits if digits.isascii() and digits.isdigit() else None


def search_key(field: str, value: str) -> str | None:
    """How an asked or stored value is compared: casefolded names and email, phone digits."""
    if field in ("first_name", "last_name", "email"):
        return value.casefold()
    if field == "phones.number":
        return phone_digits(value)
    return value


def _keys(record: Record, field: str) -> Iterable[str]:
    """The search keys a record holds for `field` (a phone list gives several)."""
    if field == "phones.number":
        numbers = [p.get("number") or "" for p in record["phones"]]
    else:
        numbers = [record[field]] if record[field] else []
    for value in numbers:
        key = search_key(field, value)
        if key:
            yield key


class Matches(Sequence[Record]):
    """A search's matching slots in id order; each record is made when it is read."""

    def __init__(self, store: CustomerStore, slots: list[int]) -> None:
        self.store = store
        self.slots = slots

    def __len__(self) -> int:
        return len(self.slots)

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return [self.store.record(slot) for slot in self.slots[index]]
        return self.store.record(self.slots[index])


class CustomerStore:
    """Every customer of the sandbox, its travelers and travel documents."""

    def __init__(self, config: SandboxConfig) -> None:
        self.people: list[Person] = list(people_for(Backend.CLUBMED, config.customers, config.seed))
        self.first_index = slice_range(Backend.CLUBMED, config.customers).start
        self.written: dict[int, Record] = {}
        self.travelers: dict[int, list[Record]] = {}
        self.documents: dict[int, Record] = {}
        self.owners: dict[int, str] = {}  # slot -> client id, for created customers
        self._extra_ids: dict[str, int] = {}  # seed and created customers' ids -> slot
        self._extra_gm: dict[str, int] = {}
        self._next_number = self.first_index + len(self.people)
        self.indexes: dict[str, SlotIndex] = {field: SlotIndex() for field in INDEXED_FIELDS}
        self._index_people()
        self._add_seed()

    def _index_people(self) -> None:
        by_first, by_last = self.indexes["first_name"], self.indexes["last_name"]
        by_email, by_phone = self.indexes["email"], self.indexes["phones.number"]
        by_birthdate = self.indexes["birthdate"]
        folded: dict[str, str] = {}  # the few distinct names, casefolded once each
        for slot, p in enumerate(self.people):
            if p.first_name not in folded:
                folded[p.first_name] = p.first_name.casefold()
            if p.last_name not in folded:
                folded[p.last_name] = p.last_name.casefold()
            by_first.add(folded[p.first_name], slot)
            by_last.add(folded[p.last_name], slot)
            by_email.add(p.email, slot)
            by_phone.add("0" + p.phone_national, slot)
            by_birthdate.add(yyyymmdd(p.birthdate), slot)
        # gm_number of a generated person is arithmetic: see slot_of_gm_number.

    def _add_seed(self) -> None:
        slot = self._append(seed_record(), None)
        self.travelers[slot] = [dict(t) for t in SEED_TRAVELERS]
        self.documents[slot] = no_documents() | {"passport": dict(SEED_PASSPORT)}

    def _append(self, record: Record, owner: str | None) -> int:
        slot = len(self.people) + len(self._extra_ids)
        self.written[slot] = record
        self._extra_ids[record["id"]] = slot
        self._extra_gm[record["gm_number"]] = slot
        if owner is not None:
            self.owners[slot] = owner
        self.index(slot)
        return slot

    # --- lookups -------------------------------------------------------------------------

    def slot_of(self, customer_id: str) -> int | None:
        """The slot of a customer id (digits), or None when unknown."""
        if customer_id in self._extra_ids:
            return self._extra_ids[customer_id]
        offset = int(customer_id) - GENERATED_ID_BASE - self.first_index
        return offset if 0 <= offset < len(self.people) else None

    def slot_of_gm_number(self, gm_number: str) -> int | None:
        if gm_number in self._extra_gm:
            return self._extra_gm[gm_number]
        if not gm_number.isdigit():
            return None
        offset = int(gm_number) - GENERATED_GM_BASE - self.first_index
        return offset if 0 <= offset < len(self.people) else None

    def record(self, slot: int) -> Record:
        """The current record of a slot (read-only: use `writable` to change it)."""
        found = self.written.get(slot)
        if found is not None:
            return found
        number = self.first_index + slot
        return record_of(
            self.people[slot], str(GENERATED_ID_BASE + number), str(GENERATED_GM_BASE + number)
        )

    def writable(self, slot: int) -> Record:
        if slot not in self.written:
            self.written[slot] = self.record(slot)
        return self.written[slot]

    def index(self, slot: int) -> None:
        """Index the slot's current values (old keys stay; searches re-check candidates)."""
        record = self.record(slot)
        for field in INDEXED_FIELDS:
            if field == "gm_number":
                continue
            for key in _keys(record, field):
                self.indexes[field].add(key, slot)

    def email_owner(self, email: str) -> int | None:
        """The slot of the customer holding this email (case-insensitive), if any."""
        wanted = email.casefold()
        for slot in self.indexes["email"].slots(wanted):
            current = self.record(slot)["email"]
            if current and current.casefold() == wanted:
                return slot
        return None

    # --- search --------------------------------------------------------------------------

    def _candidates(self, criterion: Criterion) -> Sequence[int]:
        key = search_key(criterion.field, criterion.value)
        if key is None:
            return ()
        if criterion.field == "gm_number":
            slot = self.slot_of_gm_number(key)
            return () if slot is None else (slot,)
        return self.indexes[criterion.field].slots(key)

    def _matches(self, record: Record, criterion: Criterion) -> bool:
        if criterion.field == "gm_number":
            return bool(record["gm_number"] == criterion.value)
        key = search_key(criterion.field, criterion.value)
        return key in set(_keys(record, criterion.field))

    def search(
        self, criteria: Sequence[Criterion], visible: Callable[[int], bool] | None = None
    ) -> Sequence[Record]:
        """The records matching every criterion, in ascending id order, made only when read.

        `visible(slot) -> bool`, when given, narrows to the slots the caller may see. A
        generated person's index keys are its record's, so only a written record (whose old
        keys stay in the index) is checked again; a page renders only its own records, so a
        common last name at 100,000 customers costs its page, not its thousand matches.
        """
        sets = sorted((self._candidates(c) for c in criteria), key=len)
        found = set(sets[0])
        for other in sets[1:]:
            found.intersection_update(other)
        slots = []
        for slot in found:
            if visible is not None and not visible(slot):
                continue
            written = self.written.get(slot)
            if written is None or all(self._matches(written, c) for c in criteria):
                slots.append(slot)
        slots.sort(key=self._number_of)
        return Matches(self, slots)

    def _number_of(self, slot: int) -> int:
        """A slot's customer id as a number (the search's order)."""
        written = self.written.get(slot)
        if written is not None:
            return int(written["id"])
        return GENERATED_ID_BASE + self.first_index + slot

    # --- writes --------------------------------------------------------------------------

    def create(self, record: Record, owner: str) -> Record:
        """Add a customer: gives it the next free id and gm_number."""
        while True:
            number = self._next_number
            self._next_number += 1
            customer_id = str(GENERATED_ID_BASE + number)
            gm_number = str(GENERATED_GM_BASE + number)
            if customer_id not in self._extra_ids and gm_number not in self._extra_gm:
                break
        record = {"id": customer_id, "gm_number": gm_number} | record
        slot = self._append(record, owner)
        self.travelers[slot] = []
        self.documents[slot] = no_documents()
        return record

    def travelers_of(self, slot: int) -> list[Record]:
        """The slot's stored travelers, writable."""
        if slot not in self.travelers:
            self.travelers[slot] = travelers_of(self.people[slot])
        return self.travelers[slot]

    def documents_of(self, slot: int) -> Record:
        """The slot's stored travel documents, writable."""
        if slot not in self.documents:
            self.documents[slot] = documents_of(self.people[slot])
        return self.documents[slot]


def customer_store(request: Request) -> CustomerStore:
    """The sandbox's store, kept on its app's state."""
    store: CustomerStore = request.app.state.store
    return store
