"""The root fields of issue 16: `person(id)`, `people(filter)`, and stewards' mutations."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Annotated

import strawberry

from adapters.errors import UpstreamError
from adapters.model import Customer
from gateway.auth import CanFilterOnPII, CanRead, CanSteward
from gateway.errors import BadUserInput, graphql_error
from gateway.identity import Person, RecordKey
from gateway.ids import CUSTOMER, decode_id, person_id_of
from gateway.loaders import NativeKey
from gateway.people import people_of
from gateway.schema.inputs import CustomerFilterInput
from gateway.schema.pagination import PageInfo, page_size
from gateway.schema.person import PersonConnection, PersonEdge
from gateway.schema.types import GatewayInfo
from gateway.search import federated_search, searchable


async def load_person(info: GatewayInfo, global_id: str) -> Person | None:
    """The person a global Person id names, as its records are now; None if none is left."""
    person_id = person_id_of(global_id)
    if person_id is None:
        raise BadUserInput("malformed id")
    return await people_of(info.context).by_id(person_id)


def _report(info: GatewayInfo, errors: Iterable[UpstreamError]) -> None:
    """Back ends that failed during the search: reported beside the data, on its path."""
    for error in errors:
        info.context.partial_errors.append(
            graphql_error(
                str(error.message),
                error.code,
                path=info.path.as_list(),
                original_error=error,
                extensions=error.extensions,
            )
        )


@strawberry.type
class PersonQuery:
    @strawberry.field(
        description=(
            "A person by its global id, resolved anew from its records: the person now "
            "holding them (its id kept as records join and leave); null when none is left."
        ),
        permission_classes=[CanRead],
    )
    async def person(
        self,
        info: GatewayInfo,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="A Person id a query answered.")
        ],
    ) -> Person | None:
        return await load_person(info, id)

    @strawberry.field(
        description=(
            "A federated search whose edges are persons: each record found is resolved to its "
            "person, and a person found by several records is listed once per page. Filtering "
            "on birthdate needs pii:read."
        ),
        permission_classes=[CanRead, CanFilterOnPII],
    )
    async def people(
        self,
        info: GatewayInfo,
        filter: Annotated[
            CustomerFilterInput,
            strawberry.argument(description="As for `customers`: the records to start from."),
        ],
        first: Annotated[
            int | None,
            strawberry.argument(
                description=(
                    "Records to resolve (persons are at most this many); capped at "
                    "GATEWAY_MAX_PAGE_SIZE."
                )
            ),
        ] = 20,
        after: Annotated[
            str | None, strawberry.argument(description="An endCursor or edge cursor.")
        ] = None,
    ) -> PersonConnection:
        context = info.context
        first = page_size(first, context.settings.max_page_size)
        model_filter = filter.to_model()
        chosen, _ = searchable(context.adapters, model_filter, None)
        page = await federated_search(context.adapters, model_filter, chosen, first, after)
        _report(info, page.failures)
        people = people_of(context)
        persons = await asyncio.gather(*(people.of(edge.node) for edge in page.edges))
        edges: dict[str, PersonEdge] = {}
        for edge, person in zip(page.edges, persons, strict=True):
            edges.setdefault(person.id, PersonEdge(cursor=edge.cursor, node=person))
        end_cursor = page.edges[-1].cursor if page.edges else after
        return PersonConnection(
            edges=list(edges.values()),
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=end_cursor),
        )


@strawberry.type(description="The person after a steward's link.")
class LinkCustomersPayload:
    person: Person = strawberry.field(description="The person both records are now in.")


@strawberry.type(description="The two persons after a steward's split.")
class UnlinkCustomersPayload:
    person: Person = strawberry.field(description="The person of the record `a`.")
    other_person: Person = strawberry.field(description="The person of the record `b`.")


async def _records(info: GatewayInfo, a: str, b: str) -> tuple[Customer, Customer]:
    """Both records, read (NOT_FOUND when a back end does not know one); never one twice."""
    ids = decode_id(a, expected=CUSTOMER), decode_id(b, expected=CUSTOMER)
    if (ids[0].backend, ids[0].native_id) == (ids[1].backend, ids[1].native_id):
        raise BadUserInput("a record is one person with itself already", argument="b")
    loader = info.context.loaders.customer
    first, second = await asyncio.gather(
        *(loader.load(NativeKey(g.backend, g.native_id)) for g in ids)
    )
    return first, second


_A = Annotated[strawberry.ID, strawberry.argument(description="A Customer id.")]
_B = Annotated[strawberry.ID, strawberry.argument(description="Another Customer id.")]


@strawberry.type
class PersonMutation:
    @strawberry.mutation(
        description=(
            "A steward confirms that two records are one person: stored, and it overrides the "
            "matcher from then on (it replaces an unlink of the pair). Needs customers:steward "
            "and customers:read. IDENTITY_STORE_UNAVAILABLE when the store does not answer: "
            "nothing stored."
        ),
        permission_classes=[CanSteward, CanRead],
    )
    async def link_customers(self, info: GatewayInfo, a: _A, b: _B) -> LinkCustomersPayload:
        first, second = await _records(info, a, b)
        people = people_of(info.context)
        await people.store.link(RecordKey.of(first), RecordKey.of(second))
        people.forget()
        return LinkCustomersPayload(person=await people.of(first))

    @strawberry.mutation(
        description=(
            "A steward takes the record `b` out of the person of `a`: stored as a split "
            "between `b` and each record of that person (so no other record brings it back), "
            "and it overrides the matcher from then on (it replaces a link of a pair). Needs "
            "customers:steward and customers:read. IDENTITY_STORE_UNAVAILABLE when the store "
            "does not answer: nothing stored, not one pair."
        ),
        permission_classes=[CanSteward, CanRead],
    )
    async def unlink_customers(self, info: GatewayInfo, a: _A, b: _B) -> UnlinkCustomersPayload:
        first, second = await _records(info, a, b)
        people = people_of(info.context)
        leaving = RecordKey.of(second)
        before = await people.of(first)
        staying = {RecordKey.of(first)} | {m.key for m in before.members}
        await people.store.split(leaving, staying - {leaving})
        people.forget()
        person = await people.of(first)
        return UnlinkCustomersPayload(person=person, other_person=await people.of(second))
