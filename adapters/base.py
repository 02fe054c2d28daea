"""The one interface the gateway speaks to every back end through.

An adapter declares what it can do (`capabilities`, and which filters its search answers:
`search_criteria`, `search_criteria_needing`, read by `search_refusal`); whatever it cannot
do raises `Unsupported` before anything is sent upstream. `get_customers` is the batch
entry point of the dataloaders: each distinct id fetched once, all concurrently (the back
end's one bulkhead, in its `Upstream`, lets GATEWAY_UPSTREAM_MAX_CONCURRENCY requests out at
a time), and a failed id returns its exception in its place so one bad record does not fail
its neighbours.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from adapters.errors import Unsupported, UpstreamError
from adapters.model import (
    Backend,
    Customer,
    CustomerDraft,
    CustomerFilter,
    CustomerPatch,
    Page,
    PageRequest,
    TravelDocument,
    TravelDocumentPatch,
    Traveler,
    TravelerDraft,
)

T = TypeVar("T")


class Capability(enum.Enum):
    SEARCH = "SEARCH"
    READ = "READ"
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    TRAVELERS = "TRAVELERS"
    TRAVEL_DOCUMENTS = "TRAVEL_DOCUMENTS"
    LOYALTY = "LOYALTY"


@dataclass(frozen=True, slots=True)
class Created:
    """A created record; `recovered` when the create's answer was lost and it was found."""

    customer: Customer
    recovered: bool = False


def matches_draft(customer: Customer, draft: CustomerDraft) -> bool:
    """Whether a record holds what a create sent: names, email and birthdate (case aside)."""

    def same(held: str | None, sent: str | None) -> bool:
        return sent is None or (held or "").casefold() == sent.casefold()

    return (
        same(customer.first_name, draft.first_name)
        and same(customer.last_name, draft.last_name)
        and same(customer.email, draft.email)
        and (draft.birthdate is None or customer.birthdate == draft.birthdate)
    )


class CustomerAdapter:
    """Base of the three adapters. Subclasses override what their back end supports."""

    backend: ClassVar[Backend]
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    # The CustomerFilter criteria this back end's search applies, in any combination.
    search_criteria: ClassVar[frozenset[str]] = frozenset()
    # Criteria it applies only alongside others: each one -> the criteria it needs with it.
    search_criteria_needing: ClassVar[Mapping[str, frozenset[str]]] = {}
    # Whether `create_customer` needs the caller's id (Relay's ccid) or refuses one.
    caller_assigns_id: ClassVar[bool] = False

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def _unsupported(self, operation: str) -> Unsupported:
        return Unsupported(self.backend, f"{self.backend.name} cannot {operation}")

    def search_refusal(self, filter: CustomerFilter) -> str | None:
        """Why this back end's search cannot answer `filter`, or None when it can."""
        name = self.backend.name
        if not self.supports(Capability.SEARCH):
            return f"{name} cannot search"
        criteria = filter.criteria()
        if not criteria:  # no criterion would list the whole back end
            return f"{name} searches by at least one criterion"
        needing = self.search_criteria_needing
        unknown = criteria - self.search_criteria - needing.keys()
        if unknown:
            return f"{name} cannot search by {', '.join(sorted(unknown))}"
        for criterion in sorted(criteria & needing.keys()):
            if not needing[criterion] <= criteria:
                others = ", ".join(sorted(needing[criterion]))
                return f"{name} searches by {criterion} only with {others}"
        return None

    async def search(self, filter: CustomerFilter, page: PageRequest) -> Page[Customer]:
        raise self._unsupported("search customers")

    async def get_customer(self, native_id: str) -> Customer:
        raise self._unsupported("read a customer")

    async def get_customers(self, native_ids: Sequence[str]) -> list[Customer | UpstreamError]:
        """One result per id, in order; each distinct id is fetched once."""
        return await self.gather_distinct(native_ids, self.get_customer)

    async def create_customer(self, draft: CustomerDraft) -> Customer:
        """Create, then return the record as read back."""
        raise self._unsupported("create customers")

    async def create_or_recover(self, draft: CustomerDraft) -> Created:
        """Create; when the answer was lost on its way back, find the record made.

        The create itself is never sent twice (it could make a duplicate): the record is
        looked up by its natural key (`find_created`) and returned only when exactly one
        record matches what was sent; otherwise the create's own error stands.
        """
        try:
            return Created(await self.create_customer(draft))
        except UpstreamError as error:
            if not error.answer_lost:
                raise
            try:
                found = await self.find_created(draft)
            except UpstreamError:
                raise error from None
            if found is None:
                raise
            return Created(found, recovered=True)

    async def find_created(self, draft: CustomerDraft) -> Customer | None:
        """The one record that matches `draft`, found by email; None unless exactly one."""
        if not draft.email or not self.supports(Capability.SEARCH):
            return None
        page = await self.search(CustomerFilter(email=draft.email), PageRequest(0, 10))
        matching = [c for c in page.items if matches_draft(c, draft)]
        if len(matching) != 1:
            return None
        return await self.get_customer(matching[0].native_id)

    async def update_customer(self, native_id: str, patch: CustomerPatch) -> Customer:
        """Patch (KEEP = unchanged, None = clear), then return the record as read back."""
        raise self._unsupported("update customers")

    async def list_travelers(self, customer_native_id: str) -> list[Traveler]:
        raise self._unsupported("list travelers")

    async def list_travelers_many(
        self, customer_native_ids: Sequence[str]
    ) -> list[list[Traveler] | UpstreamError]:
        return await self.gather_distinct(customer_native_ids, self.list_travelers)

    async def add_traveler(self, customer_native_id: str, draft: TravelerDraft) -> Traveler:
        raise self._unsupported("add travelers")

    async def list_travel_documents(self, customer_native_id: str) -> list[TravelDocument]:
        raise self._unsupported("list travel documents")

    async def list_travel_documents_many(
        self, customer_native_ids: Sequence[str]
    ) -> list[list[TravelDocument] | UpstreamError]:
        return await self.gather_distinct(customer_native_ids, self.list_travel_documents)

    async def update_travel_documents(
        self, customer_native_id: str, documents: Sequence[TravelDocumentPatch]
    ) -> list[TravelDocument]:
        """Apply the patches, then return all the customer's documents as read back."""
        raise self._unsupported("update travel documents")

    async def ping(self) -> None:
        """Raise an UpstreamError when the back end cannot be reached (for /readyz)."""
        raise self._unsupported("be checked")

    async def gather_distinct(
        self, keys: Sequence[str], fetch: Callable[[str], Awaitable[T]]
    ) -> list[T | UpstreamError]:
        """`fetch` each distinct key once, all concurrently: one result (or error) per key.

        No limit of its own: the back end's bulkhead (its `Upstream`'s policy) bounds the
        requests in flight, so a fan-out of any size goes out as fast as it allows.
        """

        async def one(key: str) -> T | UpstreamError:
            try:
                return await fetch(key)
            except UpstreamError as error:
                return error

        distinct = list(dict.fromkeys(keys))
        results = await asyncio.gather(*(one(key) for key in distinct))
        by_key = dict(zip(distinct, results, strict=True))
        return [by_key[key] for key in keys]
