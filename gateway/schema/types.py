"""The GraphQL object types, resolved straight from the model's dataclasses (no copies).

Resolvers get the model instance as their parent. A Customer field the instance does not
carry (a search result holds fewer fields than a profile) is fetched through the per-request
customer loader: one call per distinct record, only when a query selects such a field.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from typing import TypeVar

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
from gateway.ids import CUSTOMER, TRAVEL_DOCUMENT, TRAVELER, encode_id
from gateway.loaders import NativeKey

T = TypeVar("T")
GatewayInfo = Info[Context, None]

# Strawberry may re-wrap a model enum on its own: keep these calls plain so both agree.
BackendEnum = strawberry.enum(Backend)
GenderEnum = strawberry.enum(Gender)
PhoneTypeEnum = strawberry.enum(PhoneType)
TravelDocumentTypeEnum = strawberry.enum(TravelDocumentType)
CapabilityEnum = strawberry.enum(Capability)


@strawberry.interface(description="An object a client can refetch by its global id.")
class Node:
    id: strawberry.ID


@strawberry.type(name="Phone")
class PhoneObject:
    number: str
    type: PhoneType | None

    @classmethod
    def is_type_of(cls, obj: object, info: GatewayInfo) -> bool:
        return isinstance(obj, Phone)


@strawberry.type(name="Address")
class AddressObject:
    line1: str | None
    line2: str | None
    line3: str | None
    city: str | None
    postal_code: str | None
    region: str | None
    country_code: str | None

    @classmethod
    def is_type_of(cls, obj: object, info: GatewayInfo) -> bool:
        return isinstance(obj, Address)


@strawberry.type(name="Loyalty")
class LoyaltyObject:
    status: str | None
    previous_status: str | None
    points: int | None
    platinum_for_life: bool | None
    member_since: str | None
    renewal_date: date | None

    @classmethod
    def is_type_of(cls, obj: object, info: GatewayInfo) -> bool:
        return isinstance(obj, Loyalty)


@strawberry.type(name="Consent")
class ConsentObject:
    channel: str
    purpose: str
    granted: bool

    @classmethod
    def is_type_of(cls, obj: object, info: GatewayInfo) -> bool:
        return isinstance(obj, Consent)


@strawberry.type(name="Traveler")
class TravelerObject(Node):
    native_id: str
    first_name: str | None
    last_name: str | None
    birthdate: date | None = strawberry.field(
        description="Needs pii:read.", permission_classes=[CanReadPII]
    )

    # Node declares `id: ID`; each type resolves it from its model object instead.
    @strawberry.field  # type: ignore[misc]
    def id(  # type: ignore[override]
        self, root: strawberry.Parent[Traveler]
    ) -> strawberry.ID:
        return strawberry.ID(traveler_id(root))

    @classmethod
    def is_type_of(cls, obj: object, info: GatewayInfo) -> bool:
        return isinstance(obj, Traveler)


@strawberry.type(name="TravelDocument")
class TravelDocumentObject(Node):
    native_id: str
    type: TravelDocumentType
    number: str | None = strawberry.field(
        description="Needs pii:read.", permission_classes=[CanReadPII]
    )
    expiration_date: date | None
    issuing_country: str | None

    # Node declares `id: ID`; each type resolves it from its model object instead.
    @strawberry.field  # type: ignore[misc]
    def id(  # type: ignore[override]
        self, root: strawberry.Parent[TravelDocument]
    ) -> strawberry.ID:
        return strawberry.ID(travel_document_id(root))

    @classmethod
    def is_type_of(cls, obj: object, info: GatewayInfo) -> bool:
        return isinstance(obj, TravelDocument)


def known_field(root: Customer, context: Context, name: str) -> object | Awaitable[object]:
    """The field's value, from the record itself when it carries it, else from a profile."""
    if name in root.known_fields:
        return getattr(root, name)
    return _from_profile(root, context, name)


async def _from_profile(root: Customer, context: Context, name: str) -> object:
    profile = await context.loaders.customer.load(NativeKey(root.backend, root.native_id))
    return getattr(profile, name)


def customer_travelers(root: Customer, context: Context) -> Awaitable[object] | None:
    """The customer's travelers (through the per-request loader); None where there are none."""
    if not context.adapter(root.backend).supports(Capability.TRAVELERS):
        return None
    return context.loaders.travelers.load(NativeKey(root.backend, root.native_id))  # type: ignore[no-any-return]


def customer_travel_documents(root: Customer, context: Context) -> Awaitable[object] | None:
    """The customer's travel documents; None where the back end has none."""
    if not context.adapter(root.backend).supports(Capability.TRAVEL_DOCUMENTS):
        return None
    key = NativeKey(root.backend, root.native_id)
    return context.loaders.travel_documents.load(key)  # type: ignore[no-any-return]


def customer_id(root: Customer) -> str:
    return encode_id(CUSTOMER, root.backend, root.native_id)


