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
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    birthdate: date | None = strawberry.field(
        default=None, description="Needs the pii:read scope: filtering on it reads it."
    )
    membership_number: str | None = None

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


@strawberry.input
class PhoneInput:
    number: str
    type: PhoneType | None = None

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
    line1: strawberry.Maybe[str | None]
    line2: strawberry.Maybe[str | None]
    line3: strawberry.Maybe[str | None]
    city: strawberry.Maybe[str | None]
    postal_code: strawberry.Maybe[str | None]
    region: strawberry.Maybe[str | None]
    country_code: strawberry.Maybe[str | None]

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


@strawberry.input
class CreateCustomerInput:
    backend: Backend
    native_id: str | None = strawberry.field(
        default=None,
        description="Required where the caller owns the id (Relay's ccid), refused elsewhere.",
    )
    first_name: str
    last_name: str
    email: str | None = None
    birthdate: date | None = None
    gender: Gender | None = None
    phones: list[PhoneInput] | None = None
    address: AddressInput | None = None
    locale: str | None = None

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
        )


@strawberry.input(
    description=(
        "Patch: a field left out stays as it is; null clears it (also inside `address`). "
        "firstName and lastName can change but not be cleared."
    )
)
class UpdateCustomerInput:
    id: strawberry.ID
    first_name: strawberry.Maybe[str | None]
    middle_name: strawberry.Maybe[str | None]
    last_name: strawberry.Maybe[str | None]
    email: strawberry.Maybe[str | None]
    birthdate: strawberry.Maybe[date | None]
    gender: strawberry.Maybe[Gender | None]
    phones: strawberry.Maybe[list[PhoneInput] | None]
    address: strawberry.Maybe[AddressInput | None]
    locale: strawberry.Maybe[str | None]

    def to_model(self) -> CustomerPatch:
        phones = patch_value(self.phones)
        address = patch_value(self.address)
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
        )


def _name_patch(sent: strawberry.Maybe[str | None], field: str) -> str | Keep:
    """A first or last name may change, never be cleared: one rule on every back end."""
    if sent is None:
        return KEEP
    name = _clean(sent.value)
    if name is None:
        raise BadUserInput(f"{field} cannot be cleared", field=field)
    return name


@strawberry.input
class AddTravelerInput:
    customer_id: strawberry.ID
    first_name: str
    last_name: str
    birthdate: date | None = None

    def to_model(self) -> TravelerDraft:
        first, last = _clean(self.first_name), _clean(self.last_name)
        if first is None or last is None:
            raise BadUserInput("firstName and lastName cannot be blank", field="firstName")
        return TravelerDraft(first, last, self.birthdate)


@strawberry.input(description="A document to update (id set) or add (id left out). Patch fields.")
class TravelDocumentInput:
    id: strawberry.ID | None = None
    type: strawberry.Maybe[TravelDocumentType | None]
    number: strawberry.Maybe[str | None]
    expiration_date: strawberry.Maybe[date | None]
    issuing_country: strawberry.Maybe[str | None]

    def to_model(self, native_id: str | None) -> TravelDocumentPatch:
        if native_id is None and self.type is None:
            raise BadUserInput("a new document needs its type", field="type")
        return TravelDocumentPatch(
            native_id=native_id,
            type=patch_value(self.type),
            number=patch_value(self.number),
            expiration_date=patch_value(self.expiration_date),
            issuing_country=patch_value(self.issuing_country),
        )


@strawberry.input
class UpdateTravelDocumentsInput:
    customer_id: strawberry.ID
    documents: list[TravelDocumentInput]
