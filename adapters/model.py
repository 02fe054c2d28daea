"""The back-end-neutral customer model.

Frozen dataclasses that every adapter maps its back end's JSON onto, and that the gateway
serves. Nothing here knows a back end's field names or does I/O. Personal fields carry
`repr=False`, so a stray log line or traceback never prints them.

Patch semantics are a type: a field of a `*Patch` holds `KEEP` (left out: unchanged),
`None` (clear it) or a value (set it).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Final, Generic, TypeAlias, TypeVar

T = TypeVar("T")


class Backend(enum.StrEnum):
    """Where a record lives."""

    CLUBMED = "clubmed"
    CARECLOUD = "carecloud"
    RELAY = "relay"


class Gender(enum.Enum):
    FEMALE = "FEMALE"
    MALE = "MALE"
    OTHER = "OTHER"
    UNKNOWN = "UNKNOWN"


class PhoneType(enum.Enum):
    MOBILE = "MOBILE"
    HOME = "HOME"
    WORK = "WORK"
    OTHER = "OTHER"


class TravelDocumentType(enum.Enum):
    PASSPORT = "PASSPORT"
    ID_CARD = "ID_CARD"
    VISA = "VISA"
    OTHER = "OTHER"


class IdentityNumberType(enum.Enum):
    """What a national identity number is; each back end's mapping module maps its labels."""

    CPF = "CPF"  # Brazil's taxpayer number
    CUIL = "CUIL"  # Argentina's labour identification code
    TAX_NUMBER = "TAX_NUMBER"
    SECURITY_NUMBER = "SECURITY_NUMBER"  # a social security number
    ID_NUMBER = "ID_NUMBER"  # an identity card's number
    NATIONAL_REGISTER = "NATIONAL_REGISTER"  # e.g. Belgium's national register number
    OTHER = "OTHER"


class LoyaltyTier(enum.Enum):
    """A loyalty tier across back ends; each back end's mapping module maps its own labels."""

    NONE = "NONE"
    BASIC = "BASIC"
    SILVER = "SILVER"
    GOLD = "GOLD"
    PLATINUM = "PLATINUM"
    EXCLUDED = "EXCLUDED"
    OTHER = "OTHER"


class Keep:
    """The "left out, keep what is there" marker of a patch (as httpx's UseClientDefault)."""

    _instance: Keep | None = None

    def __new__(cls) -> Keep:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "KEEP"

    def __bool__(self) -> bool:
        return False


KEEP: Final = Keep()

# A patch field: KEEP (unchanged), None (clear) or a value (set).
Patch: TypeAlias = T | None | Keep


def sent(patch: object, names: Iterable[str]) -> dict[str, object]:
    """The fields of `patch` among `names` that are not KEEP: what the caller sent."""
    return {name: value for name in names if not isinstance(value := getattr(patch, name), Keep)}


@dataclass(frozen=True, slots=True)
class Phone:
    number: str = field(repr=False)
    type: PhoneType | None = None


@dataclass(frozen=True, slots=True)
class Address:
    line1: str | None = field(default=None, repr=False)
    line2: str | None = field(default=None, repr=False)
    line3: str | None = field(default=None, repr=False)
    city: str | None = field(default=None, repr=False)
    postal_code: str | None = field(default=None, repr=False)
    region: str | None = None
    country_code: str | None = None  # ISO 3166-1 alpha-2, upper case


