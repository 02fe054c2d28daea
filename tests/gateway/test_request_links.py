"""What one request answers while its link store does not (gateway/request_links.py): reads
degrade and are reported once, writes are refused with IDENTITY_STORE_UNAVAILABLE."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pytest

from adapters.model import Backend
from gateway.errors import GatewayError, IdentityStoreUnavailable
from gateway.identity import (
    Decision,
    Decisions,
    LinkStoreUnavailable,
    RecordKey,
    SQLiteLinkStore,
    minted_person_id,
)
from gateway.request_links import RequestLinks

pytestmark = pytest.mark.anyio

A, B, C = (
    RecordKey(Backend.CLUBMED, "1"),
    RecordKey(Backend.CARECLOUD, "c1"),
    RecordKey(Backend.RELAY, "R1"),
)


class Unreachable(SQLiteLinkStore):
    """A store that stops answering while `down` (as the fleet's Redis may)."""

    down = False

    def _check(self) -> None:
        if self.down:
            raise LinkStoreUnavailable("down")

    async def link(self, a: RecordKey, b: RecordKey) -> None:
        self._check()
        await super().link(a, b)

    async def split(self, leaving: RecordKey, staying: Collection[RecordKey]) -> None:
        self._check()
        await super().split(leaving, staying)

    async def decisions(self, keys: Collection[RecordKey]) -> Decisions:
        self._check()
        return await super().decisions(keys)

    async def assign_person(self, members: Collection[RecordKey]) -> str:
        self._check()
        return await super().assign_person(members)

    async def person_of(self, key: RecordKey) -> str | None:
        self._check()
        return await super().person_of(key)

    async def members(self, person_id: str) -> frozenset[RecordKey]:
        self._check()
        return await super().members(person_id)


def request(store: Unreachable) -> tuple[RequestLinks, list[GatewayError]]:
    reported: list[GatewayError] = []
    return RequestLinks(store, reported.append), reported


async def test_reads_degrade_and_the_request_says_so_once(tmp_path: Path) -> None:
    store = Unreachable(tmp_path / "links.sqlite")
    await store.link(A, C)
    person = await store.assign_person([A, C])
    store.down = True
    links, reported = request(store)
    assert (await links.decisions([A])).pairs == {}  # the matcher alone
    assert await links.person_of(A) is None
    assert await links.members(person) == frozenset()
    # A new cluster's id is the one it would mint: the smallest record's first.
    assert await links.assign_person([C, B]) == minted_person_id(str(B))
    assert [e.extensions["code"] for e in reported] == ["IDENTITY_STORE_UNAVAILABLE"]


async def test_a_write_is_refused_whole_while_the_store_is_down(tmp_path: Path) -> None:
    store = Unreachable(tmp_path / "links.sqlite")
    store.down = True
    links, reported = request(store)
    for write in (links.link(A, B), links.split(A, [B, C])):
        with pytest.raises(IdentityStoreUnavailable):
            await write
    store.down = False
    assert (await store.decisions([A])).pairs == {} and reported == []


async def test_a_write_after_a_degraded_read_is_refused_though_the_store_is_back(
    tmp_path: Path,
) -> None:
    store = Unreachable(tmp_path / "links.sqlite")
    links, _ = request(store)
    await links.link(A, B)
    store.down = True
    await links.decisions([A])  # what an unlink decides on: wrong while degraded
    store.down = False
    with pytest.raises(IdentityStoreUnavailable):
        await links.split(A, [B])
    assert (await store.decisions([A])).between(A, B) is Decision.LINK
    fresh, _ = request(store)  # the next request writes
    await fresh.split(A, [B])
    assert (await store.decisions([A])).between(A, B) is Decision.UNLINK
