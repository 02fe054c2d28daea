"""The entity cache of back-end reads (issue 17): a back end's record GETs kept for the next
readers, and forgotten by every write of their record before the write answers.

`EntityCache` is what every form does inside one process: concurrent reads of one entry
share one fetch (a `Flight`, which a write of the record cuts loose: those who joined it
fetch again), and each request's hits and misses are counted on its `CallContext` (the
response's `extensions.cache`). Where the entries live is the form's:

- `RedisEntityCache` (redis_entities.py): in the fleet's Redis, invalidated by a write on
  any replica;
- `InProcessEntityCache`: in a bounded LRU of this process, for a gateway of one worker
  (several could not invalidate each other: gateway/config.py refuses that).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from adapters.errors import UpstreamError
from adapters.model import Backend
from adapters.upstream import Entry, LoadMany, call_context

__all__ = ["EntityCache", "Flight", "InProcessEntityCache", "Outcome", "upstream_outcomes"]

# The in-process form's bound, per back end: the bodies it holds, in bytes.
MAX_BYTES: Final = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Outcome:
    """One record's entry as a fetch found it."""

    answer: bytes | UpstreamError | None  # None: the back end does not have the record
    cached: bool  # no upstream call of this request was made for it
    # Whether readers of this process that joined the fetch may take it: not when a write of
    # the record ran meanwhile (they fetch again, after the write).
    shareable: bool = True


class Flight:
    """One fetch of one entry under way in this process, which concurrent reads join."""

    __slots__ = ("future", "raced")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        # None: the fetch ended without an answer (cancelled): a joiner fetches by itself.
        self.future: asyncio.Future[Outcome | None] = loop.create_future()
        self.raced = False  # the record was invalidated by this process meanwhile


class EntityCache:
    """A back end's `ResponseCache`: one fetch per entry in flight in this process, hits and
    misses counted per request; where entries live is the subclass's (`_fetch`, `_forget`)."""

    def __init__(self, backend: Backend, ttl_seconds: float) -> None:
        self.backend = backend
        self.ttl_seconds = ttl_seconds
        self._flights: dict[tuple[str, str], Flight] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.backend.name}, ttl={self.ttl_seconds})"

    async def fetch_many(
        self, records: Sequence[str], entry: Entry, load: LoadMany
    ) -> dict[str, bytes | UpstreamError]:
        distinct = list(dict.fromkeys(records))
        joined = {
            record: flight
            for record in distinct
            if (flight := self._flights.get((record, entry.field))) is not None
        }
        # Boarded before anything is awaited: a read arriving meanwhile joins these.
        mine = self._board([record for record in distinct if record not in joined], entry)
        if joined:
            outcomes, shared = await asyncio.gather(
                self._fly(mine, entry, load), self._join(joined)
            )
            outcomes.update(shared)
        else:  # the common case: no other read of this process is fetching these
            outcomes, shared = await self._fly(mine, entry, load), {}
        again = [record for record in joined if record not in shared]
        if again:  # their fetch raced with a write, or ended without an answer
            outcomes.update(await self._fly(self._board(again, entry), entry, load))
        self._count(entry, outcomes.values())
        return {r: o.answer for r, o in outcomes.items() if o.answer is not None}

    async def invalidate(self, record: str) -> None:
        for key in [key for key in self._flights if key[0] == record]:
            # Reads from now on fetch anew; those that joined it fetch again.
            self._flights.pop(key).raced = True
        await self._forget(record)

    async def _join(self, flights: Mapping[str, Flight]) -> dict[str, Outcome]:
        """The outcomes of other reads' fetches that may be taken (shielded: a reader that
        gives up does not cancel the fetch others wait for)."""
        taken: dict[str, Outcome] = {}
        for record, flight in flights.items():
            outcome = await asyncio.shield(flight.future)
            if outcome is not None and outcome.shareable and not flight.raced:
                taken[record] = Outcome(outcome.answer, cached=True)
        return taken

    def _board(self, records: Sequence[str], entry: Entry) -> dict[str, Flight]:
        """A flight per record, which other reads of this process join from now on."""
        loop = asyncio.get_running_loop()
        flights = {record: Flight(loop) for record in records}
        for record, flight in flights.items():
            self._flights[(record, entry.field)] = flight
        return flights

    async def _fly(
        self, flights: Mapping[str, Flight], entry: Entry, load: LoadMany
    ) -> dict[str, Outcome]:
        """Fetch the entry of the flights' records, and tell those who joined them."""
        if not flights:
            return {}
        records = list(flights)
        try:
            outcomes = await self._fetch(records, entry, load, flights)
            for record, flight in flights.items():
                outcome = outcomes[record]
                if flight.raced:
                    outcome = Outcome(outcome.answer, outcome.cached, shareable=False)
                flight.future.set_result(outcome)
        finally:
            for record, flight in flights.items():
                if self._flights.get((record, entry.field)) is flight:
                    del self._flights[(record, entry.field)]
                if not flight.future.done():  # no outcome: the joiners fetch by themselves
                    flight.future.set_result(None)
        return outcomes

    def _count(self, entry: Entry, outcomes: Iterable[Outcome]) -> None:
        call = call_context()
        name = f"{self.backend.name}.{entry.kind}"
        for outcome in outcomes:
            if outcome.cached:
                call.cache_hits[name] += 1
            else:
                call.cache_misses[name] += 1

    async def _fetch(
        self, records: Sequence[str], entry: Entry, load: LoadMany, flights: Mapping[str, Flight]
    ) -> dict[str, Outcome]:
        """Each record's entry: from where the cache keeps it, else loaded and kept (unless
        its flight raced with a write)."""
        raise NotImplementedError

    async def _forget(self, record: str) -> None:
        raise NotImplementedError


