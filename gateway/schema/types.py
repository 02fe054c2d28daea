"""The GraphQL object types, served straight from the model's dataclasses (no copies).

Each Strawberry type here is the blueprint of a model class, which wears it (`fastpath.bind`):
resolvers return the model objects and say so, and the schema's annotations name the model
classes. Customer's fields come from the catalogue (`catalogue.py`), one per entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final, Protocol

import strawberry
from strawberry.types import Info

from adapters.base import Capability
from adapters.model import (
    Address,
    Backend,
    Consent,
    Customer,
    Gender,
    Loyalty,
    Phone,
    PhoneType,
    TravelDocument,
    TravelDocumentType,
    Traveler,
)
from gateway.auth import CanReadPII
from gateway.context import Context
from gateway.ids import TRAVEL_DOCUMENT, TRAVELER, encode_id
from gateway.schema.catalogue import CUSTOMER_FIELDS, CustomerField
from gateway.schema.fastpath import Read, bind
from gateway.schema.phones import e164

GatewayInfo = Info[Context, None]

# Strawberry may re-wrap a model enum on its own: keep these calls plain so both agree.
BackendEnum = strawberry.enum(Backend)
GenderEnum = strawberry.enum(Gender)
PhoneTypeEnum = strawberry.enum(PhoneType)
TravelDocumentTypeEnum = strawberry.enum(TravelDocumentType)
CapabilityEnum = strawberry.enum(Capability)


class Node(Protocol):
    """A model object a client can refetch by its global id (Customer, Traveler, TravelDocument)."""

    @property
    def backend(self) -> Backend: ...

    @property
    def native_id(self) -> str: ...


@strawberry.interface(name="Node", description="An object a client can refetch by its global id.")
class NodeInterface:
    id: strawberry.ID


def _e164(root: strawberry.Parent[Phone]) -> str | None:
    return e164(root)


@strawberry.type(name="Phone")
class PhoneObject:
    number: str = strawberry.field(description="As the back end stores it.")
    type: PhoneType | None
    e164: str | None = strawberry.field(
        resolver=_e164,
        description=(
            "The number in E.164 (+33623456789), read as its record's back end writes "
            "numbers; null when it is not a possible number."
        ),
    )


@strawberry.type(name="Address")
class AddressObject:
    line1: str | None
    line2: str | None
    line3: str | None
    city: str | None
    postal_code: str | None
    region: str | None
    country_code: str | None


@strawberry.type(name="Loyalty")
class LoyaltyObject:
    status: str | None
    previous_status: str | None
    points: int | None
    platinum_for_life: bool | None
    member_since: str | None
    renewal_date: date | None


@strawberry.type(name="Consent")
class ConsentObject:
    channel: str
    purpose: str
    granted: bool


def traveler_id(root: Traveler, context: Context | None = None) -> strawberry.ID:
    return strawberry.ID(encode_id(TRAVELER, root.backend, root.customer_native_id, root.native_id))


def travel_document_id(root: TravelDocument, context: Context | None = None) -> strawberry.ID:
    global_id = encode_id(TRAVEL_DOCUMENT, root.backend, root.customer_native_id, root.native_id)
    return strawberry.ID(global_id)


def _traveler_id(root: strawberry.Parent[Traveler]) -> strawberry.ID:
    return traveler_id(root)


def _travel_document_id(root: strawberry.Parent[TravelDocument]) -> strawberry.ID:
    return travel_document_id(root)


@strawberry.type(name="Traveler")
class TravelerObject(NodeInterface):
    id: strawberry.ID = strawberry.field(resolver=_traveler_id)
    native_id: str
    first_name: str | None
    last_name: str | None
    birthdate: date | None = strawberry.field(
        description="Needs pii:read.", permission_classes=[CanReadPII]
    )


@strawberry.type(name="TravelDocument")
class TravelDocumentObject(NodeInterface):
    id: strawberry.ID = strawberry.field(resolver=_travel_document_id)
    native_id: str
    type: TravelDocumentType
    number: str | None = strawberry.field(
        description="Needs pii:read.", permission_classes=[CanReadPII]
    )
    expiration_date: date | None
    issuing_country: str | None


def _strawberry_field(field: CustomerField) -> object:
    """The Strawberry field of a catalogue entry: its reader behind Strawberry's layer."""
    read = field.read

    def resolve(root: strawberry.Parent[Customer], info: GatewayInfo) -> object:
        return read(root, info.context)

    return strawberry.field(
        resolver=resolve,
        name=field.graphql_name,
        graphql_type=field.graphql_type,
        description=field.graphql_description,
        permission_classes=[field.permission] if field.permission else [],
    )


CustomerObject = strawberry.type(name="Customer")(
    type(
        "CustomerObject",
        (NodeInterface,),
        {field.name: _strawberry_field(field) for field in CUSTOMER_FIELDS},
    )
)

# The fields the fast path resolves without Strawberry's layer (by type, then GraphQL name),
# with the reader their Strawberry resolver calls too: all but those behind a permission.
PLAIN_READERS: Final[Mapping[str, Mapping[str, Read]]] = {
    "Customer": {f.graphql_name: f.read for f in CUSTOMER_FIELDS if f.permission is None},
    "Phone": {"e164": e164},
    "Traveler": {"id": traveler_id},
    "TravelDocument": {"id": travel_document_id},
}

# The interface last: its types have found it among their bases by now.
for _model, _object_type in (
    (Phone, PhoneObject),
    (Address, AddressObject),
    (Loyalty, LoyaltyObject),
    (Consent, ConsentObject),
    (Traveler, TravelerObject),
    (TravelDocument, TravelDocumentObject),
    (Customer, CustomerObject),
    (Node, NodeInterface),
):
    bind(_model, _object_type)
