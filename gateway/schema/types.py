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
    IdentityNumber,
    IdentityNumberType,
    Loyalty,
    LoyaltyTier,
    Phone,
    PhoneType,
    TravelDocument,
    TravelDocumentType,
    Traveler,
)
from adapters.relationships import CustomerProperty, Interest
from gateway.auth import CanReadPII
from gateway.context import Context
from gateway.ids import TRAVEL_DOCUMENT, TRAVELER, encode_id
from gateway.schema.catalogue import CUSTOMER_FIELDS, CustomerField
from gateway.schema.enums import described_enum
from gateway.schema.fastpath import Read, bind, implement, selected_names
from gateway.schema.phones import e164, with_backend
from gateway.schema.related_types import CustomerPropertyObject, InterestObject
from gateway.schema.relationships import RELATED_FIELDS

GatewayInfo = Info[Context, None]


# Strawberry may re-wrap a model enum on its own: keep these calls plain so both agree.
BackendEnum = described_enum(
    Backend,
    "The back end that holds a record.",
    {
        Backend.CLUBMED: "Club Med's customer API.",
        Backend.CARECLOUD: "CareCloud CRM's Enterprise REST API.",
        Backend.RELAY: "Relay Network's customer data (CDM) API.",
    },
)
GenderEnum = described_enum(
    Gender,
    "A customer's gender as the back end holds it.",
    {
        Gender.FEMALE: "Club Med F, CareCloud 2 (Female) or 3 (Miss), Relay F.",
        Gender.MALE: "Club Med M, CareCloud 1, Relay M.",
        Gender.OTHER: (
            "CareCloud 5, Relay O or any other letter; Club Med cannot hold it "
            "(BAD_USER_INPUT on write)."
        ),
        Gender.UNKNOWN: (
            "Not said: CareCloud 4 (Private), Relay U, any Club Med value but M or F; "
            "written to Club Med, it clears the gender."
        ),
    },
)
PhoneTypeEnum = described_enum(
    PhoneType,
    "What kind of line a phone number is.",
    {
        PhoneType.MOBILE: "A mobile phone; CareCloud's one phone is always MOBILE.",
        PhoneType.HOME: "A home phone (Relay's landline).",
        PhoneType.WORK: "A work phone; Relay writes it as unknown, which reads back OTHER.",
        PhoneType.OTHER: "Any other kind: Club Med's FAX and unknown types, Relay's unknown.",
    },
)
TravelDocumentTypeEnum = described_enum(
    TravelDocumentType,
    "The kind of a travel document.",
    {
        TravelDocumentType.PASSPORT: "A passport; Club Med holds one per customer.",
        TravelDocumentType.ID_CARD: "An identity card; Club Med holds one per customer.",
        TravelDocumentType.VISA: "A visa; a customer may hold several.",
        TravelDocumentType.OTHER: "A driving licence (Club Med holds one per customer).",
    },
)
LoyaltyTierEnum = described_enum(
    LoyaltyTier,
    "A loyalty tier, the same on every back end; Loyalty.status keeps the back end's own label.",
    {
        LoyaltyTier.NONE: "Not a member: Club Med NONE, Relay none.",
        LoyaltyTier.BASIC: "The entry tier: Club Med TURQUOISE, CareCloud Basic, Relay turquoise.",
        LoyaltyTier.SILVER: "Club Med SILVER, CareCloud Silver, Relay silver.",
        LoyaltyTier.GOLD: "Club Med GOLD, CareCloud Gold, Relay gold.",
        LoyaltyTier.PLATINUM: "Club Med PLATINUM, CareCloud Platinum, Relay platinum.",
        LoyaltyTier.EXCLUDED: "Excluded from the programme: Club Med EXCLUDED, Relay excluded.",
        LoyaltyTier.OTHER: "A label the gateway does not know; Loyalty.status tells which.",
    },
)
IdentityNumberTypeEnum = described_enum(
    IdentityNumberType,
    "What an identity number is: Club Med's identity types.",
    {
        IdentityNumberType.CPF: "Brazil's taxpayer number (Cadastro de Pessoas Físicas).",
        IdentityNumberType.CUIL: "Argentina's labour identification code (CUIL).",
        IdentityNumberType.TAX_NUMBER: "A tax identification number.",
        IdentityNumberType.SECURITY_NUMBER: "A social security number.",
        IdentityNumberType.ID_NUMBER: "An identity card's number.",
        IdentityNumberType.NATIONAL_REGISTER: "A national register number (e.g. Belgium's).",
        IdentityNumberType.OTHER: (
            "A type the gateway does not know; it cannot be written (BAD_USER_INPUT)."
        ),
    },
)
CapabilityEnum = described_enum(
    Capability,
    "Something a back end can do; Customer.capabilities lists those of the record's back end.",
    {
        Capability.SEARCH: "Answers the customers search: Club Med and CareCloud.",
        Capability.READ: "Reads a customer by id: every back end.",
        Capability.CREATE: "Creates customers (createCustomer): every back end.",
        Capability.UPDATE: "Updates customers (updateCustomer): Club Med and CareCloud.",
        Capability.TRAVELERS: "Holds travelers (travelers, addTraveler): Club Med.",
        Capability.TRAVEL_DOCUMENTS: (
            "Holds travel documents (travelDocuments, updateTravelDocuments): Club Med."
        ),
        Capability.LOYALTY: "Holds loyalty (Customer.loyalty): every back end.",
        Capability.RELATIONSHIPS: (
            "Holds the customer's related records (purchases, points, property and interest "
            "records): CareCloud."
        ),
        Capability.CREDENTIALS: (
            "Verifies a customer's own credentials (password, social network, auth token): "
            "CareCloud."
        ),
    },
)


