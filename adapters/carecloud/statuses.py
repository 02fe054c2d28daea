"""The names of CareCloud's statuses (loyalty tiers), cached: status records hold only ids.

`GET /statuses` changes when a project redefines its tiers, which is rare: the catalog is
kept for `ttl_seconds`, fetched by one caller while the others wait (an asyncio.Lock), and
fetched again at once, still only once, when a record names a status it does not know.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

FetchStatuses = Callable[[], Awaitable[list[dict[str, Any]]]]


class StatusCatalog:
    def __init__(
        self,
        fetch: FetchStatuses,
        *,
        ttl_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._ttl = ttl_seconds
        self._clock = clock
        self._lock = asyncio.Lock()
        self._names: dict[str, str] = {}
        self._fetched_at: float | None = None
        self._generation = 0  # counts fetches, so waiters know one happened meanwhile

    def _stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at > self._ttl

    async def names(self, wanted: Iterable[str]) -> Mapping[str, str]:
        """status_id -> name, covering `wanted` when CareCloud knows them."""
        asked = set(wanted)
        if not asked or (asked <= self._names.keys() and not self._stale()):
            return self._names
        seen = self._generation
        async with self._lock:
            if self._generation == seen:
                await self._refresh()
        return self._names

    async def _refresh(self) -> None:
        statuses = await self._fetch()
        self._names = {
            str(s["status_id"]): str(s["name"])
            for s in statuses
            if isinstance(s.get("status_id"), str) and isinstance(s.get("name"), str)
        }
        self._fetched_at = self._clock()
        self._generation += 1
