"""Who a record is across the back ends, worked out while a request runs (issue 16).

From a seed record, `People.of` searches every other searchable back end with the record's
keys (`candidate_filters`: e-mail, phones as the target stores them, name and birthdate),
one search per (back end, filter) in a request (`CandidatesByFilterLoader` batches and
de-duplicates them, and starts them together), then once more from the records that
matched. A back end that cannot search (Relay) is reached through stewards' links and the
records the person held when last resolved. `gateway.identity.resolve` clusters, keeps the
person id stable and merges. No personal value is logged here or kept beyond the request.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple

from aiodataloader import DataLoader

from adapters.base import Capability, CustomerAdapter
from adapters.errors import UpstreamError, UpstreamNotFound
from adapters.model import Backend, Customer, CustomerFilter, PageRequest
from gateway.config import REDIS_STORE, ConfigError, Settings
from gateway.errors import GatewayError, graphql_error
from gateway.fleet.links import RedisLinkStore
from gateway.fleet.shared import SharedRedis
from gateway.identity import (
    LinkStore,
    Matcher,
    Member,
    MergePolicy,
    Person,
    RecordKey,
    SQLiteLinkStore,
    candidate_filters,
    cluster,
    conflicts,
    merge,
    resolve,
)
from gateway.loaders import CustomerByNativeIdLoader, NativeKey
from gateway.request_links import RequestLinks

if TYPE_CHECKING:
    from gateway.context import Context

__all__ = [
    "PERSON_CALLS",
    "CandidatesByFilterLoader",
    "Identity",
    "People",
    "SearchKey",
    "open_identity",
    "people_of",
]

# Rounds of searches: from the seed, then (a second round) from the records that matched.
# `python -m bench.identity_rounds --people 10000`, seed 42, pairs (seed, member), this
# matcher (no name frequencies): one round, precision 0.9955, recall 0.9554, 3.42
# searches per person; two rounds, precision 0.9928, recall 0.9599, 4.71 searches. The
# second round's recall costs more precision than the issue allows (0.995): one round.
ROUNDS: Final = 1
# A record's keys followed, in candidate_filters' order: its e-mail, two phones, its name.
# A record with more phones is rare; the cap keeps the cost rule's bound true.
KEYS_PER_RECORD: Final = 4
# Records one candidate search asks for: a key shared by more people than this says
# little about any one of them (a family e-mail is shared by a few).
CANDIDATES_PER_SEARCH: Final = 10
# What resolving one person may ask of the back ends, at most: the searches (a Relay seed's
# four keys in two back ends, and the second round's new keys) and the records read (a
# linked or previously held Relay record, and the profiles merged values need).
SEARCHES_PER_PERSON: Final = 12
READS_PER_PERSON: Final = 3
PERSON_CALLS: Final = SEARCHES_PER_PERSON + READS_PER_PERSON

# What the matcher compares: a record without them is read whole first.
_MATCHED: Final = frozenset({"first_name", "last_name", "email", "phones", "birthdate"})
# What the merged values are made of: a member without them is read whole for `complete`.
_MERGED: Final = _MATCHED | {
    "membership_number",
    "middle_name",
    "birth_city",
    "gender",
    "addresses",
    "locale",
    "loyalty",
    "consents",
}


@dataclass(frozen=True, slots=True)
class Identity:
    """The process-wide side: where decisions and ids live, the matcher, the merge policy."""

    store: LinkStore
    matcher: Matcher
    policy: MergePolicy


def identity_store_path(settings: Settings) -> Path:
    """GATEWAY_IDENTITY_STORE, or identity.sqlite in this user's temporary directory."""
    if settings.identity_store and settings.identity_store != REDIS_STORE:
        return Path(settings.identity_store)
    return Path(tempfile.gettempdir()) / f"customer-gateway-{os.getuid()}" / "identity.sqlite"