class Node(Protocol):
    """A model object a client can refetch by its global id (Customer, Traveler, TravelDocument,
    CustomerProperty, Interest)."""

    @property
    def backend(self) -> Backend: ...

    @property
    def native_id(self) -> str: ...


@strawberry.interface(name="Node", description="An object a client can refetch by its global id.")
class NodeInterface:
    id: strawberry.ID = strawberry.field(
        description="The global id: opaque and stable; node and nodes take it back."
    )


def _e164(root: strawberry.Parent[Phone]) -> str | None:
    return e164(root)


@strawberry.type(name="Phone", description="A customer's phone number.")
class PhoneObject:
    number: str = strawberry.field(
        description=(
            "As the back end stores it: Club Med the national form (0623456789), CareCloud "
            "international digits without + (33623456789), Relay digits."
        )
    )
    type: PhoneType | None = strawberry.field(description="Null where the back end gave no type.")
    e164: str | None = strawberry.field(
        resolver=_e164,
        description=(
            "The number in E.164 (+33623456789), read as its record's back end writes "
            "numbers; null when it is not a possible number."
        ),
    )


@strawberry.type(
    name="Address",
    description="A postal address. A part the back end does not hold is null.",
)
class AddressObject:
    line1: str | None = strawberry.field(
        description="The street: Club Med's number and street, CareCloud's and Relay's address1."
    )
    line2: str | None = strawberry.field(
        description="Club Med's add_on, CareCloud's and Relay's address2."
    )
    line3: str | None = strawberry.field(
        description="Club Med's additional_information_1, CareCloud's address3; null on Relay."
    )
    city: str | None = strawberry.field(description="The city or town.")
    postal_code: str | None = strawberry.field(description="The postal or zip code.")
    region: str | None = strawberry.field(
        description="State, province or district: Club Med and Relay; null on CareCloud."
    )
    country_code: str | None = strawberry.field(
        description=(
            "ISO 3166-1 alpha-2, upper case (FR). A Relay alpha-3 code the gateway does not "
            "know is passed as written."
        )
    )


