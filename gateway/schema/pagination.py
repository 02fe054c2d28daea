"""The customer connection: edges with opaque cursors over the merged search results.

An edge is the merged search's own `MergedEdge`, which wears CustomerEdge (`fastpath.bind`):
its cursor is encoded only when a query selects it.
"""

from __future__ import annotations

import strawberry

from adapters.model import Customer
from gateway.errors import BadUserInput
from gateway.schema.fastpath import bind
from gateway.search import MergedEdge

DEFAULT_FIRST = 20


def page_size(first: int | None, max_page: int) -> int:
    """A list's `first`: 20 when left out, capped at GATEWAY_MAX_PAGE_SIZE, never negative."""
    first = DEFAULT_FIRST if first is None else first
    if first < 0:
        raise BadUserInput("first cannot be negative", argument="first")
    return min(first, max_page)


@strawberry.type(description="Where a page of search results ends.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more results follow.")
    end_cursor: str | None = strawberry.field(
        description=(
            "The last edge's cursor, to pass as `after` for the next page; on an empty page "
            "the `after` sent (null on the first)."
        )
    )


@strawberry.type(name="CustomerEdge", description="One search result and its place in the list.")
class CustomerEdgeObject:
    cursor: str = strawberry.field(
        description=(
            "Opaque: pass it as `after` to continue after this result, with the same filter "
            "and back ends."
        )
    )
    node: Customer = strawberry.field(
        description=(
            "The customer found; a field its search result lacks is read from its profile when "
            "selected."
        )
    )
    match_score: float | None = strawberry.field(
        description=(
            "How closely this record matched the filter, from 0 to 1, where the back end "
            "scores its matches (CareCloud's card search); null otherwise."
        )
    )


@strawberry.type(
    description=(
        "One page of a search across back ends, their results interleaved round by round "
        "(in Backend order), so the order is stable from page to page."
    )
)
class CustomerConnection:
    edges: list[MergedEdge] = strawberry.field(description="The results of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Whether more follow, and from where.")
    total_count: int | None = strawberry.field(
        description="All matches across pages, when every back end asked tells its count."
    )


bind(MergedEdge, CustomerEdgeObject)
