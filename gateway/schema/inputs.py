"""GraphQL inputs and their translation into the model (patch fields via strawberry.Maybe)."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

import strawberry

from adapters.model import (
    KEEP,
    Address,
    AddressPatch,
    Backend,
    CustomerDraft,
    CustomerFilter,
    CustomerPatch,
    Gender,
    IdentityNumber,
    IdentityNumberType,
    Keep,
    Phone,
    PhoneType,
    TravelDocumentPatch,
    TravelDocumentType,
    TravelerDraft,
)
from gateway.errors import BadUserInput
from gateway.ids import check_native_id

T = TypeVar("T")


def patch_value(value: strawberry.Maybe[Any]) -> Any:
    """Left out -> KEEP; null -> None (clear); a value -> the value.

    Typed Any: Some[...] is invariant, and mypy infers T from the Patch[...] field the result
    goes to rather than from the argument; the model's Patch fields keep the types checked.
    """
    return KEEP if value is None else value.value


def _clean(value: str | None) -> str | None:
    """Trimmed text; blank counts as absent."""
    if value is None:
        return None
    value = value.strip()
    return value or None


@strawberry.input(
    name="CustomerFilter", description="Search criteria, ANDed. At least one is required."
)
class CustomerFilterInput:
    first_name: str | None = strawberry.field(default=None, description="The first name.")
    last_name: str | None = strawberry.field(default=None, description="The last name.")
    email: str | None = strawberry.field(default=None, description="The email address.")
    phone: str | None = strawberry.field(
        default=None,
        description=(
            "Compared as each back end stores numbers: Club Med the national form "
            "(0623456789), CareCloud international digits without + (33623456789)."
        ),
    )
    birthdate: date | None = strawberry.field(
        default=None, description="Needs the pii:read scope: filtering on it reads it."
    )
    membership_number: str | None = strawberry.field(
        default=None,
        description=(
            "Club Med's gm_number; CareCloud's card number, searched only with firstName, "
            "lastName and birthdate too (else CareCloud is left out)."
        ),
    )

    def to_model(self) -> CustomerFilter:
        filter = CustomerFilter(
            first_name=_clean(self.first_name),
            last_name=_clean(self.last_name),
            email=_clean(self.email),
            phone=_clean(self.phone),
            birthdate=self.birthdate,
            membership_number=_clean(self.membership_number),
        )
        if not filter.criteria():
            raise BadUserInput("the filter needs at least one criterion", argument="filter")
        return filter


@strawberry.input(description="A phone number to write.")
class PhoneInput:
    number: str = strawberry.field(
        description=(
            "Not blank. Club Med keeps digits, + and spaces; CareCloud international digits "
            "(+ and a leading 00 dropped); Relay digits only."
        )
    )
    type: PhoneType | None = strawberry.field(
        default=None,
        description=(
            "Null: no type (Club Med writes OTHER). CareCloud takes only MOBILE or null; Relay "
            "writes WORK and OTHER as unknown."
        ),
    )

    def to_model(self) -> Phone:
        number = self.number.strip()
        if not number:
            raise BadUserInput("a phone number cannot be blank", field="phones")
        return Phone(number, self.type)


# AddressInput's fields, which are the model Address's and AddressPatch's.
_ADDRESS_KEYS = ("line1", "line2", "line3", "city", "postal_code", "region", "country_code")


@strawberry.input(
    description=(
        "In createCustomer, the address. In updateCustomer, a patch of it: a key left out "
        "stays as it is; null (or blank) clears it."
    )
)
class AddressInput:
    line1: strawberry.Maybe[str | None] = strawberry.field(
        description="The street (Club Med keeps it whole, clearing its separate number)."
    )
    line2: strawberry.Maybe[str | None] = strawberry.field(description="The second line.")
    line3: strawberry.Maybe[str | None] = strawberry.field(
        description="The third line; Relay cannot hold it (BAD_USER_INPUT)."
    )
    city: strawberry.Maybe[str | None] = strawberry.field(description="The city or town.")
    postal_code: strawberry.Maybe[str | None] = strawberry.field(
        description="The postal or zip code."
    )
    region: strawberry.Maybe[str | None] = strawberry.field(
        description="State, province or district; CareCloud cannot hold it (BAD_USER_INPUT)."
    )
    country_code: strawberry.Maybe[str | None] = strawberry.field(
        description="ISO 3166-1 alpha-2, any case (stored upper case); else BAD_USER_INPUT."
    )

    def _named(self) -> dict[str, str | None]:
        """The keys sent (null or blank as None), the country checked and upper case."""
        named: dict[str, str | None] = {}
        for name in _ADDRESS_KEYS:
            sent: strawberry.Maybe[str | None] = getattr(self, name)
            if sent is not None:
                named[name] = _clean(sent.value)
        country = named.get("country_code")
        if country is not None:
            if len(country) != 2 or not country.isalpha():
                raise BadUserInput(
                    "countryCode must be ISO 3166-1 alpha-2", field="address.countryCode"
                )
            named["country_code"] = country.upper()
        return named

    def to_model(self) -> Address:
        """createCustomer's address: a key left out is none."""
        return Address(**self._named())

    def to_patch(self) -> AddressPatch:
        """updateCustomer's address: only the keys sent change."""
        return AddressPatch(**self._named())