@strawberry.type(
    name="Loyalty",
    description="The customer's loyalty programme standing. A part the back end lacks is null.",
)
class LoyaltyObject:
    status: str | None = strawberry.field(
        description=(
            "The current tier as the back end itself labels it, passed through unchanged: "
            "Club Med's status (GOLD), CareCloud's current status name (Gold), Relay's "
            "membership_level (gold). The normalised value is `tier`."
        )
    )
    tier: LoyaltyTier | None = strawberry.field(
        description=(
            "The current tier, normalised across back ends from `status` (case-insensitive; "
            "a label the gateway does not know is OTHER); null where `status` is null."
        )
    )
    previous_status: str | None = strawberry.field(
        description="The tier before the current one: Club Med and CareCloud; null on Relay."
    )
    points: int | None = strawberry.field(
        description=(
            "The points balance: Club Med, CareCloud (active points, summed and rounded "
            "down); null on Relay."
        )
    )
    platinum_for_life: bool | None = strawberry.field(
        description="Club Med's platinum-for-life flag; null elsewhere."
    )
    member_since: str | None = strawberry.field(
        description=(
            "When the customer joined, as text: CareCloud a date YYYY-MM-DD (the earliest "
            "card), Relay as written (1999); null on Club Med."
        )
    )
    renewal_date: date | None = strawberry.field(
        description="When the tier is due for renewal: CareCloud and Relay; null on Club Med."
    )


@strawberry.type(name="Consent", description="A consent the customer gave or withdrew, read-only.")
class ConsentObject:
    channel: str = strawberry.field(
        description="How the customer is reached: Club Med EMAIL or MAIL, Relay SMS, CareCloud ANY."
    )
    purpose: str = strawberry.field(
        description=(
            "What for: MARKETING (Club Med, CareCloud), PROFILING or GTC (CareCloud), "
            "MESSAGING (Relay), or a CareCloud consent id."
        )
    )
    granted: bool = strawberry.field(
        description=(
            "True when given, false when withdrawn (Relay: a stop); a consent never set is "
            "not listed."
        )
    )


@strawberry.type(
    name="IdentityNumber",
    description=(
        "A national identity number (Club Med's identity): personal data, like a travel "
        "document's number."
    ),
)
class IdentityNumberObject:
    number: str | None = strawberry.field(
        description="As the back end holds it. Needs pii:read.", permission_classes=[CanReadPII]
    )
    type: IdentityNumberType | None = strawberry.field(
        description="What the number is; OTHER for a type the gateway does not know."
    )


def traveler_id(root: Traveler, context: Context | None = None) -> strawberry.ID:
    return strawberry.ID(encode_id(TRAVELER, root.backend, root.customer_native_id, root.native_id))


def travel_document_id(root: TravelDocument, context: Context | None = None) -> strawberry.ID:
    global_id = encode_id(TRAVEL_DOCUMENT, root.backend, root.customer_native_id, root.native_id)
    return strawberry.ID(global_id)


def traveler_phones(root: Traveler, context: Context | None = None) -> list[Phone]:
    """The traveler's phones, each with its back end (which Phone.e164 reads)."""
    return with_backend(root.phones, root.backend)


def _traveler_id(root: strawberry.Parent[Traveler]) -> strawberry.ID:
    return traveler_id(root)


def _traveler_phones(root: strawberry.Parent[Traveler]) -> list[Phone]:
    return traveler_phones(root)


def _travel_document_id(root: strawberry.Parent[TravelDocument]) -> strawberry.ID:
    return travel_document_id(root)


@strawberry.type(
    name="Traveler",
    description="Someone who travels with a customer; Club Med only (TRAVELERS).",
)
class TravelerObject(NodeInterface):
    id: strawberry.ID = strawberry.field(
        resolver=_traveler_id, description="The global id: opaque and stable."
    )
    native_id: str = strawberry.field(description="Club Med's id of the traveler.")
    first_name: str | None = strawberry.field(description="The first name; null if none.")
    last_name: str | None = strawberry.field(description="The last name; null if none.")
    birthdate: date | None = strawberry.field(
        description="Needs pii:read.", permission_classes=[CanReadPII]
    )
    email: str | None = strawberry.field(description="The email address; null if none.")
    phones: list[Phone] = strawberry.field(
        resolver=_traveler_phones,
        description="The phone numbers as Club Med stores them; empty when none.",
    )
    civility: str | None = strawberry.field(
        description="The form of address as Club Med codes it (MR, MRS); null if none."
    )
    address: Address | None = strawberry.field(
        description="The postal address, read as Customer.addresses are; null if none."
    )
    identity: IdentityNumber | None = strawberry.field(
        description="The identity number (Club Med's identity); null if none."
    )