@dataclass(frozen=True, slots=True)
class AddressPatch:
    """A change to an address, key by key: KEEP leaves a key as it is, None clears it."""

    line1: Patch[str] = field(default=KEEP, repr=False)
    line2: Patch[str] = field(default=KEEP, repr=False)
    line3: Patch[str] = field(default=KEEP, repr=False)
    city: Patch[str] = field(default=KEEP, repr=False)
    postal_code: Patch[str] = field(default=KEEP, repr=False)
    region: Patch[str] = KEEP
    country_code: Patch[str] = KEEP  # ISO 3166-1 alpha-2, upper case

    def changes(self) -> dict[str, object]:
        """The keys the caller sent, with their new values (None = clear)."""
        return sent(self, self.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class IdentityNumber:
    """A national identity number: personal like a travel document's number."""

    number: str = field(repr=False)
    type: IdentityNumberType | None = None


@dataclass(frozen=True, slots=True)
class Loyalty:
    status: str | None = None
    previous_status: str | None = None
    points: int | None = None
    platinum_for_life: bool | None = None
    member_since: str | None = None
    renewal_date: date | None = None
    # `status` normalised; None where the back end names no current status.
    tier: LoyaltyTier | None = None


@dataclass(frozen=True, slots=True)
class Consent:
    channel: str  # e.g. EMAIL, SMS, MAIL
    purpose: str  # e.g. MARKETING, PROFILING, GTC, or a back end's own consent id
    granted: bool


@dataclass(frozen=True, slots=True)
class Customer:
    """One customer record as one back end holds it.

    `known_fields` names the model fields this instance really carries: a search result
    often holds fewer fields than a full read, and the gateway fetches the full record only
    when a query asks for a field that is not known.
    """

    backend: Backend
    native_id: str
    known_fields: frozenset[str]
    membership_number: str | None = None
    first_name: str | None = field(default=None, repr=False)
    middle_name: str | None = field(default=None, repr=False)
    last_name: str | None = field(default=None, repr=False)
    birthdate: date | None = field(default=None, repr=False)
    birth_city: str | None = field(default=None, repr=False)
    gender: Gender | None = None
    email: str | None = field(default=None, repr=False)
    phones: tuple[Phone, ...] = ()
    addresses: tuple[Address, ...] = ()
    locale: str | None = None
    loyalty: Loyalty | None = None
    consents: tuple[Consent, ...] = ()
    third_name: str | None = field(default=None, repr=False)
    civility: str | None = None  # the back end's form of address code, e.g. Club Med's MR
    identity: IdentityNumber | None = field(default=None, repr=False)
    # Back-end values the model has no field for, kept so they survive a read-merge-write.
    extra: Mapping[str, object] = field(default_factory=dict, repr=False, compare=False)


# Every model field a Customer can carry: all but its key and bookkeeping. Adapters build
# `known_fields` from it; the gateway's field catalogue serves each of them.
CUSTOMER_FIELDS: Final = frozenset(f.name for f in fields(Customer)) - {
    "backend",
    "native_id",
    "known_fields",
    "extra",
}


@dataclass(frozen=True, slots=True)
class Traveler:
    backend: Backend
    native_id: str
    customer_native_id: str
    first_name: str | None = field(default=None, repr=False)
    last_name: str | None = field(default=None, repr=False)
    birthdate: date | None = field(default=None, repr=False)
    email: str | None = field(default=None, repr=False)
    phones: tuple[Phone, ...] = ()
    address: Address | None = None
    civility: str | None = None
    identity: IdentityNumber | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class TravelDocument:
    backend: Backend
    native_id: str
    customer_native_id: str
    type: TravelDocumentType
    number: str | None = field(default=None, repr=False)
    expiration_date: date | None = field(default=None, repr=False)
    issuing_country: str | None = None
    nationality: str | None = None  # the holder's, ISO 3166-1 alpha-2, upper case


@dataclass(frozen=True, slots=True)
class CustomerFilter:
    """Search criteria, ANDed. Empty strings are treated as absent by `criteria`."""

    first_name: str | None = field(default=None, repr=False)
    last_name: str | None = field(default=None, repr=False)
    email: str | None = field(default=None, repr=False)
    phone: str | None = field(default=None, repr=False)
    birthdate: date | None = field(default=None, repr=False)
    membership_number: str | None = field(default=None, repr=False)

    def criteria(self) -> frozenset[str]:
        """The names of the criteria that are set."""
        return frozenset(
            name
            for name in (
                "first_name",
                "last_name",
                "email",
                "phone",
                "birthdate",
                "membership_number",
            )
            if getattr(self, name) not in (None, "")
        )


@dataclass(frozen=True, slots=True)
class PageRequest:
    """A window of a back end's result list: skip `offset`, return at most `limit`."""

    offset: int = 0
    limit: int = 20


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    offset: int
    # All matches across pages, when the back end tells; None when it does not.
    total: int | None
    has_more: bool
    # How closely each item matched, from 0 to 1, in the items' order, where the back end
    # scores its matches; empty where it does not.
    scores: tuple[float | None, ...] = ()

    def __post_init__(self) -> None:
        if self.scores and len(self.scores) != len(self.items):
            raise ValueError("a page scores all of its items or none")

    def score(self, index: int) -> float | None:
        """The match score of the item at `index`, or None where there is none."""
        return self.scores[index] if self.scores else None


@dataclass(frozen=True, slots=True)
class CustomerDraft:
    """A customer to create. `native_id` only where the caller owns the id (Relay's ccid)."""

    first_name: str = field(repr=False)
    last_name: str = field(repr=False)
    native_id: str | None = None
    email: str | None = field(default=None, repr=False)
    birthdate: date | None = field(default=None, repr=False)
    gender: Gender | None = None
    phones: tuple[Phone, ...] = ()
    address: Address | None = None
    locale: str | None = None
    civility: str | None = None
    # Where the account comes from, as the back end codes it (CareCloud's customer_source_id);
    # None: the back end's default.
    customer_source: str | None = None
    # Skip the back end's address validation for this create (Club Med's force_address);
    # None: the back end's configured choice.
    force_address: bool | None = None
    identity: IdentityNumber | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class CustomerPatch:
    """An update: KEEP leaves a field as it is, None clears it, a value sets it."""

    first_name: Patch[str] = field(default=KEEP, repr=False)
    middle_name: Patch[str] = field(default=KEEP, repr=False)
    last_name: Patch[str] = field(default=KEEP, repr=False)
    email: Patch[str] = field(default=KEEP, repr=False)
    birthdate: Patch[date] = field(default=KEEP, repr=False)
    gender: Patch[Gender] = KEEP
    phones: Patch[tuple[Phone, ...]] = field(default=KEEP, repr=False)
    # KEEP: untouched; None: the whole address cleared; an AddressPatch: only its keys.
    address: Patch[AddressPatch] = field(default=KEEP, repr=False)
    locale: Patch[str] = KEEP
    third_name: Patch[str] = field(default=KEEP, repr=False)
    civility: Patch[str] = KEEP
    # Replaced whole: KEEP untouched, None cleared, a value set.
    identity: Patch[IdentityNumber] = field(default=KEEP, repr=False)

    def changes(self) -> dict[str, object]:
        """The fields the caller sent, with their new values (None = clear)."""
        return sent(self, self.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class TravelerDraft:
    first_name: str = field(repr=False)
    last_name: str = field(repr=False)
    birthdate: date | None = field(default=None, repr=False)
    email: str | None = field(default=None, repr=False)
    phones: tuple[Phone, ...] = ()
    address: Address | None = None
    civility: str | None = None
    identity: IdentityNumber | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class TravelDocumentPatch:
    """One document to update (`native_id` set) or add (`native_id` None)."""

    native_id: str | None = None
    type: Patch[TravelDocumentType] = KEEP
    number: Patch[str] = field(default=KEEP, repr=False)
    expiration_date: Patch[date] = field(default=KEEP, repr=False)
    issuing_country: Patch[str] = KEEP
    nationality: Patch[str] = KEEP

    def changes(self) -> dict[str, object]:
        return sent(self, ("type", "number", "expiration_date", "issuing_country", "nationality"))
