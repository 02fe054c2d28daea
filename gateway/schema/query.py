"""Queries: refetch by global id, read by native id, and the federated search."""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry
from aiodataloader import DataLoader
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    SelectionSetNode,
)

from adapters.base import Capability
from adapters.model import Backend
from gateway.auth import CanFilterOnPII, CanRead
from gateway.errors import BadUserInput, NotFound, Unsupported
from gateway.ids import CUSTOMER, TRAVELER, GlobalId, check_native_id, decode_id
from gateway.loaders import NativeKey
from gateway.schema.inputs import CustomerFilterInput
from gateway.schema.pagination import CustomerConnection, PageInfo
from gateway.schema.types import CustomerObject, GatewayInfo, Node
from gateway.search import federated_search, searchable


def _selected(
    selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]
) -> set[str]:
    """The field names a selection set asks for, through fragments too (one level of fields)."""
    names: set[str] = set()
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            names |= _selected(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            names |= _selected(fragment.selection_set if fragment else None, fragments)
    return names


def selected_names(info: GatewayInfo) -> set[str]:
    """The field names selected on the current field's object, read off graphql-core's AST.

    Not `info.selected_fields`: that converts the whole selection tree, arguments and
    directives included, into Strawberry's objects (7% of a customer read's CPU); this
    needs one level of names. graphql-core's info is Strawberry's `_raw_info`.
    """
    raw = info._raw_info
    names: set[str] = set()
    for node in raw.field_nodes:
        names |= _selected(node.selection_set, raw.fragments)
    return names


def prefetch_lists(info: GatewayInfo, key: NativeKey, wanted: set[str] | None = None) -> None:
    """Start the travelers and documents loads the query asks for, beside the profile's.

    Without it they would start only once the profile has come back: two round trips in
    a row where the back end allows one. Each load is cached, so the fields' own resolvers
    get the same result; a load nobody ends up awaiting has its error retrieved here.
    `wanted` is `selected_names(info)`, passed in by a caller that loads many keys.
    """
    adapter = info.context.adapter(key.backend)
    wanted = selected_names(info) if wanted is None else wanted
    loaders = info.context.loaders
    lists: tuple[tuple[str, Capability, DataLoader], ...] = (
        ("travelers", Capability.TRAVELERS, loaders.travelers),
        ("travelDocuments", Capability.TRAVEL_DOCUMENTS, loaders.travel_documents),
    )
    for name, capability, loader in lists:
        if name in wanted and adapter.supports(capability):
            future = loader.load(key)
            future.add_done_callback(lambda f: f.cancelled() or f.exception())


async def load_node(
    info: GatewayInfo, global_id: GlobalId, wanted: set[str] | None = None
) -> object:
    """The model object a decoded id names; NOT_FOUND when its back end does not know it."""
    context = info.context
    adapter = context.adapter(global_id.backend)
    key = NativeKey(global_id.backend, global_id.customer_native_id)
    if global_id.type == CUSTOMER:
        prefetch_lists(info, key, wanted)
        return await context.loaders.customer.load(key)
    if global_id.type == TRAVELER:
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


@strawberry.type
class Query:
    @strawberry.field(description="Any object by its global id.", permission_classes=[CanRead])
    async def node(self, info: GatewayInfo, id: strawberry.ID) -> Node | None:
        return await load_node(info, decode_id(id))  # type: ignore[return-value]

    @strawberry.field(
        description="Objects by global id, in order; a failed one is null.",
        permission_classes=[CanRead],
    )
    async def nodes(self, info: GatewayInfo, ids: list[strawberry.ID]) -> list[Node | None]:
        wanted = selected_names(info)  # once for every id: the selection is the same

        async def one(value: str) -> object:
            try:
                return await load_node(info, decode_id(value), wanted)
            except Exception as error:  # returned in place: graphql-core reports it there
                return error

        return await asyncio.gather(*(one(value) for value in ids))  # type: ignore[return-value]

    @strawberry.field(permission_classes=[CanRead])
    async def customer(self, info: GatewayInfo, id: strawberry.ID) -> CustomerObject | None:
        return await load_node(info, decode_id(id, expected=CUSTOMER))  # type: ignore[return-value]

    @strawberry.field(
        description="A customer by its back end's own id, e.g. a Relay ccid.",
        permission_classes=[CanRead],
    )
    async def customer_by_native_id(
        self, info: GatewayInfo, backend: Backend, native_id: str
    ) -> CustomerObject | None:
        if not native_id.strip():
            raise BadUserInput("nativeId cannot be blank", argument="nativeId")
        check_native_id(native_id, argument="nativeId")
        if not info.context.adapter(backend).supports(Capability.READ):
            raise Unsupported(f"{backend.name} cannot read customers", backend=backend.name)
        key = NativeKey(backend, native_id)
        prefetch_lists(info, key)
        return await info.context.loaders.customer.load(key)  # type: ignore[no-any-return]

    @strawberry.field(
        description=(
            "Searches every back end that can (or those named) at once and merges the results. "
            "Filtering on birthdate needs pii:read."
        ),
        permission_classes=[CanRead, CanFilterOnPII],
    )
    async def customers(
        self,
        info: GatewayInfo,
        filter: CustomerFilterInput,
        backends: list[Backend] | None = None,
        first: Annotated[
            int | None,
            strawberry.argument(
                description=(
                    "At most this many results; more than GATEWAY_MAX_PAGE_SIZE (100 by "
                    "default) is capped to it."
                )
            ),
        ] = 20,
        after: str | None = None,
    ) -> CustomerConnection:
        context = info.context
        first = 20 if first is None else first
        if first < 0:
            raise BadUserInput("first cannot be negative", argument="first")
        first = min(first, context.settings.max_page_size)
        model_filter = filter.to_model()
        chosen, refused = searchable(context.adapters, model_filter, backends)
        page = await federated_search(context.adapters, model_filter, chosen, first, after)
        for error in (*refused, *page.failures):
            context.partial_errors.append(
                GraphQLError(
                    str(error.message),
                    path=[*info.path.as_list()],
                    original_error=error,
                    extensions=error.extensions,
                )
            )
        # The merged edges are the CustomerEdge objects (`node`, `cursor` read off them).
        end_cursor = page.edges[-1].cursor if page.edges else after
        return CustomerConnection(
            edges=page.edges,  # type: ignore[arg-type]
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=end_cursor),
            total_count=page.total,
        )