@strawberry.input(
    description=(
        "An identity number to write, replacing the one held. Club Med only: CareCloud and "
        "Relay cannot hold one (BAD_USER_INPUT, field identity)."
    )
)
class IdentityNumberInput:
    number: str = strawberry.field(description="The number as written (529.982.247-25); not blank.")
    type: IdentityNumberType = strawberry.field(
        description="What the number is; OTHER cannot be written (BAD_USER_INPUT)."
    )

    def to_model(self) -> IdentityNumber:
        number = self.number.strip()
        if not number:
            raise BadUserInput("an identity number cannot be blank", field="identity.number")
        return IdentityNumber(number, self.type)


@strawberry.input(
    description=(
        "A new customer. What the chosen back end cannot hold is BAD_USER_INPUT, never dropped."
    )
)
class CreateCustomerInput:
    backend: Backend = strawberry.field(
        description="Where to create it; every back end can (CREATE)."
    )
    native_id: str | None = strawberry.field(
        default=None,
        description="Required where the caller owns the id (Relay's ccid), refused elsewhere.",
    )
    first_name: str = strawberry.field(description="The first name; not blank.")
    last_name: str = strawberry.field(description="The last name; not blank.")
    email: str | None = strawberry.field(
        default=None,
        description=(
            "Club Med and CareCloud (which stores it lower case); one another customer has is "
            "CONFLICT. Relay cannot hold it."
        ),
    )
    birthdate: date | None = strawberry.field(
        default=None, description="The date of birth, YYYY-MM-DD; null or left out: none."
    )
    gender: Gender | None = strawberry.field(
        default=None, description="Null or left out: none. Club Med cannot hold OTHER."
    )
    phones: list[PhoneInput] | None = strawberry.field(
        default=None,
        description="The phone numbers. CareCloud holds one phone, of type MOBILE or none.",
    )
    address: AddressInput | None = strawberry.field(
        default=None,
        description="The postal address; a key left out is none. Null or left out: no address.",
    )
    locale: str | None = strawberry.field(
        default=None,
        description=(
            "BCP 47 (fr-FR). CareCloud holds a language only (fr); Relay cannot hold a locale."
        ),
    )
    civility: str | None = strawberry.field(
        default=None,
        description=(
            "The form of address as Club Med codes it (MR, MRS), at most 10 characters; "
            "CareCloud and Relay cannot hold it (BAD_USER_INPUT)."
        ),
    )
    customer_source: str | None = strawberry.field(
        default=None,
        description=(
            "CareCloud: the id of the source the account comes from (an app, a shop); left out, "
            "the gateway's configured source. Club Med and Relay cannot hold it (BAD_USER_INPUT)."
        ),
    )
    force_address: bool | None = strawberry.field(
        default=None,
        description=(
            "Club Med: true skips its address validation for this create, false applies it; "
            "left out or null, the gateway's configured choice. CareCloud and Relay refuse true "
            "(BAD_USER_INPUT)."
        ),
    )
    identity: IdentityNumberInput | None = strawberry.field(
        default=None,
        description=(
            "The identity number; null or left out: none. Club Med only: CareCloud and Relay "
            "cannot hold it (BAD_USER_INPUT)."
        ),
    )

    def to_model(self) -> CustomerDraft:
        first, last = _clean(self.first_name), _clean(self.last_name)
        if first is None or last is None:
            raise BadUserInput("firstName and lastName cannot be blank", field="firstName")
        native_id = _clean(self.native_id)
        if native_id is not None:
            check_native_id(native_id, field="nativeId")
        return CustomerDraft(
            first_name=first,
            last_name=last,
            native_id=native_id,
            email=_clean(self.email),
            birthdate=self.birthdate,
            gender=self.gender,
            phones=tuple(p.to_model() for p in self.phones or ()),
            address=self.address.to_model() if self.address else None,
            locale=_clean(self.locale),
            civility=_clean(self.civility),
            customer_source=_clean(self.customer_source),
            force_address=self.force_address,
            identity=self.identity.to_model() if self.identity else None,
        )


