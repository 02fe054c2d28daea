"""Federated search: ask every searchable back end at once, merge into one stable list.

The merged list interleaves the back ends round by round: the k-th result of each back end
(in `Backend` order) before the (k+1)-th of any. A cursor is the number of results taken
from each back end so far, so the next page asks each back end for the window that starts
there, and the interleave goes on exactly where it stopped. One call per back end per page.

A cursor also carries a digest of the filter and back ends it was made for: reused with
another search, it is refused rather than silently paging through the wrong list.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

import orjson

from adapters.base import CustomerAdapter
from adapters.errors import Unsupported, UpstreamError
from adapters.model import Backend, Customer, CustomerFilter, Page, PageRequest
from gateway.errors import BadUserInput
from gateway.identity import normalise

_ORDER = {backend: position for position, backend in enumerate(Backend)}


@dataclass(frozen=True, slots=True)
class MergedEdge:
    """A result and where the page after it starts; its cursor is encoded only when asked."""

    node: Customer
    digest: str
    resume_at: Position
    # How closely it matched the filter (0 to 1), where its back end scores matches.
    match_score: float | None = None

    @property
    def cursor(self) -> str:
        return encode_cursor(self.digest, self.resume_at)


@dataclass(frozen=True, slots=True)
class MergedPage:
    edges: list[MergedEdge]
    has_next_page: bool
    total: int | None
    # Back ends that failed, with their errors: their results are missing from the page.
    failures: list[UpstreamError]


def _digest(filter: CustomerFilter, backends: Sequence[Backend]) -> str:
    described = repr((sorted(b.value for b in backends), _filter_values(filter)))
    return hashlib.sha256(described.encode()).hexdigest()[:12]


def _filter_values(filter: CustomerFilter) -> tuple[str, ...]:
    return tuple(str(getattr(filter, name)) for name in sorted(filter.criteria()))


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page starts: results taken so far per back end, and the back ends run dry.

    A back end run dry is not asked again; all its results were taken, so its total is
    its offset.
    """

    offsets: dict[Backend, int]
    done: frozenset[Backend] = frozenset()


def encode_cursor(digest: str, position: Position) -> str:
    payload = {
        "s": digest,
        "o": {b.value: n for b, n in position.offsets.items()},
        "d": sorted(b.value for b in position.done),
    }
    return base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode()


def decode_cursor(cursor: str, digest: str, backends: Sequence[Backend]) -> Position:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = orjson.loads(raw)
        offsets = {Backend(name): int(n) for name, n in payload["o"].items()}
        done = frozenset(Backend(name) for name in payload.get("d", ()))
        same_search = payload["s"] == digest
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BadUserInput("malformed cursor", argument="after") from None
    if not same_search:
        raise BadUserInput("the cursor belongs to another search", argument="after")
    if any(n < 0 for n in offsets.values()):
        raise BadUserInput("malformed cursor", argument="after")
    return Position({b: offsets.get(b, 0) for b in backends}, done & frozenset(backends))


def as_stored(filter: CustomerFilter, backend: Backend) -> CustomerFilter:
    """The filter with an international phone (+33 6..., 0033 6...) written as `backend`
    stores numbers (Club Med "0623456789", CareCloud "33623456789"), which its search
    compares as text. A national number is left as given: its country is unknown."""
    phone = filter.phone
    if not phone or not phone.lstrip().startswith(("+", "00")):
        return filter
    e164 = normalise.phone("+" + phone.lstrip().removeprefix("+").removeprefix("00"), backend)
    if e164 is None:
        return filter
    return replace(filter, phone=normalise.phone_as_stored(e164, backend))


def searchable(
    adapters: dict[Backend, CustomerAdapter],
    filter: CustomerFilter,
    requested: Sequence[Backend] | None,
) -> tuple[list[Backend], list[UpstreamError]]:
    """The back ends to ask, and an UNSUPPORTED error for each one named that cannot answer.

    Each adapter says whether its search answers this filter (`search_refusal`); one that
    cannot is left out, or refused with its reason when `requested` names it.
    """
    chosen: list[Backend] = []
    refused: list[UpstreamError] = []
    for backend in sorted(set(requested) if requested else adapters, key=_ORDER.__getitem__):
        refusal = adapters[backend].search_refusal(filter)
        if refusal is None:
            chosen.append(backend)
        elif requested:
            refused.append(Unsupported(backend, refusal))
    return chosen, refused


async def federated_search(
    adapters: dict[Backend, CustomerAdapter],
    filter: CustomerFilter,
    backends: list[Backend],
    first: int,
    after: str | None,
) -> MergedPage:
    """One page of the merged results of `backends` (already checked to be searchable)."""
    digest = _digest(filter, backends)
    start = (
        decode_cursor(after, digest, backends) if after else Position(dict.fromkeys(backends, 0))
    )
    asked = [b for b in backends if b not in start.done]
    results = await asyncio.gather(
        *(
            adapters[b].search(as_stored(filter, b), PageRequest(start.offsets[b], first))
            for b in asked
        ),
        return_exceptions=True,
    )
    pages: dict[Backend, Page[Customer]] = {}
    failures: list[UpstreamError] = []
    for backend, result in zip(asked, results, strict=True):
        if isinstance(result, UpstreamError):
            failures.append(result)
        elif isinstance(result, BaseException):
            raise result
        else:
            pages[backend] = result
    return _merge(pages, start, digest, first, failures)


def _resume_at(
    pages: dict[Backend, Page[Customer]],
    taken: dict[Backend, int],
    offsets: dict[Backend, int],
    done: frozenset[Backend],
) -> Position:
    """Where the next page starts; a back end whose last result was taken is done."""
    dry = {
        backend
        for backend, page in pages.items()
        if taken[backend] == len(page.items) and not page.has_more
    }
    return Position(dict(offsets), done | dry)


def _merge(
    pages: dict[Backend, Page[Customer]],
    start: Position,
    digest: str,
    first: int,
    failures: list[UpstreamError],
) -> MergedPage:
    taken = dict.fromkeys(pages, 0)
    position = dict(start.offsets)
    edges: list[MergedEdge] = []
    while len(edges) < first:
        ready = [b for b in pages if taken[b] < len(pages[b].items)]
        if not ready:
            break
        backend = min(ready, key=lambda b: (position[b], _ORDER[b]))
        results, index = pages[backend], taken[backend]
        taken[backend] += 1
        position[backend] += 1
        resume_at = _resume_at(pages, taken, position, start.done)
        edges.append(MergedEdge(results.items[index], digest, resume_at, results.score(index)))
    has_next = any(taken[b] < len(pages[b].items) or pages[b].has_more for b in pages)
    totals = [page.total for page in pages.values()] + [start.offsets[b] for b in start.done]
    total = None if failures or None in totals else sum(t for t in totals if t is not None)
    return MergedPage(edges, has_next, total, failures)
