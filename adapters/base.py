"""The one interface the gateway speaks to every back end through.

An adapter declares what it can do (`capabilities`, `search_criteria`); whatever it cannot
do raises `Unsupported` before anything is sent upstream. `get_customers` is the batch
entry point of the dataloaders: each distinct id fetched once, all concurrently, within a
per-back-end concurrency limit, and a failed id returns its exception in its place so one
bad record does not fail its neighbours.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable, Sequence
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


class CustomerAdapter:
    """Base of the three adapters. Subclasses override what their back end supports."""

    backend: ClassVar[Backend]
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    # The CustomerFilter criteria this back end's search can apply.
    search_criteria: ClassVar[frozenset[str]] = frozenset()
    # Model fields a search result carries; others need `get_customer(s)`.
    search_fields: ClassVar[frozenset[str]] = frozenset()
    # Whether `create_customer` needs the caller's id (Relay's ccid) or refuses one.
    caller_assigns_id: ClassVar[bool] = False

    def __init__(self, *, max_concurrency: int = 20) -> None:
        self._concurrency = asyncio.Semaphore(max_concurrency)

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def _unsupported(self, operation: str) -> Unsupported:
        return Unsupported(self.backend, f"{self.backend.name} cannot {operation}")

    async def search(self, filter: CustomerFilter, page: PageRequest) -> Page[Customer]:
        raise self._unsupported("search customers")

    async def get_customer(self, native_id: str) -> Customer:
        raise self._unsupported("read a customer")

    async def get_customers(self, native_ids: Sequence[str]) -> list[Customer | UpstreamError]:
        """One result per id, in order; each distinct id is fetched once."""
        return await self.gather_limited(native_ids, self.get_customer)

    async def create_customer(self, draft: CustomerDraft) -> Customer:
        """Create, then return the record as read back."""
        raise self._unsupported("create customers")

    async def update_customer(self, native_id: str, patch: CustomerPatch) -> Customer:
        """Patch (KEEP = unchanged, None = clear), then return the record as read back."""
        raise self._unsupported("update customers")

    async def list_travelers(self, customer_native_id: str) -> list[Traveler]:
        raise self._unsupported("list travelers")

    async def list_travelers_many(
        self, customer_native_ids: Sequence[str]
    ) -> list[list[Traveler] | UpstreamError]:
        return await self.gather_limited(customer_native_ids, self.list_travelers)

    async def add_traveler(self, customer_native_id: str, draft: TravelerDraft) -> Traveler:
        raise self._unsupported("add travelers")

    async def list_travel_documents(self, customer_native_id: str) -> list[TravelDocument]:
        raise self._unsupported("list travel documents")

    async def list_travel_documents_many(
        self, customer_native_ids: Sequence[str]
    ) -> list[list[TravelDocument] | UpstreamError]:
        return await self.gather_limited(customer_native_ids, self.list_travel_documents)

    async def update_travel_documents(
        self, customer_native_id: str, documents: Sequence[TravelDocumentPatch]
    ) -> list[TravelDocument]:
        """Apply the patches, then return all the customer's documents as read back."""
        raise self._unsupported("update travel documents")

    async def ping(self) -> None:
        """Raise an UpstreamError when the back end cannot be reached (for /readyz)."""
        raise self._unsupported("be checked")

    async def gather_limited(
        self, keys: Sequence[str], fetch: Callable[[str], Awaitable[T]]
    ) -> list[T | UpstreamError]:
        """`fetch` each distinct key once, concurrently within the back end's limit."""

        async def one(key: str) -> T | UpstreamError:
            async with self._concurrency:
                try:
                    return await fetch(key)
                except UpstreamError as error:
                    return error

        distinct = list(dict.fromkeys(keys))
        results = await asyncio.gather(*(one(key) for key in distinct))
        by_key = dict(zip(distinct, results, strict=True))
        return [by_key[key] for key in keys]
