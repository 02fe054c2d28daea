"""The customer connection: edges with opaque cursors over the merged search results."""

from __future__ import annotations

import strawberry

from gateway.schema.types import CustomerObject


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class CustomerEdge:
    cursor: str
    node: CustomerObject
    match_score: float | None = strawberry.field(
        description=(
            "How closely this record matched the filter, from 0 to 1, where the back end "
            "scores its matches (CareCloud's card search); null otherwise."
        )
    )


@strawberry.type
class CustomerConnection:
    edges: list[CustomerEdge]
    page_info: PageInfo
    total_count: int | None = strawberry.field(
        description="All matches across pages, when every back end asked tells its count."
    )