@strawberry.input(
    description=(
        "Patch: a field left out stays as it is; null clears it (also inside `address`). "
        "firstName and lastName can change but not be cleared."
    )
)
class UpdateCustomerInput:
    id: strawberry.ID = strawberry.field(description="The customer's global id (Customer.id).")
    first_name: strawberry.Maybe[str | None] = strawberry.field(
        description="The first name: it can change, not be cleared."
    )
    middle_name: strawberry.Maybe[str | None] = strawberry.field(
        description="The middle name. CareCloud has none: setting one there is BAD_USER_INPUT."
    )
    last_name: strawberry.Maybe[str | None] = strawberry.field(
        description="The last name: it can change, not be cleared."
    )
    email: strawberry.Maybe[str | None] = strawberry.field(
        description="The email address; one another customer has is CONFLICT."
    )
    birthdate: strawberry.Maybe[date | None] = strawberry.field(
        description="The date of birth, YYYY-MM-DD."
    )
    gender: strawberry.Maybe[Gender | None] = strawberry.field(
        description="The gender. Club Med cannot hold OTHER; UNKNOWN clears it there."
    )
    phones: strawberry.Maybe[list[PhoneInput] | None] = strawberry.field(
        description=(
            "The phone numbers: replaces the whole list. CareCloud holds one phone, of type "
            "MOBILE or none."
        )
    )
    address: strawberry.Maybe[AddressInput | None] = strawberry.field(
        description="A patch of the address: only the keys sent change; null clears it."
    )
    locale: strawberry.Maybe[str | None] = strawberry.field(
        description=("BCP 47 (fr-FR). CareCloud holds a language only (fr) and cannot clear it.")
    )
    third_name: strawberry.Maybe[str | None] = strawberry.field(
        description="Club Med's third name; CareCloud has none: setting one is BAD_USER_INPUT."
    )
    civility: strawberry.Maybe[str | None] = strawberry.field(
        description=(
            "The form of address as Club Med codes it (MR, MRS); CareCloud cannot hold it "
            "(BAD_USER_INPUT)."
        )
    )
    identity: strawberry.Maybe[IdentityNumberInput | None] = strawberry.field(
        description=(
            "The identity number, replaced whole; null clears it, left out keeps it. CareCloud "
            "cannot hold one (BAD_USER_INPUT)."
        )
    )

    def to_model(self) -> CustomerPatch:
        phones = patch_value(self.phones)
        address = patch_value(self.address)
        identity = patch_value(self.identity)
        return CustomerPatch(
            first_name=_name_patch(self.first_name, "firstName"),
            middle_name=patch_value(self.middle_name),
            last_name=_name_patch(self.last_name, "lastName"),
            email=patch_value(self.email),
            birthdate=patch_value(self.birthdate),
            gender=patch_value(self.gender),
            phones=tuple(p.to_model() for p in phones) if isinstance(phones, list) else phones,
            address=address.to_patch() if isinstance(address, AddressInput) else address,
            locale=patch_value(self.locale),
            third_name=patch_value(self.third_name),
            civility=patch_value(self.civility),
            identity=identity.to_model() if isinstance(identity, IdentityNumberInput) else identity,
        )


