"""A customer's related records on `Customer` (issue 15): purchases, points, vouchers, cards...

Each kind is a `RelatedKind`: its GraphQL field, the model class its objects are
(`adapters.relationships`, which wears its object type of `related_types.py`), and the
adapter's batch entry point its loader calls. Lists a back end pages are Relay connections
(`first`/`after`, opaque cursors, `totalCount`); the others plain lists. A kind is fetched
only when selected, through its per-request loader (one call per customer and window,
batched and de-duplicated), started beside the profile by `prefetch_related`, and costs one
upstream call per customer (`RELATED_COSTS`, added to the catalogue's by `create_schema`).
On a back end without Capability.RELATIONSHIPS the field is null with UNSUPPORTED on its
path, and nothing is sent.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Final, Generic, TypeVar

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from adapters.base import Capability, CustomerAdapter
from adapters.model import Backend, Customer, Page, PageRequest
from adapters.relationships import (
    Credit,
    CustomerPage,
    CustomerProperty,
    CustomerSource,
    Interest,
    LoyaltyCard,
    PointRecord,
    Purchase,
    Recommendation,
    Reward,
    Segment,
    StatusRecord,
    Voucher,
)
from gateway.context import Context
from gateway.errors import BadUserInput, Unsupported
from gateway.loaders import NativeKey, RelatedFetch, RelatedKey
from gateway.schema.pagination import DEFAULT_FIRST, PageInfo, page_size
from gateway.schema.related_types import RELATED_OBJECT_TYPES

T = TypeVar("T")
RelatedInfo = Info[Context, None]


# --- connections ------------------------------------------------------------------------


@strawberry.type(description="One of a customer's records, and the cursor after it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Pass it as `after` to go on from this record.")
    node: T = strawberry.field(description="The record.")


@strawberry.type(
    description=(
        "A page of one kind of a customer's records, in the back end's order (Relay connection)."
    )
)
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The records of this page.")
    page_info: PageInfo = strawberry.field(
        description="Whether more records follow, and where they start."
    )
    total_count: int | None = strawberry.field(
        description=(
            "All the customer's records of this kind, across pages; null where the back end "
            "does not tell."
        )
    )


def encode_cursor(kind: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{offset}".encode()).rstrip(b"=").decode()


def decode_cursor(kind: str, cursor: str) -> int:
    """The offset a cursor of `kind` resumes at; BAD_USER_INPUT for any other string."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        named, _, offset = raw.partition(":")
        if named == kind and offset.isascii() and offset.isdigit() and len(offset) < 10:
            return int(offset)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        pass
    raise BadUserInput("malformed cursor", argument="after")


def page_request(kind: str, first: int | None, after: str | None, max_page: int) -> PageRequest:
    offset = 0 if after is None else decode_cursor(kind, after)
    return PageRequest(offset, page_size(first, max_page))


def connection(kind: str, page: Page[Any]) -> Connection[Any]:
    edges = [
        Edge(cursor=encode_cursor(kind, page.offset + n + 1), node=item)
        for n, item in enumerate(page.items)
    ]
    end = edges[-1].cursor if edges else None
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=page.has_more, end_cursor=end),
        total_count=page.total,
    )


# --- the kinds --------------------------------------------------------------------------


@dataclass(frozen=True, eq=False, slots=True)
class RelatedKind:
    """One kind of related records: its Customer field, model, and batch entry point."""

    graphql_name: str
    model: type
    what: str  # for UNSUPPORTED: "<BACKEND> cannot list <what>"
    description: str
    fetch: RelatedFetch
    paged: bool
    calls: int = 1  # per customer, for the cost rule (a Source of the catalogue's kind)


def _paged(
    many: Callable[[CustomerAdapter], Callable[[Sequence[CustomerPage]], Awaitable[Sequence[Any]]]],
) -> RelatedFetch:
    async def fetch(adapter: CustomerAdapter, keys: Sequence[RelatedKey]) -> Sequence[Any]:
        return await many(adapter)(
            [CustomerPage(k.customer_native_id, k.page or PageRequest()) for k in keys]
        )

    return fetch


def _whole(
    many: Callable[[CustomerAdapter], Callable[[Sequence[str]], Awaitable[Sequence[Any]]]],
) -> RelatedFetch:
    async def fetch(adapter: CustomerAdapter, keys: Sequence[RelatedKey]) -> Sequence[Any]:
        return await many(adapter)([k.customer_native_id for k in keys])

    return fetch


