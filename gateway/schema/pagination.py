"""The customer connection: edges with opaque cursors over the merged search results.

An edge is the merged search's own `MergedEdge`, which wears CustomerEdge (`fastpath.bind`):
its cursor is encoded only when a query selects it.
"""

from __future__ import annotations

import strawberry

from adapters.model import Customer
from gateway.schema.fastpath import bind
from gateway.search import MergedEdge


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(name="CustomerEdge")
class CustomerEdgeObject:
    cursor: str
    node: Customer
    match_score: float | None = strawberry.field(
        description=(
            "How closely this record matched the filter, from 0 to 1, where the back end "
            "scores its matches (CareCloud's card search); null otherwise."
        )
    )


@strawberry.type
class CustomerConnection:
    edges: list[MergedEdge]
    page_info: PageInfo
    total_count: int | None = strawberry.field(
        description="All matches across pages, when every back end asked tells its count."
    )


bind(MergedEdge, CustomerEdgeObject)
