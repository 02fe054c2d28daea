"""Mutations: each checks the back end's capability first, so UNSUPPORTED sends nothing."""

from __future__ import annotations

from typing import Annotated

import strawberry
from graphql import GraphQLError

from adapters.base import Capability, CustomerAdapter
from adapters.errors import UpstreamConflict
from adapters.model import Backend, Customer, TravelDocument, Traveler
from gateway.auth import CanWrite
from gateway.errors import BadUserInput, Unsupported, graphql_error
from gateway.ids import CUSTOMER, TRAVEL_DOCUMENT, GlobalId, decode_id, encode_id
from gateway.schema.inputs import (
    AddTravelerInput,
    CreateCustomerInput,
    UpdateCustomerInput,
    UpdateTravelDocumentsInput,
)
from gateway.schema.person_fields import PersonMutation
from gateway.schema.types import GatewayInfo

_VERBS = {
    Capability.CREATE: "create customers",
    Capability.UPDATE: "update customers",
    Capability.TRAVELERS: "add travelers",
    Capability.TRAVEL_DOCUMENTS: "update travel documents",
}


def _capable(info: GatewayInfo, backend: Backend, capability: Capability) -> CustomerAdapter:
    adapter = info.context.adapter(backend)
    if not adapter.supports(capability):
        raise Unsupported(f"{backend.name} cannot {_VERBS[capability]}", backend=backend.name)
    return adapter


@strawberry.type(description="What createCustomer answers.")
class CreateCustomerPayload:
    customer: Customer = strawberry.field(
        description="The customer created, read back from its back end."
    )


@strawberry.type(description="What updateCustomer answers.")
class UpdateCustomerPayload:
    customer: Customer = strawberry.field(
        description="The customer after the update, read back from its back end."
    )


@strawberry.type(description="What addTraveler answers.")
class AddTravelerPayload:
    traveler: Traveler = strawberry.field(
        description="The traveler added, as Club Med answered it."
    )


@strawberry.type(description="What updateTravelDocuments answers.")
class UpdateTravelDocumentsPayload:
    travel_documents: list[TravelDocument] = strawberry.field(
        description="Every travel document of the customer after the update, read back."
    )


@strawberry.type(
    description=(
        "Writes. Every field needs the customers:write scope and checks first that the back "
        "end can do it: if not, UNSUPPORTED with nothing sent. A steward's linkCustomers "
        "and unlinkCustomers need customers:steward instead, and send nothing."
    )
)
class Mutation(PersonMutation):
    @strawberry.mutation(
        description=(
            "Creates a customer; the payload is the record read back. Sent once: when the "
            "back end's answer is lost, the record is looked up by its natural key (email, "
            "or Relay's ccid) and, if exactly one matches, returned with a `recovered` entry "
            "in the response's extensions. Needs customers:write."
        ),
        permission_classes=[CanWrite],
    )
    async def create_customer(
        self,
        info: GatewayInfo,
        input: Annotated[
            CreateCustomerInput, strawberry.argument(description="The customer to create.")
        ],
    ) -> CreateCustomerPayload:
        adapter = _capable(info, input.backend, Capability.CREATE)
        draft = input.to_model()
        if adapter.caller_assigns_id and draft.native_id is None:
            raise BadUserInput(
                f"{input.backend.name} needs the caller's nativeId", field="nativeId"
            )
        if not adapter.caller_assigns_id and draft.native_id is not None:
            raise BadUserInput(f"{input.backend.name} assigns its own ids", field="nativeId")
        created = await adapter.create_or_recover(draft)
        if created.recovered:
            info.context.add_extension(
                "recovered",
                {
                    "path": info.path.as_list(),
                    "backend": input.backend.name,
                    "message": "the back end's answer was lost; the record it created was "
                    "found by its natural key",
                },
            )
        return CreateCustomerPayload(customer=created.customer)

    @strawberry.mutation(
        description=(
            "Patch: left out keeps, null clears, on every back end that can update (Club Med, "
            "CareCloud; UNSUPPORTED on Relay). Needs customers:write."
        ),
        permission_classes=[CanWrite],
    )
    async def update_customer(
        self,
        info: GatewayInfo,
        input: Annotated[
            UpdateCustomerInput,
            strawberry.argument(description="The customer's id and the changes."),
        ],
    ) -> UpdateCustomerPayload:
        target = decode_id(input.id, expected=CUSTOMER)
        adapter = _capable(info, target.backend, Capability.UPDATE)
        customer = await adapter.update_customer(target.native_id, input.to_model())
        return UpdateCustomerPayload(customer=customer)

    @strawberry.mutation(
        description=(
            "Adds a traveler to a customer: Club Med only (UNSUPPORTED elsewhere). Needs "
            "customers:write."
        ),
        permission_classes=[CanWrite],
    )
    async def add_traveler(
        self,
        info: GatewayInfo,
        input: Annotated[
            AddTravelerInput, strawberry.argument(description="The customer and the traveler.")
        ],
    ) -> AddTravelerPayload:
        target = decode_id(input.customer_id, expected=CUSTOMER)
        adapter = _capable(info, target.backend, Capability.TRAVELERS)
        traveler = await adapter.add_traveler(target.native_id, input.to_model())
        return AddTravelerPayload(traveler=traveler)

    @strawberry.mutation(
        description=(
            "Updates (id set) or adds (id left out) documents. Where the back end holds one "
            "document of a kind (Club Med: passport, id card, licence), a new one of a kind "
            "held is CONFLICT with `extensions.existingId`: send that id to replace it. Club "
            "Med only (UNSUPPORTED elsewhere). Needs customers:write."
        ),
        permission_classes=[CanWrite],
    )
    async def update_travel_documents(
        self,
        info: GatewayInfo,
        input: Annotated[
            UpdateTravelDocumentsInput,
            strawberry.argument(description="The customer and its documents to update or add."),
        ],
    ) -> UpdateTravelDocumentsPayload:
        target = decode_id(input.customer_id, expected=CUSTOMER)
        adapter = _capable(info, target.backend, Capability.TRAVEL_DOCUMENTS)
        patches = []
        for document in input.documents:
            native_id = None
            if document.id is not None:
                named = decode_id(document.id, expected=TRAVEL_DOCUMENT)
                if (named.backend, named.customer_native_id) != (target.backend, target.native_id):
                    raise BadUserInput("a document id of another customer", field="documents")
                native_id = named.native_id
            patches.append(document.to_model(native_id))
        if not patches:
            raise BadUserInput("no documents to update", field="documents")
        try:
            documents = await adapter.update_travel_documents(target.native_id, patches)
        except UpstreamConflict as conflict:
            if conflict.existing is None:
                raise
            raise _naming_existing(conflict, conflict.existing, target, info) from conflict
        return UpdateTravelDocumentsPayload(travel_documents=documents)


def _naming_existing(
    conflict: UpstreamConflict, existing: str, customer: GlobalId, info: GatewayInfo
) -> GraphQLError:
    """The conflict with `extensions.existingId`: the global id of the document in the way.

    Translated here, once: the adapter knows only its native ids, and global ids are the
    gateway's own (gateway/ids.py), which adapters never import.
    """
    global_id = encode_id(TRAVEL_DOCUMENT, customer.backend, customer.native_id, existing)
    return graphql_error(
        conflict.message,
        conflict.code,
        path=info.path.as_list(),
        original_error=conflict,
        extensions=conflict.extensions,
        existingId=global_id,
    )