_NULL_ELSEWHERE = "Null with UNSUPPORTED on its path where the back end has none (Club Med, Relay)."

RELATED_KINDS: Final = (
    RelatedKind(
        "purchases",
        Purchase,
        "purchases",
        f"The customer's purchases (CareCloud). {_NULL_ELSEWHERE}",
        _paged(lambda a: a.list_purchases_many),
        paged=True,
    ),
    RelatedKind(
        "pointRecords",
        PointRecord,
        "point records",
        "The points the customer was given, record by record (CareCloud; "
        f"`loyalty.points` sums the available ones). {_NULL_ELSEWHERE}",
        _paged(lambda a: a.list_point_records_many),
        paged=True,
    ),
    RelatedKind(
        "credits",
        Credit,
        "credits",
        f"The customer's credit records (CareCloud). {_NULL_ELSEWHERE}",
        _paged(lambda a: a.list_credits_many),
        paged=True,
    ),
    RelatedKind(
        "vouchers",
        Voucher,
        "vouchers",
        f"Vouchers issued to the customer (CareCloud). {_NULL_ELSEWHERE}",
        _paged(lambda a: a.list_vouchers_many),
        paged=True,
    ),
    RelatedKind(
        "rewards",
        Reward,
        "rewards",
        f"Rewards the customer can have (CareCloud). {_NULL_ELSEWHERE}",
        _paged(lambda a: a.list_rewards_many),
        paged=True,
    ),
    RelatedKind(
        "cards",
        LoyaltyCard,
        "loyalty cards",
        "The customer's loyalty cards (CareCloud; `membershipNumber` is the first active "
        f"one's number). {_NULL_ELSEWHERE}",
        _paged(lambda a: a.list_cards_many),
        paged=True,
    ),
    RelatedKind(
        "statusRecords",
        StatusRecord,
        "status records",
        "The customer's loyalty statuses over time (CareCloud; `loyalty.status` is the "
        f"current one). {_NULL_ELSEWHERE}",
        _paged(lambda a: a.list_status_records_many),
        paged=True,
    ),
    RelatedKind(
        "recommendations",
        Recommendation,
        "recommendations",
        f"Recommendations made to the customer (CareCloud). {_NULL_ELSEWHERE}",
        _paged(lambda a: a.list_recommendations_many),
        paged=True,
    ),
    RelatedKind(
        "customerSources",
        CustomerSource,
        "customer sources",
        f"Where the customer's account came from (CareCloud). {_NULL_ELSEWHERE}",
        _paged(lambda a: a.list_customer_sources_many),
        paged=True,
    ),
    RelatedKind(
        "segments",
        Segment,
        "segments",
        f"The segments the customer belongs to, all of them (CareCloud). {_NULL_ELSEWHERE}",
        _whole(lambda a: a.list_segments_many),
        paged=False,
    ),
    RelatedKind(
        "properties",
        CustomerProperty,
        "property records",
        "The customer's property records, all of them (CareCloud). Written with "
        f"add/update/deleteCustomerProperty. {_NULL_ELSEWHERE}",
        _whole(lambda a: a.list_properties_many),
        paged=False,
    ),
    RelatedKind(
        "interests",
        Interest,
        "interest records",
        "The customer's interest records, all of them (CareCloud). Written with "
        f"add/update/deleteCustomerInterest. {_NULL_ELSEWHERE}",
        _whole(lambda a: a.list_interests_many),
        paged=False,
    ),
)
assert all(kind.model in RELATED_OBJECT_TYPES for kind in RELATED_KINDS), "a kind unbound"
_BY_NAME: Final = {kind.graphql_name: kind for kind in RELATED_KINDS}
# The cost rule's entries (gateway.shape): one call per customer and kind selected.
RELATED_COSTS: Final[Mapping[str, RelatedKind]] = _BY_NAME


def _capable(context: Context, backend: Backend, kind: RelatedKind) -> None:
    if not context.adapter(backend).supports(Capability.RELATIONSHIPS):
        raise Unsupported(f"{backend.name} cannot list {kind.what}", backend=backend.name)


def _load(context: Context, kind: RelatedKind, key: RelatedKey) -> Awaitable[Any]:
    return context.loaders.related.of(kind.graphql_name, kind.fetch).load(key)


def load_related_list(context: Context, graphql_name: str, key: NativeKey) -> Awaitable[Any]:
    """All of a customer's records of a kind that is not paged (`properties`, `interests`),
    through the loader the Customer field uses (node() refetches a record by them)."""
    kind = _BY_NAME[graphql_name]
    return _load(context, kind, RelatedKey(key.backend, key.native_id))


