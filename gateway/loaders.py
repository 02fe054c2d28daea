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

from adapters.base import Capability, CustomerAdapter
from adapters.errors import UpstreamError
from adapters.model import Backend, Customer, Loyalty, PageRequest, TravelDocument, Traveler
from adapters.relationships import LoyaltyRequest

V = TypeVar("V")


class NativeKey(NamedTuple):
    backend: Backend
    native_id: str


BatchFetch = Callable[[CustomerAdapter, Sequence[str]], Awaitable[Sequence[V | UpstreamError]]]


class ByBackendLoader(DataLoader[NativeKey, V]):
    """Splits each batch by back end and fetches the parts concurrently."""

    fetch: BatchFetch[V]

    def __init__(self, adapters: dict[Backend, CustomerAdapter]) -> None:
        # The loader's cache map, passed in to be read by `requested`.
        self.requested_keys: dict[NativeKey, asyncio.Future[V]] = {}
        super().__init__(cache_map=self.requested_keys)
        self.adapters = adapters
        # Batch sizes seen by this loader, for metrics and tests.
        self.batch_sizes: list[int] = []

    def requested(self, key: NativeKey) -> bool:
        """Whether this request has asked for `key` already."""
        return key in self.requested_keys

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


class RelatedKey(NamedTuple):
    """One customer's records of one kind: a window of them where the kind pages, else all."""

    backend: Backend
    customer_native_id: str
    page: PageRequest | None = None


# A kind's batch entry point on an adapter (`list_purchases_many`, `list_segments_many`...).
RelatedFetch = Callable[
    [CustomerAdapter, Sequence[RelatedKey]], Awaitable[Sequence[object | UpstreamError]]
]


class RelatedByCustomerLoader(DataLoader[RelatedKey, object]):
    """A customer's related records of one kind (`adapters.relationships`), by back end."""

    def __init__(self, adapters: dict[Backend, CustomerAdapter], fetch: RelatedFetch) -> None:
        super().__init__()
        self.adapters = adapters
        self.fetch = fetch
        self.batch_sizes: list[int] = []

    async def batch_load_fn(self, keys: Sequence[RelatedKey]) -> list[object | UpstreamError]:
        self.batch_sizes.append(len(keys))
        by_backend: dict[Backend, list[RelatedKey]] = {}
        for key in keys:
            by_backend.setdefault(key.backend, []).append(key)
        parts = await asyncio.gather(
            *(self.fetch(self.adapters[b], part) for b, part in by_backend.items())
        )
        found = {
            key: value
            for part_keys, part in zip(by_backend.values(), parts, strict=True)
            for key, value in zip(part_keys, part, strict=True)
        }
        return [found[key] for key in keys]


class RelatedLoaders:
    """The related-record loaders of one request, one per kind, made when first asked.

    A request asks for few kinds, if any: a loader per kind made up front would cost every
    request a dozen objects.
    """

    def __init__(self, adapters: dict[Backend, CustomerAdapter]) -> None:
        self.adapters = adapters
        self._by_kind: dict[str, RelatedByCustomerLoader] = {}

    def of(self, kind: str, fetch: RelatedFetch) -> RelatedByCustomerLoader:
        loader = self._by_kind.get(kind)
        if loader is None:
            loader = self._by_kind[kind] = RelatedByCustomerLoader(self.adapters, fetch)
        return loader

    @property
    def batch_sizes(self) -> list[int]:
        """Every kind's batch sizes (the metrics' label is `related`)."""
        return [size for loader in self._by_kind.values() for size in loader.batch_sizes]


class LoyaltyKey(NamedTuple):
    """A customer's loyalty summary, limited to the model's Loyalty fields a query selects."""

    backend: Backend
    native_id: str
    fields: frozenset[str]


def _reads_summary_alone(adapter: CustomerAdapter) -> bool:
    """Whether a back end reads the loyalty summary apart from the profile (CareCloud).

    The others' summary is part of their profile (`CustomerAdapter.get_loyalties` reads the
    profiles): it goes through the profile loader, cached for the request like any profile.
    """
    return adapter.supports(Capability.LOYALTY) and (
        type(adapter).get_loyalties is not CustomerAdapter.get_loyalties
    )


class LoyaltyByCustomerLoader(DataLoader[LoyaltyKey, Loyalty | None]):
    """A customer's loyalty summary, read alone where nothing else of its profile is asked.

    A customer whose profile the request asks for anyway (its key is in the profile loader
    by the time this batch runs: the profile fields of the same object are resolved in the
    same tick, and a batch runs on the next one) takes the summary off that profile, at no
    call of its own. The others go to the adapter's `get_loyalties`, which reads only what
    the fields need (CareCloud: some of cards, points and status records, never the customer
    record again).
    """

    def __init__(
        self, adapters: dict[Backend, CustomerAdapter], profiles: CustomerByNativeIdLoader
    ) -> None:
        super().__init__()
        self.adapters = adapters
        self.profiles = profiles
        self.batch_sizes: list[int] = []

    async def batch_load_fn(  # type: ignore[override]
        self, keys: Sequence[LoyaltyKey]
    ) -> list[Loyalty | None | UpstreamError]:
        self.batch_sizes.append(len(keys))
        distinct = list(dict.fromkeys(keys))
        profiled = [
            k
            for k in distinct
            if self.profiles.requested(NativeKey(k.backend, k.native_id))
            or not _reads_summary_alone(self.adapters[k.backend])
        ]
        by_backend: dict[Backend, list[LoyaltyKey]] = {}
        for key in distinct:
            if key not in profiled:
                by_backend.setdefault(key.backend, []).append(key)

        async def off_profile(key: LoyaltyKey) -> Loyalty | None | UpstreamError:
            try:
                return (await self.profiles.load(NativeKey(key.backend, key.native_id))).loyalty
            except UpstreamError as error:
                return error

        async def summaries(backend: Backend) -> Sequence[Loyalty | None | UpstreamError]:
            requests = [LoyaltyRequest(k.native_id, k.fields) for k in by_backend[backend]]
            return await self.adapters[backend].get_loyalties(requests)

        profiles, *parts = await asyncio.gather(
            asyncio.gather(*(off_profile(key) for key in profiled)),
            *(summaries(backend) for backend in by_backend),
        )
        found: dict[LoyaltyKey, Loyalty | None | UpstreamError] = dict(
            zip(profiled, profiles, strict=True)
        )
        for part_keys, part in zip(by_backend.values(), parts, strict=True):
            found.update(zip(part_keys, part, strict=True))
        return [found[key] for key in keys]