def upstream_outcomes(
    records: Sequence[str],
    found: Mapping[str, bytes | UpstreamError],
    flights: Mapping[str, Flight],
) -> dict[str, Outcome]:
    """The outcomes of `records` as a load `found` them: shareable unless a write raced."""
    return {
        record: Outcome(found.get(record), cached=False, shareable=not flights[record].raced)
        for record in records
    }


@dataclass(slots=True)
class _Shelf:
    """One record's entries in memory, all gone TTL after the first was kept."""

    expires_at: float
    entries: dict[str, bytes] = field(default_factory=dict)
    size: int = 0


class InProcessEntityCache(EntityCache):
    """The entries in this process's memory: a bounded LRU of records (one worker only)."""

    def __init__(
        self,
        backend: Backend,
        ttl_seconds: float,
        *,
        max_bytes: int = MAX_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(backend, ttl_seconds)
        self.max_bytes = max_bytes
        self._clock = clock
        self._shelves: OrderedDict[str, _Shelf] = OrderedDict()
        self._size = 0

    async def _fetch(
        self, records: Sequence[str], entry: Entry, load: LoadMany, flights: Mapping[str, Flight]
    ) -> dict[str, Outcome]:
        outcomes: dict[str, Outcome] = {}
        for record in records:
            body = self._look(record, entry.field)
            if body is not None:
                outcomes[record] = Outcome(body, cached=True)
        missing = [record for record in records if record not in outcomes]
        if missing:
            loaded = upstream_outcomes(missing, await load(missing), flights)
            for record, outcome in loaded.items():
                if isinstance(outcome.answer, bytes) and outcome.shareable:
                    self._keep(record, entry.field, outcome.answer)
            outcomes.update(loaded)
        return outcomes

    async def _forget(self, record: str) -> None:
        shelf = self._shelves.pop(record, None)
        if shelf is not None:
            self._size -= shelf.size

    def _look(self, record: str, name: str) -> bytes | None:
        shelf = self._shelves.get(record)
        if shelf is None:
            return None
        if self._clock() >= shelf.expires_at:
            self._shelves.pop(record)
            self._size -= shelf.size
            return None
        self._shelves.move_to_end(record)
        return shelf.entries.get(name)

    def _keep(self, record: str, name: str, body: bytes) -> None:
        shelf = self._shelves.get(record)
        if shelf is None or self._clock() >= shelf.expires_at:
            if shelf is not None:
                self._size -= shelf.size
            shelf = self._shelves[record] = _Shelf(self._clock() + self.ttl_seconds)
        self._shelves.move_to_end(record)
        previous = shelf.entries.get(name)
        change = len(body) - (len(previous) if previous is not None else 0)
        shelf.entries[name] = body
        shelf.size += change
        self._size += change
        while self._size > self.max_bytes and self._shelves:
            _, oldest = self._shelves.popitem(last=False)
            self._size -= oldest.size