def open_identity(settings: Settings, shared: SharedRedis | None = None) -> Identity:
    """The identity side of the gateway: its store in the fleet's Redis (`shared`) for
    GATEWAY_IDENTITY_STORE=redis, else opened (and made) at the configured path."""
    if settings.identity_store == REDIS_STORE:
        if shared is None:
            raise ConfigError("GATEWAY_IDENTITY_STORE=redis needs GATEWAY_REDIS_URL")
        return Identity(RedisLinkStore(shared), Matcher(), MergePolicy())
    path = identity_store_path(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        store = SQLiteLinkStore(path)
    except (OSError, sqlite3.Error) as error:
        raise ConfigError(f"GATEWAY_IDENTITY_STORE: cannot use {path}: {error}") from None
    return Identity(store, Matcher(), MergePolicy())


class SearchKey(NamedTuple):
    backend: Backend
    filter: CustomerFilter


class CandidatesByFilterLoader(DataLoader[SearchKey, tuple[Customer, ...]]):
    """The records one search of one back end finds: each (back end, filter) asked once."""

    def __init__(self, adapters: Mapping[Backend, CustomerAdapter]) -> None:
        super().__init__()
        self.adapters = adapters

    # A failed search's exception in its slot, as ByBackendLoader does (gateway/loaders.py).
    async def batch_load_fn(  # type: ignore[override]
        self, keys: Sequence[SearchKey]
    ) -> list[tuple[Customer, ...] | UpstreamError]:
        window = PageRequest(0, CANDIDATES_PER_SEARCH)
        pages = await asyncio.gather(
            *(self.adapters[k.backend].search(k.filter, window) for k in keys),
            return_exceptions=True,
        )
        found: list[tuple[Customer, ...] | UpstreamError] = []
        for page in pages:
            if isinstance(page, UpstreamError):
                found.append(page)
            elif isinstance(page, BaseException):
                raise page
            else:
                found.append(page.items)
        return found


class People:
    """One request's persons: each resolved once, searches shared by every resolution.

    A search or read that fails leaves its records out of the person, and is handed to
    `report` once (the request's partial errors): the person answers with what was found.
    """

    def __init__(
        self,
        identity: Identity,
        adapters: Mapping[Backend, CustomerAdapter],
        customers: CustomerByNativeIdLoader,
        report: Callable[[UpstreamError], None],
        report_store: Callable[[GatewayError], None] = lambda error: None,
    ) -> None:
        self.identity = identity
        # The store as this request sees it: its outage reported once (report_store).
        self.store = RequestLinks(identity.store, report_store)
        self.adapters = adapters
        self.customers = customers
        self.searches = CandidatesByFilterLoader(adapters)
        self._report = report
        self._reported: set[int] = set()
        self._by_seed: dict[RecordKey, asyncio.Task[Person]] = {}
        self._by_member: dict[RecordKey, Person] = {}
        self._complete: dict[str, asyncio.Task[Person]] = {}

    @classmethod
    def for_request(cls, identity: Identity, context: Context) -> People:
        """The request's persons, their failures reported beside its data."""

        def report(error: UpstreamError) -> None:
            context.partial_errors.append(
                graphql_error(
                    str(error.message),
                    error.code,
                    original_error=error,
                    extensions=error.extensions,
                )
            )

        def report_store(error: GatewayError) -> None:
            context.partial_errors.append(
                graphql_error(error.message, error.code, original_error=error)
            )

        return cls(identity, context.adapters, context.loaders.customer, report, report_store)

    def forget(self) -> None:
        """Drop the persons resolved so far (a steward's decision changed them)."""
        self._by_seed.clear()
        self._by_member.clear()
        self._complete.clear()

    async def of(self, seed: Customer) -> Person:
        """The person `seed` is; a record already in a person of this request gets it."""
        key = RecordKey.of(seed)
        if (known := self._by_member.get(key)) is not None:
            return known
        if key not in self._by_seed:
            self._by_seed[key] = asyncio.ensure_future(self._resolve(seed))
        person = await self._by_seed[key]
        for member in person.members:
            self._by_member.setdefault(member.key, person)
        return person

    async def by_id(self, person_id: str) -> Person | None:
        """The person holding the records last assigned to `person_id`; None if none is left."""
        keys = await self.store.members(person_id)
        # A searchable record first: it reaches the others.
        order = sorted(keys, key=lambda k: (not self._searchable(k.backend), k))
        for key in order:
            try:
                seed = await self.customers.load(NativeKey(key.backend, key.native_id))
            except UpstreamNotFound:
                continue  # deleted in its back end since
            return await self.of(seed)
        return None

    async def complete(self, person: Person) -> Person:
        """The person with each member read whole, its merged values and conflicts anew.

        A search result lacks a profile's fields (Club Med's locale, CareCloud's loyalty):
        merged from it, a field would seem to come from another back end.
        """
        if all(m.customer.known_fields >= _MERGED for m in person.members):
            return person
        if person.id not in self._complete:
            self._complete[person.id] = asyncio.ensure_future(self._read_whole(person))
        return await self._complete[person.id]

    async def _read_whole(self, person: Person) -> Person:
        members = list(person.members)
        partial = [i for i, m in enumerate(members) if not m.customer.known_fields >= _MERGED]
        read = await asyncio.gather(
            *(
                self.customers.load(NativeKey(members[i].key.backend, members[i].key.native_id))
                for i in partial
            )
        )
        for i, customer in zip(partial, read, strict=True):
            members[i] = replace(members[i], customer=customer)
        records = [m.customer for m in members]
        policy = self.identity.policy
        return replace(
            person,
            members=tuple(members),
            values=merge(records, policy),
            conflicts=conflicts(records),
        )

    async def _resolve(self, seed: Customer) -> Person:
        if not seed.known_fields >= _MATCHED:
            seed = await self.customers.load(NativeKey(seed.backend, seed.native_id))
        pool: dict[RecordKey, Customer] = {RecordKey.of(seed): seed}
        failures: list[UpstreamError] = []
        searched: set[RecordKey] = set()
        asked: set[SearchKey] = set()
        members = await self._members(seed, pool, [RecordKey.of(seed)], failures)
        for _ in range(ROUNDS):
            sources = [m.customer for m in members if m.key not in searched]
            searched.update(RecordKey.of(c) for c in sources)
            keys = self._search_keys(sources, asked)
            if not keys:
                break
            for found in await self._search(keys, failures):
                for customer in found:
                    pool.setdefault(RecordKey.of(customer), customer)
            members = await self._members(seed, pool, [m.key for m in members], failures)
        # The records stewards linked to, or the person held, of those found by the search.
        await self._members(seed, pool, [m.key for m in members], failures)
        candidates = _others(pool, seed)
        for failure in failures:
            if id(failure) not in self._reported:  # one failed search shared by many
                self._reported.add(id(failure))
                self._report(failure)
        return await self._person(seed, candidates, bool(failures))

    async def _person(self, seed: Customer, candidates: list[Customer], partial: bool) -> Person:
        """The person, its id kept in the store; with failures, its members are not stored
        (a back end down would split the person), and the id it had is kept."""
        identity = self.identity
        if partial and (known := await self.store.person_of(RecordKey.of(seed))):
            keys = [RecordKey.of(c) for c in (seed, *candidates)]
            decisions = await self.store.decisions(keys)
            members = cluster(seed, candidates, identity.matcher, decisions)
            records = [m.customer for m in members]
            return Person(known, members, merge(records, identity.policy), conflicts(records))
        return await resolve(
            seed, candidates, matcher=identity.matcher, store=self.store, policy=identity.policy
        )

    def _searchable(self, backend: Backend) -> bool:
        return self.adapters[backend].supports(Capability.SEARCH)

    def _search_keys(self, sources: Iterable[Customer], asked: set[SearchKey]) -> list[SearchKey]:
        """The searches not made yet for this person, within its budget."""
        keys: list[SearchKey] = []
        for source in sources:
            for target, adapter in self.adapters.items():
                if target is source.backend or not self._searchable(target):
                    continue
                for filter in candidate_filters(source, target)[:KEYS_PER_RECORD]:
                    key = SearchKey(target, filter)
                    if key in asked or adapter.search_refusal(filter) is not None:
                        continue
                    if len(asked) >= SEARCHES_PER_PERSON:
                        return keys
                    asked.add(key)
                    keys.append(key)
        return keys

    async def _search(
        self, keys: Sequence[SearchKey], failures: list[UpstreamError]
    ) -> list[tuple[Customer, ...]]:
        results = await asyncio.gather(
            *(self.searches.load(k) for k in keys), return_exceptions=True
        )
        found: list[tuple[Customer, ...]] = []
        for result in results:
            if isinstance(result, UpstreamError):
                failures.append(result)
            elif isinstance(result, BaseException):
                raise result
            else:
                found.append(result)
        return found

    async def _members(
        self,
        seed: Customer,
        pool: dict[RecordKey, Customer],
        reached_from: Collection[RecordKey],
        failures: list[UpstreamError],
    ) -> tuple[Member, ...]:
        """The cluster of `seed` in `pool`, once `pool` holds the records stewards linked to
        `reached_from` (members, never mere candidates) and the records of back ends that
        cannot search which their persons held when last resolved (how Relay is reached)."""
        store = self.store
        decisions = await store.decisions(reached_from)
        wanted = {k for key in reached_from for k in decisions.linked_to(key)}
        held = await asyncio.gather(*(store.person_of(key) for key in reached_from))
        for person_id in {p for p in held if p is not None}:
            wanted |= {k for k in await store.members(person_id) if not self._searchable(k.backend)}
        missing = [k for k in wanted - set(pool) if k.backend in self.adapters]
        for key, record in zip(missing, await self._read(missing), strict=True):
            if isinstance(record, Customer):
                pool[key] = record
            elif not isinstance(record, UpstreamNotFound):
                failures.append(record)
        decisions = await store.decisions(list(pool))
        return cluster(seed, _others(pool, seed), self.identity.matcher, decisions)

    async def _read(self, keys: Collection[RecordKey]) -> list[Customer | UpstreamError]:
        results = await asyncio.gather(
            *(self.customers.load(NativeKey(k.backend, k.native_id)) for k in keys),
            return_exceptions=True,
        )
        read: list[Customer | UpstreamError] = []
        for result in results:
            if isinstance(result, Customer | UpstreamError):
                read.append(result)
            else:
                raise result
        return read


def _others(pool: Mapping[RecordKey, Customer], seed: Customer) -> list[Customer]:
    seed_key = RecordKey.of(seed)
    return [c for k, c in pool.items() if k != seed_key]


def people_of(context: Context) -> People:
    """The request's persons; an app built without its identity side has none."""
    if context.people is None:
        if context.identity is None:
            raise RuntimeError("this app has no identity store (gateway.people.open_identity)")
        context.people = People.for_request(context.identity, context)
    return context.people