def traveler_id(root: Traveler) -> str:
    return encode_id(TRAVELER, root.backend, root.customer_native_id, root.native_id)


def travel_document_id(root: TravelDocument) -> str:
    return encode_id(TRAVEL_DOCUMENT, root.backend, root.customer_native_id, root.native_id)


# Each profile field returns a value or, when it must be fetched, an awaitable: graphql-core
# awaits only what needs awaiting, so fields a search already returned cost no coroutine.
@strawberry.type(name="Customer")
class CustomerObject(Node):
    backend: Backend
    native_id: str = strawberry.field(
        description="Club Med customer_id, CareCloud customer_id, Relay ccid."
    )

    # Node declares `id: ID`; each type resolves it from its model object instead.
    @strawberry.field  # type: ignore[misc]
    def id(  # type: ignore[override]
        self, root: strawberry.Parent[Customer]
    ) -> strawberry.ID:
        return strawberry.ID(customer_id(root))

    @strawberry.field(
        description="Club Med gm_number, Relay secondary_account_id, CareCloud first card."
    )
    def membership_number(self, root: strawberry.Parent[Customer], info: GatewayInfo) -> str | None:
        return known_field(root, info.context, "membership_number")  # type: ignore[return-value]

    @strawberry.field
    def first_name(self, root: strawberry.Parent[Customer], info: GatewayInfo) -> str | None:
        return known_field(root, info.context, "first_name")  # type: ignore[return-value]

    @strawberry.field
    def middle_name(self, root: strawberry.Parent[Customer], info: GatewayInfo) -> str | None:
        return known_field(root, info.context, "middle_name")  # type: ignore[return-value]

    @strawberry.field
    def last_name(self, root: strawberry.Parent[Customer], info: GatewayInfo) -> str | None:
        return known_field(root, info.context, "last_name")  # type: ignore[return-value]

    @strawberry.field(
        description="ISO yyyy-mm-dd, whatever the back end sends. Needs pii:read.",
        permission_classes=[CanReadPII],
    )
    def birthdate(self, root: strawberry.Parent[Customer], info: GatewayInfo) -> date | None:
        return known_field(root, info.context, "birthdate")  # type: ignore[return-value]

    @strawberry.field
    def birth_city(self, root: strawberry.Parent[Customer], info: GatewayInfo) -> str | None:
        return known_field(root, info.context, "birth_city")  # type: ignore[return-value]

    @strawberry.field
    def gender(self, root: strawberry.Parent[Customer], info: GatewayInfo) -> Gender | None:
        return known_field(root, info.context, "gender")  # type: ignore[return-value]

    @strawberry.field
    def email(self, root: strawberry.Parent[Customer], info: GatewayInfo) -> str | None:
        return known_field(root, info.context, "email")  # type: ignore[return-value]

    @strawberry.field
    def phones(self, root: strawberry.Parent[Customer], info: GatewayInfo) -> list[PhoneObject]:
        return known_field(root, info.context, "phones")  # type: ignore[return-value]

    @strawberry.field
    def addresses(
        self, root: strawberry.Parent[Customer], info: GatewayInfo
    ) -> list[AddressObject]:
        return known_field(root, info.context, "addresses")  # type: ignore[return-value]

    @strawberry.field(description="BCP 47, e.g. fr-FR.")
    def locale(self, root: strawberry.Parent[Customer], info: GatewayInfo) -> str | None:
        return known_field(root, info.context, "locale")  # type: ignore[return-value]

    @strawberry.field
    def loyalty(self, root: strawberry.Parent[Customer], info: GatewayInfo) -> LoyaltyObject | None:
        return known_field(root, info.context, "loyalty")  # type: ignore[return-value]

    @strawberry.field(
        description="CareCloud agreements, Relay notification consent, Club Med optins."
    )
    def consents(self, root: strawberry.Parent[Customer], info: GatewayInfo) -> list[ConsentObject]:
        return known_field(root, info.context, "consents")  # type: ignore[return-value]

    @strawberry.field
    def capabilities(
        self, root: strawberry.Parent[Customer], info: GatewayInfo
    ) -> list[Capability]:
        adapter = info.context.adapter(root.backend)
        return [c for c in Capability if c in adapter.capabilities]

    @strawberry.field(description="Null where the back end has no travelers.")
    def travelers(
        self, root: strawberry.Parent[Customer], info: GatewayInfo
    ) -> list[TravelerObject] | None:
        return customer_travelers(root, info.context)  # type: ignore[return-value]

    @strawberry.field(description="Null where the back end has no travel documents.")
    def travel_documents(
        self, root: strawberry.Parent[Customer], info: GatewayInfo
    ) -> list[TravelDocumentObject] | None:
        return customer_travel_documents(root, info.context)  # type: ignore[return-value]

    @classmethod
    def is_type_of(cls, obj: object, info: GatewayInfo) -> bool:
        return isinstance(obj, Customer)
