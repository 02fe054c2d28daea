"""One request's view of the link store: what it answers while the store does not.

A store that does not answer (the fleet's Redis down, gateway/fleet/links.py) raises
`LinkStoreUnavailable`. A steward's write then fails with IDENTITY_STORE_UNAVAILABLE, nothing
written, as does a write after a read of the same request degraded. A read degrades, and the
request says so once, with the same code beside its data (docs/fleet.md, *Stewards' links*):
- decisions: none, so persons are the matcher's alone;
- a record's person, an id's records: none known (a `person(id)` is null);
- a cluster's id: the one it would mint (its smallest record's first id), which is the id a
  new cluster keeps once the store answers, and may differ from an older cluster's.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Coroutine
from typing import Any, Final

from gateway.errors import GatewayError, IdentityStoreUnavailable
from gateway.identity import (
    Decisions,
    LinkStore,
    LinkStoreUnavailable,
    RecordKey,
    minted_person_id,
)

__all__ = ["RequestLinks"]

WRITE_REFUSED: Final = "the identity store did not answer: nothing was stored; try again shortly"
READ_DEGRADED: Final = (
    "the identity store did not answer: persons are the matcher's alone, without stewards' "
    "links, and a person's id may be provisional"
)


class RequestLinks:
    """The store for one request: writes fail with a code, reads degrade and are reported."""

    def __init__(self, store: LinkStore, report: Callable[[GatewayError], None]) -> None:
        self.store = store
        self._report = report
        self._reported = False

    async def link(self, a: RecordKey, b: RecordKey) -> None:
        await self._write(self.store.link(a, b))

    async def unlink(self, a: RecordKey, b: RecordKey) -> None:
        await self._write(self.store.unlink(a, b))

    async def split(self, leaving: RecordKey, staying: Collection[RecordKey]) -> None:
        await self._write(self.store.split(leaving, staying))

    async def decisions(self, keys: Collection[RecordKey]) -> Decisions:
        try:
            return await self.store.decisions(keys)
        except LinkStoreUnavailable:
            self._degraded()
            return Decisions()

    async def assign_person(self, members: Collection[RecordKey]) -> str:
        try:
            return await self.store.assign_person(members)
        except LinkStoreUnavailable:
            self._degraded()
            return minted_person_id(min(str(k) for k in members))

    async def person_of(self, key: RecordKey) -> str | None:
        try:
            return await self.store.person_of(key)
        except LinkStoreUnavailable:
            self._degraded()
            return None

    async def members(self, person_id: str) -> frozenset[RecordKey]:
        try:
            return await self.store.members(person_id)
        except LinkStoreUnavailable:
            self._degraded()
            return frozenset()

    async def _write(self, write: Coroutine[Any, Any, None]) -> None:
        """The write, unless a read of this request degraded: what it decided on (the
        records an unlink splits) may be wrong, so nothing is written."""
        if self._reported:
            write.close()
            raise IdentityStoreUnavailable(WRITE_REFUSED)
        try:
            await write
        except LinkStoreUnavailable:
            raise IdentityStoreUnavailable(WRITE_REFUSED) from None

    def _degraded(self) -> None:
        if not self._reported:
            self._reported = True
            self._report(IdentityStoreUnavailable(READ_DEGRADED))