def _name_patch(sent: strawberry.Maybe[str | None], field: str) -> str | Keep:
    """A first or last name may change, never be cleared: one rule on every back end."""
    if sent is None:
        return KEEP
    name = _clean(sent.value)
    if name is None:
        raise BadUserInput(f"{field} cannot be cleared", field=field)
    return name


@strawberry.input(description="A traveler to add to a customer (Club Med).")
class AddTravelerInput:
    customer_id: strawberry.ID = strawberry.field(
        description="The customer's global id (Customer.id)."
    )
    first_name: str = strawberry.field(description="The first name; not blank.")
    last_name: str = strawberry.field(description="The last name; not blank.")
    birthdate: date | None = strawberry.field(
        default=None, description="The date of birth, YYYY-MM-DD; null or left out: none."
    )
    email: str | None = strawberry.field(
        default=None, description="The email address; null or left out: none."
    )
    phones: list[PhoneInput] | None = strawberry.field(
        default=None, description="The phone numbers (Club Med keeps digits, + and spaces)."
    )
    civility: str | None = strawberry.field(
        default=None,
        description="The form of address as Club Med codes it (MR, MRS), at most 10 characters.",
    )
    address: AddressInput | None = strawberry.field(
        default=None,
        description=(
            "The postal address; a key left out is none. Club Med validates it as a profile's: "
            "a country code, a city and a postal code, else BAD_USER_INPUT (field address)."
        ),
    )
    identity: IdentityNumberInput | None = strawberry.field(
        default=None, description="The identity number; null or left out: none."
    )

    def to_model(self) -> TravelerDraft:
        first, last = _clean(self.first_name), _clean(self.last_name)
        if first is None or last is None:
            raise BadUserInput("firstName and lastName cannot be blank", field="firstName")
        return TravelerDraft(
            first,
            last,
            self.birthdate,
            email=_clean(self.email),
            phones=tuple(p.to_model() for p in self.phones or ()),
            address=self.address.to_model() if self.address else None,
            civility=_clean(self.civility),
            identity=self.identity.to_model() if self.identity else None,
        )


@strawberry.input(description="A document to update (id set) or add (id left out). Patch fields.")
class TravelDocumentInput:
    id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A TravelDocument global id of this customer; left out for a new document.",
    )
    type: strawberry.Maybe[TravelDocumentType | None] = strawberry.field(
        description="Required for a new document."
    )
    number: strawberry.Maybe[str | None] = strawberry.field(description="The document number.")
    expiration_date: strawberry.Maybe[date | None] = strawberry.field(
        description="The day it expires, YYYY-MM-DD."
    )
    issuing_country: strawberry.Maybe[str | None] = strawberry.field(
        description="A country code, ISO 3166-1 alpha-2; written upper case."
    )
    nationality: strawberry.Maybe[str | None] = strawberry.field(
        description=(
            "The holder's nationality, ISO 3166-1 alpha-2; written upper case; null clears it, "
            "left out keeps it."
        )
    )

    def to_model(self, native_id: str | None) -> TravelDocumentPatch:
        if native_id is None and self.type is None:
            raise BadUserInput("a new document needs its type", field="type")
        return TravelDocumentPatch(
            native_id=native_id,
            type=patch_value(self.type),
            number=patch_value(self.number),
            expiration_date=patch_value(self.expiration_date),
            issuing_country=patch_value(self.issuing_country),
            nationality=patch_value(self.nationality),
        )


@strawberry.input(description="Documents to update or add for one customer (Club Med).")
class UpdateTravelDocumentsInput:
    customer_id: strawberry.ID = strawberry.field(
        description="The customer's global id (Customer.id)."
    )
    documents: list[TravelDocumentInput] = strawberry.field(
        description="At least one; each updates (id set) or adds (id left out) one document."
    )