FirstArgument = Annotated[
    int | None,
    strawberry.argument(
        description=(
            "At most this many records (20 when left out); more than GATEWAY_MAX_PAGE_SIZE "
            "(100 by default) is capped to it. Negative is BAD_USER_INPUT."
        )
    ),
]
AfterArgument = Annotated[
    str | None,
    strawberry.argument(
        description="A cursor of this list (an edge's or `pageInfo.endCursor`): go on after it."
    ),
]


def _connection_field(kind: RelatedKind) -> Any:
    async def resolve(
        root: strawberry.Parent[Customer],
        info: RelatedInfo,
        first: FirstArgument = DEFAULT_FIRST,
        after: AfterArgument = None,
    ) -> Connection[Any]:
        context = info.context
        page = page_request(kind.graphql_name, first, after, context.settings.max_page_size)
        _capable(context, root.backend, kind)
        found = await _load(context, kind, RelatedKey(root.backend, root.native_id, page))
        return connection(kind.graphql_name, found)

    return strawberry.field(
        resolver=resolve,
        name=kind.graphql_name,
        graphql_type=Connection[kind.model] | None,  # type: ignore[name-defined]
        description=kind.description,
    )


def _list_field(kind: RelatedKind) -> Any:
    async def resolve(root: strawberry.Parent[Customer], info: RelatedInfo) -> Any:
        _capable(info.context, root.backend, kind)
        return await _load(info.context, kind, RelatedKey(root.backend, root.native_id))

    return strawberry.field(
        resolver=resolve,
        name=kind.graphql_name,
        graphql_type=list[kind.model] | None,  # type: ignore[name-defined]
        description=kind.description,
    )


# Customer's fields for the related records, by attribute name (types.py adds them).
RELATED_FIELDS: Final = {
    f"related_{kind.graphql_name}": (_connection_field(kind) if kind.paged else _list_field(kind))
    for kind in RELATED_KINDS
}


# --- started beside the profile -----------------------------------------------------------


def _fields_named(
    selections: Sequence[Selection], names: Mapping[str, RelatedKind]
) -> list[SelectedField]:
    """The selected fields of `names`, through fragments, on the current object only."""
    found: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name in names:
                found.append(selection)
        elif isinstance(selection, FragmentSpread | InlineFragment):
            found.extend(_fields_named(selection.selections, names))
    return found


def _window(kind: RelatedKind, arguments: Mapping[str, Any], max_page: int) -> PageRequest:
    """The window a selected field's arguments ask for, as its resolver will see them.

    Strawberry's `selected_fields` gives a literal as its source text ("5") and a variable
    as its coerced value.
    """
    first, after = arguments.get("first", DEFAULT_FIRST), arguments.get("after")
    if isinstance(first, str):
        first = int(first)
    if not isinstance(first, int | None) or not isinstance(after, str | None):
        raise TypeError("not a window")
    return page_request(kind.graphql_name, first, after, max_page)


def prefetch_related(info: RelatedInfo, key: NativeKey, wanted: set[str]) -> None:
    """Start the related loads a read of one customer selects, beside its profile's.

    `wanted` is the names the customer's selection holds (`selected_names`); a paged kind's
    window needs its arguments, read (with the variables) only when one is selected. A
    window the field will refuse (a bad cursor) is not started: the field reports it.
    """
    selected = {name: _BY_NAME[name] for name in wanted if name in _BY_NAME}
    context = info.context
    if not selected or not context.adapter(key.backend).supports(Capability.RELATIONSHIPS):
        return
    keys: list[tuple[RelatedKind, RelatedKey]] = [
        (kind, RelatedKey(key.backend, key.native_id))
        for kind in selected.values()
        if not kind.paged
    ]
    if any(kind.paged for kind in selected.values()):
        paged = {name: kind for name, kind in selected.items() if kind.paged}
        for root in info.selected_fields:
            for field in _fields_named(root.selections, paged):
                kind = paged[field.name]
                try:
                    window = _window(kind, field.arguments, context.settings.max_page_size)
                except (BadUserInput, ValueError, TypeError):
                    continue
                keys.append((kind, RelatedKey(key.backend, key.native_id, window)))
    for kind, related in keys:
        future = _load(context, kind, related)
        future.add_done_callback(lambda f: f.cancelled() or f.exception())  # type: ignore[attr-defined]
