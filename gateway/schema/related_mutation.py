"""Writes of a customer's property and interest records: add, patch, delete.

Each checks Capability.RELATIONSHIPS first (UNSUPPORTED, nothing sent), takes global ids
(`CustomerProperty`, `Interest`: the customer's id and the record's, gateway/ids.py) and
returns the record as read back. An update is a patch: a field left out keeps its value. A
record the back end does not know is NOT_FOUND (the adapter's).
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from adapters.base import Capability, CustomerAdapter
from adapters.model import Backend, Keep
from adapters.relationships import (
    CustomerProperty,
    Interest,
    InterestDraft,
    InterestPatch,
    PropertyDraft,
    PropertyPatch,
    PropertyValue,
)
from gateway.auth import CanWrite
from gateway.errors import BadUserInput, Unsupported
from gateway.ids import CUSTOMER, CUSTOMER_PROPERTY, INTEREST, GlobalId, decode_id
from gateway.schema.inputs import patch_value
from gateway.schema.types import GatewayInfo


def _capable(info: GatewayInfo, backend: Backend, what: str) -> CustomerAdapter:
    adapter = info.context.adapter(backend)
    if not adapter.supports(Capability.RELATIONSHIPS):
        raise Unsupported(f"{backend.name} cannot write {what}", backend=backend.name)
    return adapter


def _value(value: object) -> PropertyValue:
    """A property value as the model types it (the JSON scalar hands any JSON value)."""
    if value is None or isinstance(value, str | int | float | bool | list):
        return value
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return value
    raise BadUserInput("value is not a JSON value", field="value")


def _text(value: str, field: str) -> str:
    value = value.strip()
    if not value:
        raise BadUserInput(f"{field} cannot be blank", field=field)
    return value


@strawberry.input(description="A property record to add to a customer.")
class AddCustomerPropertyInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer's global id.")
    property_id: str = strawberry.field(
        description="The back end's id of the property (e.g. shoe_size)."
    )
    value: JSON | None = strawberry.field(
        default=None, description="The value, typed as the back end types the property."
    )


@strawberry.input(description="Patch of a property record: a field left out stays as it is.")
class UpdateCustomerPropertyInput:
    id: strawberry.ID = strawberry.field(description="The property record's global id.")
    value: strawberry.Maybe[JSON | None] = strawberry.field(
        description="Left out: kept; null: cleared; a value: set."
    )


@strawberry.input(description="A property record to delete.")
class DeleteCustomerPropertyInput:
    id: strawberry.ID = strawberry.field(description="The property record's global id.")


@strawberry.input(description="An interest record to add to a customer.")
class AddCustomerInterestInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer's global id.")
    interest_id: str = strawberry.field(description="The back end's id of the interest.")


@strawberry.input(description="Patch of an interest record: a field left out stays as it is.")
class UpdateCustomerInterestInput:
    id: strawberry.ID = strawberry.field(description="The interest record's global id.")
    interest_id: strawberry.Maybe[str | None] = strawberry.field(
        description="Left out: kept; another interest's id: changed. It cannot be cleared."
    )


@strawberry.input(description="An interest record to delete.")
class DeleteCustomerInterestInput:
    id: strawberry.ID = strawberry.field(description="The interest record's global id.")


@strawberry.type(description="The property record added, as read back.")
class AddCustomerPropertyPayload:
    property: CustomerProperty = strawberry.field(description="The record as read back.")


@strawberry.type(description="The property record after the patch, as read back.")
class UpdateCustomerPropertyPayload:
    property: CustomerProperty = strawberry.field(description="The record as read back.")


@strawberry.type(description="The property record deleted.")
class DeleteCustomerPropertyPayload:
    deleted_id: strawberry.ID = strawberry.field(description="The global id of the record.")


@strawberry.type(description="The interest record added, as read back.")
class AddCustomerInterestPayload:
    interest: Interest = strawberry.field(description="The record as read back.")


@strawberry.type(description="The interest record after the patch, as read back.")
class UpdateCustomerInterestPayload:
    interest: Interest = strawberry.field(description="The record as read back.")


@strawberry.type(description="The interest record deleted.")
class DeleteCustomerInterestPayload:
    deleted_id: strawberry.ID = strawberry.field(description="The global id of the record.")


def _record(
    value: str, type_name: str, info: GatewayInfo, what: str
) -> tuple[GlobalId, CustomerAdapter]:
    target = decode_id(value, expected=type_name)
    return target, _capable(info, target.backend, what)


@strawberry.type
class RelatedRecordMutation:
    @strawberry.mutation(
        description="Adds a property record to a customer (CareCloud); UNSUPPORTED elsewhere.",
        permission_classes=[CanWrite],
    )
    async def add_customer_property(
        self,
        info: GatewayInfo,
        input: Annotated[
            AddCustomerPropertyInput,
            strawberry.argument(description="The customer and the property record to add."),
        ],
    ) -> AddCustomerPropertyPayload:
        target, adapter = _record(input.customer_id, CUSTOMER, info, "property records")
        draft = PropertyDraft(_text(input.property_id, "propertyId"), _value(input.value))
        added = await adapter.add_property(target.native_id, draft)
        return AddCustomerPropertyPayload(property=added)

    @strawberry.mutation(
        description="Patches a property record: left out keeps, null clears. NOT_FOUND for "
        "a record the back end does not hold.",
        permission_classes=[CanWrite],
    )
    async def update_customer_property(
        self,
        info: GatewayInfo,
        input: Annotated[
            UpdateCustomerPropertyInput,
            strawberry.argument(description="The property record and the fields to change."),
        ],
    ) -> UpdateCustomerPropertyPayload:
        target, adapter = _record(input.id, CUSTOMER_PROPERTY, info, "property records")
        value = patch_value(input.value)
        patch = PropertyPatch(value=value if isinstance(value, Keep) else _value(value))
        updated = await adapter.update_property(target.customer_native_id, target.native_id, patch)
        return UpdateCustomerPropertyPayload(property=updated)

    @strawberry.mutation(
        description="Deletes a property record; NOT_FOUND for one the back end does not hold.",
        permission_classes=[CanWrite],
    )
    async def delete_customer_property(
        self,
        info: GatewayInfo,
        input: Annotated[
            DeleteCustomerPropertyInput,
            strawberry.argument(description="The property record to delete."),
        ],
    ) -> DeleteCustomerPropertyPayload:
        target, adapter = _record(input.id, CUSTOMER_PROPERTY, info, "property records")
        await adapter.delete_property(target.customer_native_id, target.native_id)
        return DeleteCustomerPropertyPayload(deleted_id=strawberry.ID(target.encode()))

    @strawberry.mutation(
        description="Adds an interest record to a customer (CareCloud); UNSUPPORTED elsewhere.",
        permission_classes=[CanWrite],
    )
    async def add_customer_interest(
        self,
        info: GatewayInfo,
        input: Annotated[
            AddCustomerInterestInput,
            strawberry.argument(description="The customer and the interest record to add."),
        ],
    ) -> AddCustomerInterestPayload:
        target, adapter = _record(input.customer_id, CUSTOMER, info, "interest records")
        draft = InterestDraft(_text(input.interest_id, "interestId"))
        added = await adapter.add_interest(target.native_id, draft)
        return AddCustomerInterestPayload(interest=added)

    @strawberry.mutation(
        description="Patches an interest record: left out keeps; the interest cannot be "
        "cleared (BAD_USER_INPUT). NOT_FOUND for a record the back end does not hold.",
        permission_classes=[CanWrite],
    )
    async def update_customer_interest(
        self,
        info: GatewayInfo,
        input: Annotated[
            UpdateCustomerInterestInput,
            strawberry.argument(description="The interest record and the fields to change."),
        ],
    ) -> UpdateCustomerInterestPayload:
        target, adapter = _record(input.id, INTEREST, info, "interest records")
        interest = patch_value(input.interest_id)
        if isinstance(interest, str):
            interest = _text(interest, "interestId")
        elif interest is None:
            raise BadUserInput("interestId cannot be cleared", field="interestId")
        patch = InterestPatch(interest_id=interest)
        updated = await adapter.update_interest(target.customer_native_id, target.native_id, patch)
        return UpdateCustomerInterestPayload(interest=updated)

    @strawberry.mutation(
        description="Deletes an interest record; NOT_FOUND for one the back end does not hold.",
        permission_classes=[CanWrite],
    )
    async def delete_customer_interest(
        self,
        info: GatewayInfo,
        input: Annotated[
            DeleteCustomerInterestInput,
            strawberry.argument(description="The interest record to delete."),
        ],
    ) -> DeleteCustomerInterestPayload:
        target, adapter = _record(input.id, INTEREST, info, "interest records")
        await adapter.delete_interest(target.customer_native_id, target.native_id)
        return DeleteCustomerInterestPayload(deleted_id=strawberry.ID(target.encode()))