@strawberry.type(
    name="TravelDocument",
    description=(
        "A customer's passport, id card, visa or licence; Club Med only (TRAVEL_DOCUMENTS)."
    ),
)
class TravelDocumentObject(NodeInterface):
    id: strawberry.ID = strawberry.field(
        resolver=_travel_document_id,
        description="The global id: opaque; a visa's changes when an earlier visa is removed.",
    )
    native_id: str = strawberry.field(
        description=(
            "Club Med's key: passport, id_card, driving_licence, or visa-1, visa-2... by "
            "position (renumbered when a visa is removed)."
        )
    )
    type: TravelDocumentType = strawberry.field(description="The kind of document.")
    number: str | None = strawberry.field(
        description="Needs pii:read.", permission_classes=[CanReadPII]
    )
    expiration_date: date | None = strawberry.field(
        description="The day it expires; null when Club Med has none."
    )
    issuing_country: str | None = strawberry.field(
        description="The issuing country's code as Club Med holds it, upper case."
    )
    nationality: str | None = strawberry.field(
        description=(
            "The holder's nationality the document states, ISO 3166-1 alpha-2 upper case "
            "(Club Med's nationality); null when none is held."
        )
    )


def _strawberry_field(field: CustomerField) -> object:
    """The Strawberry field of a catalogue entry: its reader behind Strawberry's layer."""
    read = field.read
    selecting = field.selecting

    def resolve(root: strawberry.Parent[Customer], info: GatewayInfo) -> object:
        if selecting is not None:
            return selecting(root, info.context, frozenset(selected_names(info)))
        return read(root, info.context)

    return strawberry.field(
        resolver=resolve,
        name=field.graphql_name,
        graphql_type=field.graphql_type,
        description=field.graphql_description,
        permission_classes=[field.permission] if field.permission else [],
    )


CustomerObject = strawberry.type(
    name="Customer",
    description=(
        "One customer record as one back end holds it. A field the back end does not hold is "
        "null (or an empty list)."
    ),
)(
    type(
        "CustomerObject",
        (NodeInterface,),
        {
            **{field.name: _strawberry_field(field) for field in CUSTOMER_FIELDS},
            **RELATED_FIELDS,  # the related records (relationships.py), after the catalogue's
        },
    )
)

# The fields the fast path resolves without Strawberry's layer (by type, then GraphQL name),
# with the reader their Strawberry resolver calls too: all but those behind a permission and
# those that read their own selection.
PLAIN_READERS: Final[Mapping[str, Mapping[str, Read]]] = {
    "Customer": {
        f.graphql_name: f.read
        for f in CUSTOMER_FIELDS
        if f.permission is None and f.selecting is None
    },
    "Phone": {"e164": e164},
    "Traveler": {"id": traveler_id, "phones": traveler_phones},
    "TravelDocument": {"id": travel_document_id},
}

# The interface last: its types have found it among their bases by now.
for _model, _object_type in (
    (Phone, PhoneObject),
    (Address, AddressObject),
    (Loyalty, LoyaltyObject),
    (Consent, ConsentObject),
    (IdentityNumber, IdentityNumberObject),
    (Traveler, TravelerObject),
    (TravelDocument, TravelDocumentObject),
    (Customer, CustomerObject),
    (Node, NodeInterface),
):
    bind(_model, _object_type)
# Property and interest records are Nodes too; their types were bound (related_types.py, which
# this module's imports load first) before Node was: given it now, then bound again so that
# each recognises its objects by their model class.
for _record, _record_type in (
    (CustomerProperty, CustomerPropertyObject),
    (Interest, InterestObject),
):
    implement(_record_type, NodeInterface)
    bind(_record, _record_type)
