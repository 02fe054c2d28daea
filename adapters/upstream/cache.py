"""The entity cache as a back end's client sees it (issue 17): record reads answered from a
cache the gateway provides, and writes that invalidate what the cache holds of their record.

What is kept is the back end's own answer to a GET of one record (or of one record's
sub-resource list), as the JSON bytes it sent: no codec, no pickle. The client's check and
the adapter's mapping run on every read, hit or miss. Searches are never cached.

`ResponseCache` is the whole protocol, implemented by the gateway (gateway/fleet/entities.py
and redis_entities.py: Redis for a fleet, memory for one process), one per back end whose
cache TTL is on, handed to the adapter's factory in `Resources.caches`; like `TokenStore`,
nothing here knows the gateway. A client uses it through `CachedRecords`:

- `get_json(record, entry, url, ...)`: the GET through the cache; a record is the native id
  the answer belongs to, an `Entry` names which answer of it (its route, and whatever else
  the answer depends on: a page, the caller's language);
- `async with writing(record)`: around every call that changes the record, which
  invalidates every entry of it before the call and again once it is over, whatever its
  outcome (an answer lost may still have been a write), so the mutation answers only after
  every replica has lost what it held.

A read that must see the back end as it is now, because a write is built on it (a
read-merge-PUT, a list replaced whole), does not go through the cache.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import httpx
import orjson

from adapters.errors import UpstreamError, UpstreamMalformed
from adapters.upstream.send import Upstream

__all__ = ["CachedRecords", "Entry", "LoadMany", "ResponseCache", "fetch_one"]

T = TypeVar("T")

# Fetches the records a cache does not hold: each one's body, or the error of the call that
# asked for it; a record left out was not found (a list read by ids answers only those it has).
LoadMany = Callable[[Sequence[str]], Awaitable[Mapping[str, bytes | UpstreamError]]]


@dataclass(frozen=True, slots=True)
class Entry:
    """One cached answer of a record: its kind (the route: "profile", "cards"...) and what
    else the answer depends on (a page's parameters, the language asked). Never a personal
    value: entries name fields of a Redis hash."""

    kind: str
    variant: str = ""

    @property
    def field(self) -> str:
        return f"{self.kind}|{self.variant}" if self.variant else self.kind


class ResponseCache(Protocol):
    """One back end's cache of record reads, shared by the fleet (or by one process)."""

    async def fetch_many(
        self, records: Sequence[str], entry: Entry, load: LoadMany
    ) -> dict[str, bytes | UpstreamError]:
        """`entry` of each record: from the cache, else from `load` (called once for all the
        misses, by one caller of the fleet while the others wait) and kept for the next
        reader. A record `load` leaves out is left out; an error is never kept."""
        ...

    async def invalidate(self, record: str) -> None:
        """Forget every entry of `record`, on every replica, and keep a read that started
        before from storing what it read."""
        ...


async def fetch_one(
    cache: ResponseCache, record: str, entry: Entry, load: Callable[[], Awaitable[bytes]]
) -> bytes:
    """`entry` of one record through `cache`; `load`'s error is raised."""

    async def load_one(records: Sequence[str]) -> dict[str, bytes | UpstreamError]:
        try:
            return {record: await load()}
        except UpstreamError as error:
            return {record: error}

    found = (await cache.fetch_many([record], entry, load_one))[record]
    if isinstance(found, UpstreamError):
        raise found
    return found


class CachedRecords:
    """A client's record reads through its back end's cache (None: straight upstream)."""

    def __init__(self, upstream: Upstream, cache: ResponseCache | None) -> None:
        self.upstream = upstream
        self.cache = cache

    async def get_json(
        self,
        record: str,
        entry: Entry,
        url: str,
        *,
        operation: str,
        check: Callable[[object], T],
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> T:
        """GET `url` and return what `check` makes of its JSON body, kept as `entry` of
        `record`. The body is checked inside the call before it is kept: what fails the
        check fails the call and is never cached."""
        upstream = self.upstream
        if self.cache is None:
            return await upstream.send_json(
                "GET", url, operation=operation, check=check, params=params, headers=headers
            )
        checked: list[T] = []

        def read(response: httpx.Response) -> bytes:
            checked.append(check(upstream.decode(response, operation)))
            return response.content

        async def load() -> bytes:
            return await upstream.exchange(
                "GET", url, operation=operation, read=read, params=params, headers=headers
            )

        body = await fetch_one(self.cache, record, entry, load)
        if checked:  # fetched by this very call: already read
            return checked[-1]
        try:
            return check(orjson.loads(body))
        except (orjson.JSONDecodeError, UpstreamMalformed):
            # Not what the cache was given: ask the back end rather than fail the read.
            return await upstream.send_json(
                "GET", url, operation=operation, check=check, params=params, headers=headers
            )

    @asynccontextmanager
    async def writing(self, record: str) -> AsyncIterator[None]:
        """Around a call that changes `record`: its entries are invalidated before the call
        and once it is over, whatever its outcome."""
        cache = self.cache
        if cache is None:
            yield
            return
        await cache.invalidate(record)
        try:
            yield
        finally:
            await cache.invalidate(record)
