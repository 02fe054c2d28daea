"""The per-request DataLoaders: every key asked in one execution tick goes out as one batch.

Keys are (back end, native id). A batch is split by back end and each part goes to that
adapter's batch entry point, all back ends at once; a failed key gets its exception in its
place, so one bad record does not fail its neighbours. aiodataloader caches each key for the
request, so no record is fetched twice in one request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import NamedTuple, TypeVar

from aiodataloader import DataLoader

from adapters.base import CustomerAdapter
from adapters.errors import UpstreamError
from adapters.model import Backend, Customer, TravelDocument, Traveler

V = TypeVar("V")


class NativeKey(NamedTuple):
    backend: Backend
    native_id: str


BatchFetch = Callable[[CustomerAdapter, Sequence[str]], Awaitable[Sequence[V | UpstreamError]]]


class ByBackendLoader(DataLoader[NativeKey, V]):
    """Splits each batch by back end and fetches the parts concurrently."""

    fetch: BatchFetch[V]

    def __init__(self, adapters: dict[Backend, CustomerAdapter]) -> None:
        super().__init__()
        self.adapters = adapters
        # Batch sizes seen by this loader, for metrics and tests.
        self.batch_sizes: list[int] = []

    # aiodataloader types a batch as values only, but fails a key whose place holds an
    # exception (its dispatch checks `isinstance(value, Exception)`): what `load` relies on.
    async def batch_load_fn(  # type: ignore[override]
        self, keys: Sequence[NativeKey]
    ) -> list[V | UpstreamError]:
        self.batch_sizes.append(len(keys))
        by_backend: dict[Backend, list[str]] = {}
        for key in keys:
            by_backend.setdefault(key.backend, []).append(key.native_id)
        backends = list(by_backend)
        parts = await asyncio.gather(
            *(type(self).fetch(self.adapters[b], by_backend[b]) for b in backends)
        )
        found = {
            NativeKey(backend, native_id): value
            for backend, part in zip(backends, parts, strict=True)
            for native_id, value in zip(by_backend[backend], part, strict=True)
        }
        return [found[key] for key in keys]


class CustomerByNativeIdLoader(ByBackendLoader[Customer]):
    """Full customer records (profiles)."""

    @staticmethod
    async def fetch(
        adapter: CustomerAdapter, ids: Sequence[str]
    ) -> Sequence[Customer | UpstreamError]:
        return await adapter.get_customers(ids)


class TravelersByCustomerLoader(ByBackendLoader[list[Traveler]]):
    @staticmethod
    async def fetch(
        adapter: CustomerAdapter, ids: Sequence[str]
    ) -> Sequence[list[Traveler] | UpstreamError]:
        return await adapter.list_travelers_many(ids)


class TravelDocumentsByCustomerLoader(ByBackendLoader[list[TravelDocument]]):
    @staticmethod
    async def fetch(
        adapter: CustomerAdapter, ids: Sequence[str]
    ) -> Sequence[list[TravelDocument] | UpstreamError]:
        return await adapter.list_travel_documents_many(ids)
