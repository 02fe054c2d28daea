"""Queries: refetch by global id, read by native id, and the federated search."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Annotated

import strawberry

from adapters.base import Capability
from adapters.model import Backend, Customer
from gateway.auth import CanFilterOnPII, CanRead
from gateway.errors import BadUserInput, NotFound, Unsupported, graphql_error
from gateway.identity import Person
from gateway.ids import (
    CUSTOMER,
    CUSTOMER_PROPERTY,
    INTEREST,
    TRAVELER,
    GlobalId,
    check_native_id,
    decode_id,
    person_id_of,
)
from gateway.loaders import NativeKey
from gateway.schema.catalogue import LOADED
from gateway.schema.fastpath import selected_names
from gateway.schema.inputs import CustomerFilterInput
from gateway.schema.pagination import CustomerConnection, PageInfo, page_size
from gateway.schema.person_fields import PersonQuery, load_person
from gateway.schema.relationships import load_related_list, prefetch_related
from gateway.schema.types import GatewayInfo, Node
from gateway.search import federated_search, searchable


def prefetch_lists(info: GatewayInfo, key: NativeKey, wanted: set[str] | None = None) -> None:
    """Start the sub-resource loads the query asks for (the catalogue's), beside the profile's.

    Without it they would start only once the profile has come back: two round trips in
    a row where the back end allows one. Each load is cached, so the fields' own resolvers
    get the same result; a load nobody ends up awaiting has its error retrieved here.
    `wanted` is `selected_names(info)`, passed in by a caller that loads many keys.
    """
    adapter = info.context.adapter(key.backend)
    wanted = selected_names(info) if wanted is None else wanted
    loaders = info.context.loaders
    for name, source in LOADED:
        if name in wanted and adapter.supports(source.capability):
            future = source.loader(loaders).load(key)
            future.add_done_callback(lambda f: f.cancelled() or f.exception())
    prefetch_related(info, key, wanted)


async def load_customer(
    info: GatewayInfo, key: NativeKey, wanted: set[str] | None = None
) -> Customer:
    """The customer's profile, its selected sub-resources started beside it."""
    prefetch_lists(info, key, wanted)
    return await info.context.loaders.customer.load(key)


async def load_node(info: GatewayInfo, global_id: GlobalId, wanted: set[str] | None = None) -> Node:
    """The model object a decoded id names; NOT_FOUND when its back end does not know it."""
    context = info.context
    adapter = context.adapter(global_id.backend)
    key = NativeKey(global_id.backend, global_id.customer_native_id)
    if global_id.type == CUSTOMER:
        return await load_customer(info, key, wanted)
    items: Sequence[Node]
    if global_id.type in (CUSTOMER_PROPERTY, INTEREST):
        # CareCloud lists a customer's properties or interests whole: the record is found
        # in that list, the one its Customer field reads.
        if not adapter.supports(Capability.RELATIONSHIPS):
            raise BadUserInput("malformed id")
        kind = "properties" if global_id.type == CUSTOMER_PROPERTY else "interests"
        items = await load_related_list(context, kind, key)
    elif global_id.type == TRAVELER:
        if not adapter.supports(Capability.TRAVELERS):
            raise BadUserInput("malformed id")
        items = await context.loaders.travelers.load(key)
    else:
        if not adapter.supports(Capability.TRAVEL_DOCUMENTS):
            raise BadUserInput("malformed id")
        items = await context.loaders.travel_documents.load(key)
    for item in items:
        if item.native_id == global_id.native_id:
            return item
    raise NotFound(f"no such {global_id.type}")


@strawberry.type(description="Reads. Every field needs the customers:read scope.")
class Query(PersonQuery):
    @strawberry.field(
        description=(
            "Any object by its global id. Null, with a NOT_FOUND error, when its back end does "
            "not know it. Needs customers:read."
        ),
        permission_classes=[CanRead],
        graphql_type=Node | None,
    )
    async def node(
        self,
        info: GatewayInfo,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description=(
                    "A Customer, Traveler, TravelDocument, CustomerProperty, Interest or Person id."
                )
            ),
        ],
    ) -> Node | Person | None:
        if person_id_of(id) is not None:
            return await load_person(info, id)
        return await load_node(info, decode_id(id))

    @strawberry.field(
        description=("Objects by global id, in order; a failed one is null. Needs customers:read."),
        permission_classes=[CanRead],
        # A failed id has its error in its place, where graphql-core reports it: a null.
        graphql_type=list[Node | None],
    )
    async def nodes(
        self,
        info: GatewayInfo,
        ids: Annotated[
            list[strawberry.ID],
            strawberry.argument(
                description="Global ids of any kind; the answer keeps their order."
            ),
        ],
    ) -> list[Node | Person | None | Exception]:
        wanted = selected_names(info)  # once for every id: the selection is the same

        async def one(value: str) -> Node | Person | None | Exception:
            try:
                if person_id_of(value) is not None:
                    return await load_person(info, value)
                return await load_node(info, decode_id(value), wanted)
            except Exception as error:
                return error

        return await asyncio.gather(*(one(value) for value in ids))

    @strawberry.field(
        description=(
            "A customer by its global id. Null, with a NOT_FOUND error, when its back end does "
            "not know it. Needs customers:read."
        ),
        permission_classes=[CanRead],
    )
    async def customer(
        self,
        info: GatewayInfo,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="A Customer id (Customer.id); another kind is BAD_USER_INPUT."
            ),
        ],
    ) -> Customer | None:
        target = decode_id(id, expected=CUSTOMER)
        return await load_customer(info, NativeKey(target.backend, target.customer_native_id))

    @strawberry.field(
        description=(
            "A customer by its back end's own id, e.g. a Relay ccid. Null, with a NOT_FOUND "
            "error, when the back end does not know it. Needs customers:read."
        ),
        permission_classes=[CanRead],
    )
    async def customer_by_native_id(
        self,
        info: GatewayInfo,
        backend: Annotated[Backend, strawberry.argument(description="The back end to ask.")],
        native_id: Annotated[
            str,
            strawberry.argument(
                description=(
                    "Club Med's or CareCloud's customer_id, Relay's ccid (Customer.nativeId); "
                    "at most 128 characters."
                )
            ),
        ],
    ) -> Customer | None:
        if not native_id.strip():
            raise BadUserInput("nativeId cannot be blank", argument="nativeId")
        check_native_id(native_id, argument="nativeId")
        if not info.context.adapter(backend).supports(Capability.READ):
            raise Unsupported(f"{backend.name} cannot read customers", backend=backend.name)
        return await load_customer(info, NativeKey(backend, native_id))

    @strawberry.field(
        description=(
            "Searches every back end that can (or those named) at once and merges the results. "
            "Needs customers:read; filtering on birthdate also needs pii:read."
        ),
        permission_classes=[CanRead, CanFilterOnPII],
    )
    async def customers(
        self,
        info: GatewayInfo,
        filter: Annotated[
            CustomerFilterInput, strawberry.argument(description="The criteria, ANDed.")
        ],
        backends: Annotated[
            list[Backend] | None,
            strawberry.argument(
                description=(
                    "Ask only these. Null: every back end that can answer the filter; a back "
                    "end named here that cannot is an UNSUPPORTED error beside the results."
                )
            ),
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(
                description=(
                    "At most this many results; more than GATEWAY_MAX_PAGE_SIZE (100 by "
                    "default) is capped to it."
                )
            ),
        ] = 20,
        after: Annotated[
            str | None,
            strawberry.argument(
                description=(
                    "A cursor of the same search (pageInfo.endCursor or an edge's): go on "
                    "after it. Null: from the start."
                )
            ),
        ] = None,
    ) -> CustomerConnection:
        context = info.context
        first = page_size(first, context.settings.max_page_size)
        model_filter = filter.to_model()
        chosen, refused = searchable(context.adapters, model_filter, backends)
        page = await federated_search(context.adapters, model_filter, chosen, first, after)
        for error in (*refused, *page.failures):
            context.partial_errors.append(
                graphql_error(
                    str(error.message),
                    error.code,
                    path=[*info.path.as_list()],
                    original_error=error,
                    extensions=error.extensions,
                )
            )
        end_cursor = page.edges[-1].cursor if page.edges else after
        return CustomerConnection(
            edges=page.edges,
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=end_cursor),
            total_count=page.total,
        )
