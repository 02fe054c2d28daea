"""The back-end-neutral records around a customer: what they bought, earned and hold.

Frozen dataclasses beside `adapters.model`, for the "360-degree view" of a customer (issue
15): purchases, point and credit records, vouchers, rewards, loyalty cards, segments, status
records, recommendations, customer sources, property records and interest records, and the
customer's own credentials a back end verifies. Nothing here knows a back end's field names.
Money and point amounts are `Decimal`; ids of a back end's catalogue entries (a store, a
point type, a currency) stay opaque strings. Card numbers, voucher codes and every secret
carry `repr=False`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Final, NamedTuple, TypeAlias

from adapters.model import KEEP, Backend, Loyalty, LoyaltyTier, PageRequest, Patch, sent

__all__ = [
    "LOYALTY_FIELDS",
    "AuthTokenLogin",
    "Credit",
    "CustomerPage",
    "CustomerProperty",
    "CustomerSource",
    "Interest",
    "InterestDraft",
    "InterestPatch",
    "LoginType",
    "LoyaltyCard",
    "LoyaltyRequest",
    "PasswordLogin",
    "PointRecord",
    "PropertyDraft",
    "PropertyPatch",
    "PropertyValue",
    "Purchase",
    "Recommendation",
    "RecordState",
    "Reward",
    "Segment",
    "SocialLogin",
    "StatusRecord",
    "Voucher",
]

# A property record's value: the back end types it per property (text, number, flag, list...).
PropertyValue: TypeAlias = str | int | float | bool | Sequence[object] | Mapping[str, object] | None


class RecordState(enum.Enum):
    """Where a record stands: in force, not (yet or any more), or deleted."""

    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    DELETED = "DELETED"


class CustomerPage(NamedTuple):
    """One window of one customer's list: the key of a paged batch (a loader's key)."""

    customer_native_id: str
    page: PageRequest = PageRequest()


# Every field of the model's Loyalty summary.
LOYALTY_FIELDS: Final = frozenset(f.name for f in fields(Loyalty))


class LoyaltyRequest(NamedTuple):
    """A customer's loyalty summary, limited to `fields`: the key of a loyalty batch.

    A back end that reads the summary from several records fetches only those the fields
    need; a field not asked for may be None in the answer.
    """

    native_id: str
    fields: frozenset[str] = LOYALTY_FIELDS


@dataclass(frozen=True, slots=True)
class Purchase:
    backend: Backend
    native_id: str
    customer_native_id: str
    paid_at: datetime | None = None
    total_price: Decimal | None = None
    currency_id: str | None = None  # the back end's currency record, not an ISO code
    items_count: int | None = None
    store_id: str | None = None
    type_id: str | None = None
    external_id: str | None = None
    cashdesk_number: str | None = None
    card_number: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class PointRecord:
    backend: Backend
    native_id: str
    customer_native_id: str
    assigned_points: Decimal | None = None
    available_points: Decimal | None = None
    point_type_id: str | None = None
    partner_id: str | None = None
    valid_to: date | None = None
    created_at: datetime | None = None
    state: RecordState | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Credit:
    backend: Backend
    native_id: str
    customer_native_id: str
    assigned_credits: Decimal | None = None
    available_credits: Decimal | None = None
    currency_id: str | None = None
    credit_type_id: str | None = None
    partner_id: str | None = None
    valid_to: date | None = None
    state: RecordState | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Voucher:
    backend: Backend
    native_id: str
    customer_native_id: str
    code: str | None = field(default=None, repr=False)  # redeemable as it is: a bearer value
    value: Decimal | None = None
    applied_at: datetime | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    reward_native_id: str | None = None
    reward_name: str | None = None
    reward_group: int | None = None
    created_at: datetime | None = None
    state: RecordState | None = None


@dataclass(frozen=True, slots=True)
class Reward:
    """A reward the customer can have (a catalogue entry offered to them)."""

    backend: Backend
    native_id: str
    customer_native_id: str
    name: str | None = None
    code: str | None = None
    points_cost: Decimal | None = None
    reward_group: int | None = None
    priority: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    automated: bool | None = None


@dataclass(frozen=True, slots=True)
class LoyaltyCard:
    backend: Backend
    native_id: str
    customer_native_id: str
    number: str | None = field(default=None, repr=False)
    secondary_number: str | None = field(default=None, repr=False)
    card_type_id: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    store_id: str | None = None
    blocked: bool | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A segment the customer belongs to."""

    backend: Backend
    native_id: str  # the segment's id: one record per segment and customer
    customer_native_id: str
    created_at: datetime | None = None
    changed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StatusRecord:
    """A loyalty status the customer holds, held, or will hold, over its validity."""

    backend: Backend
    native_id: str
    customer_native_id: str
    status_id: str | None = None
    status_name: str | None = None  # from the back end's status catalogue, when it has one
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    state: RecordState | None = None
    # `status_name` normalised as Loyalty.tier is; None where the name is unknown.
    tier: LoyaltyTier | None = None


@dataclass(frozen=True, slots=True)
class Recommendation:
    backend: Backend
    native_id: str
    customer_native_id: str
    name: str | None = None
    brief_description: str | None = None
    detailed_description: str | None = None
    content: str | None = None
    picture_urls: tuple[str, ...] = ()
    web_url: str | None = None
    state: RecordState | None = None


@dataclass(frozen=True, slots=True)
class CustomerSource:
    """Where the customer's account came from (an app, a shop), with its id there."""

    backend: Backend
    native_id: str
    customer_native_id: str
    source_id: str | None = None
    external_id: str | None = None
    changed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CustomerProperty:
    """A property record: one value of one of the back end's customer properties."""

    backend: Backend
    native_id: str
    customer_native_id: str
    property_id: str
    name: str | None = None
    value: PropertyValue = field(default=None, repr=False)
    changed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Interest:
    """An interest record: the customer is interested in one of the back end's interests."""

    backend: Backend
    native_id: str
    customer_native_id: str
    interest_id: str
    changed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PropertyDraft:
    property_id: str
    value: PropertyValue = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class PropertyPatch:
    """KEEP leaves the value as it is, None clears it, a value sets it."""

    value: Patch[PropertyValue] = field(default=KEEP, repr=False)

    def changes(self) -> dict[str, object]:
        return sent(self, ("value",))


@dataclass(frozen=True, slots=True)
class InterestDraft:
    interest_id: str


@dataclass(frozen=True, slots=True)
class InterestPatch:
    """KEEP leaves the interest as it is; an interest record cannot be without one."""

    interest_id: Patch[str] = KEEP

    def changes(self) -> dict[str, object]:
        return sent(self, ("interest_id",))


class LoginType(enum.Enum):
    """What a customer logs in with, besides the password."""

    EMAIL = "EMAIL"
    CARD = "CARD"


@dataclass(frozen=True, slots=True)
class PasswordLogin:
    login_type: LoginType
    login_value: str = field(repr=False)
    password: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class SocialLogin:
    network: str  # e.g. "twitter", "facebook"
    token: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class AuthTokenLogin:
    """A one-time token an application (a kiosk, an app) got for the customer."""

    application_id: str
    token: str = field(repr=False)
    token_request_id: str = field(repr=False)
