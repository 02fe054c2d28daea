"""The object types of a customer's related records: the blueprints the model classes of
`adapters.relationships` wear (`fastpath.bind`), with a description on every field.

Money and point amounts are the `Decimal` scalar (a string). Card numbers and voucher codes
need pii:read, like document numbers: a card number identifies the customer at a till, and a
voucher code is a bearer value (whoever holds it can redeem it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

import strawberry
from strawberry.scalars import JSON

from adapters.model import LoyaltyTier
from adapters.relationships import (
    Credit,
    CustomerProperty,
    CustomerSource,
    Interest,
    LoyaltyCard,
    PointRecord,
    Purchase,
    Recommendation,
    RecordState,
    Reward,
    Segment,
    StatusRecord,
    Voucher,
)
from gateway.auth import CanReadPII
from gateway.ids import CUSTOMER_PROPERTY, INTEREST, encode_id
from gateway.schema.enums import described_enum
from gateway.schema.fastpath import bind

RecordStateEnum = described_enum(
    RecordState,
    "Where a record stands: in force, not (yet or any more), or deleted.",
    {
        RecordState.ACTIVE: "In force.",
        RecordState.INACTIVE: "Not in force: not yet valid, expired or switched off.",
        RecordState.DELETED: "Deleted at the back end, still listed by it.",
    },
)

_PII = "Needs pii:read."


def _described(text: str, **options: Any) -> Any:
    return strawberry.field(description=text, **options)


@strawberry.type(name="Purchase", description="A purchase the customer made (CareCloud).")
class PurchaseObject:
    native_id: str = _described("The back end's id of the purchase.")
    paid_at: datetime | None = _described("When it was paid, in the back end's local time.")
    total_price: Decimal | None = _described("The amount paid, in `currencyId`.")
    currency_id: str | None = _described(
        "The back end's currency record (not an ISO code); null when not given."
    )
    items_count: int | None = _described("Items bought.")
    store_id: str | None = _described("The back end's id of the store.")
    type_id: str | None = _described("The back end's purchase type.")
    external_id: str | None = _described("The purchase's id in the till or shop system.")
    cashdesk_number: str | None = _described("The cash desk it was paid at.")
    card_number: str | None = _described(
        f"The loyalty card shown at the purchase. {_PII}", permission_classes=[CanReadPII]
    )


@strawberry.type(name="PointRecord", description="Points the customer was given (CareCloud).")
class PointRecordObject:
    native_id: str = _described("The back end's id of the record.")
    assigned_points: Decimal | None = _described("Points given by this record.")
    available_points: Decimal | None = _described("Of those, points not spent or expired.")
    point_type_id: str | None = _described("The back end's point type.")
    partner_id: str | None = _described("The partner that gave them, if any.")
    valid_to: date | None = _described("When they expire; null: they do not.")
    created_at: datetime | None = _described("When they were given.")
    state: RecordState | None = _described("Active, inactive or deleted.")
    note: str | None = _described("The back end's note on the record.")


@strawberry.type(name="Credit", description="Credit the customer holds (CareCloud).")
class CreditObject:
    native_id: str = _described("The back end's id of the record.")
    assigned_credits: Decimal | None = _described("Credit given by this record.")
    available_credits: Decimal | None = _described("Of it, credit not spent.")
    currency_id: str | None = _described("The back end's currency record (not an ISO code).")
    credit_type_id: str | None = _described("The back end's credit type.")
    partner_id: str | None = _described("The partner that gave it, if any.")
    valid_to: date | None = _described("When it expires; null: it does not.")
    state: RecordState | None = _described("Active, inactive or deleted.")
    note: str | None = _described("The back end's note on the record.")


@strawberry.type(name="Voucher", description="A voucher issued to the customer (CareCloud).")
class VoucherObject:
    native_id: str = _described("The back end's id of the voucher.")
    code: str | None = _described(
        f"The code that redeems it: a bearer value. {_PII}", permission_classes=[CanReadPII]
    )
    value: Decimal | None = _described("What it is worth, where the back end says.")
    applied_at: datetime | None = _described("When it was redeemed; null: not yet.")
    valid_from: date | None = _described("First day it can be redeemed.")
    valid_to: date | None = _described("Last day it can be redeemed.")
    reward_native_id: str | None = _described("The reward it was issued for (Reward.nativeId).")
    reward_name: str | None = _described("That reward's name.")
    reward_group: int | None = _described("That reward's group, as the back end numbers it.")
    created_at: datetime | None = _described("When it was issued.")
    state: RecordState | None = _described("Active, inactive or deleted.")


@strawberry.type(name="Reward", description="A reward the customer can have (CareCloud).")
class RewardObject:
    native_id: str = _described("The back end's id of the reward.")
    name: str | None = _described("Its name.")
    code: str | None = _described("The reward's catalogue code (not a voucher code).")
    points_cost: Decimal | None = _described("Points it costs.")
    reward_group: int | None = _described("Its group, as the back end numbers it.")
    priority: int | None = _described("Its rank among the rewards offered.")
    valid_from: date | None = _described("First day it is offered.")
    valid_to: date | None = _described("Last day it is offered.")
    automated: bool | None = _described("Whether the back end gives it on its own.")


@strawberry.type(
    name="LoyaltyCard", description="A loyalty card the customer holds (CareCloud cards)."
)
class LoyaltyCardObject:
    native_id: str = _described("The back end's id of the card.")
    number: str | None = _described(f"The card number. {_PII}", permission_classes=[CanReadPII])
    secondary_number: str | None = _described(
        f"A second number printed on the card. {_PII}", permission_classes=[CanReadPII]
    )
    card_type_id: str | None = _described("The back end's card type.")
    valid_from: date | None = _described("First day of validity.")
    valid_to: date | None = _described("Last day of validity; null: open-ended.")
    store_id: str | None = _described("The store that issued it.")
    blocked: bool | None = _described("Whether the card is blocked.")


@strawberry.type(name="Segment", description="A segment the customer belongs to (CareCloud).")
class SegmentObject:
    native_id: str = _described("The back end's id of the segment.")
    created_at: datetime | None = _described("When the customer entered it.")
    changed_at: datetime | None = _described("When the membership last changed.")


@strawberry.type(
    name="StatusRecord",
    description=(
        "A loyalty status the customer holds, held or will hold, over its validity "
        "(CareCloud status records; `Customer.loyalty` sums them up)."
    ),
)
class StatusRecordObject:
    native_id: str = _described("The back end's id of the record.")
    status_id: str | None = _described("The back end's id of the status (tier).")
    status_name: str | None = _described(
        "The status's name from the back end's catalogue (e.g. Gold); null when unknown."
    )
    tier: LoyaltyTier | None = _described(
        "`statusName` normalised as Loyalty.tier is (CareCloud: Basic, Silver, Gold, Platinum, "
        "any case; another name is OTHER); null where `statusName` is null."
    )
    valid_from: datetime | None = _described("Start of validity, the back end's local time.")
    valid_to: datetime | None = _described("End of validity; null: open-ended.")
    state: RecordState | None = _described("Active, inactive or deleted.")


@strawberry.type(
    name="Recommendation", description="A recommendation made to the customer (CareCloud)."
)
class RecommendationObject:
    native_id: str = _described("The back end's id of the recommendation.")
    name: str | None = _described("Its title.")
    brief_description: str | None = _described("A short description.")
    detailed_description: str | None = _described("A longer description.")
    content: str | None = _described("Its content, as the back end holds it.")
    picture_urls: list[str] = _described("Pictures; empty when none.")
    web_url: str | None = _described("A page about it.")
    state: RecordState | None = _described("Active, inactive or deleted.")


@strawberry.type(
    name="CustomerSource",
    description="Where the customer's account came from (an app, a shop) (CareCloud).",
)
class CustomerSourceObject:
    native_id: str = _described("The back end's id of the record.")
    source_id: str | None = _described("The back end's id of the source system.")
    external_id: str | None = _described("The customer's id in that system.")
    changed_at: datetime | None = _described("When the record last changed.")


def customer_property_id(root: CustomerProperty) -> strawberry.ID:
    return strawberry.ID(
        encode_id(CUSTOMER_PROPERTY, root.backend, root.customer_native_id, root.native_id)
    )


def interest_id(root: Interest) -> strawberry.ID:
    return strawberry.ID(encode_id(INTEREST, root.backend, root.customer_native_id, root.native_id))


def _property_id(root: strawberry.Parent[CustomerProperty]) -> strawberry.ID:
    return customer_property_id(root)


def _interest_id(root: strawberry.Parent[Interest]) -> strawberry.ID:
    return interest_id(root)


@strawberry.type(
    name="CustomerProperty",
    description="One value of one of the back end's customer properties (CareCloud).",
)
class CustomerPropertyObject:
    id: strawberry.ID = strawberry.field(
        resolver=_property_id,
        description=(
            "Global id: node and nodes take it back; updateCustomerProperty and "
            "deleteCustomerProperty take it."
        ),
    )
    native_id: str = _described("The back end's id of the property record.")
    property_id: str = _described("The back end's id of the property (e.g. shoe_size).")
    name: str | None = _described("The property's name, where the back end gives it.")
    value: JSON | None = _described(
        "The value, typed as the back end types the property (text, number, flag, list, "
        "object); null: not set."
    )
    changed_at: datetime | None = _described("When the value last changed.")


@strawberry.type(
    name="Interest",
    description="The customer is interested in one of the back end's interests (CareCloud).",
)
class InterestObject:
    id: strawberry.ID = strawberry.field(
        resolver=_interest_id,
        description=(
            "Global id: node and nodes take it back; updateCustomerInterest and "
            "deleteCustomerInterest take it."
        ),
    )
    native_id: str = _described("The back end's id of the interest record.")
    interest_id: str = _described("The back end's id of the interest.")
    changed_at: datetime | None = _described("When the record last changed.")


# Each model class and the object type it wears.
RELATED_OBJECT_TYPES: Final[Mapping[type, type]] = {
    Purchase: PurchaseObject,
    PointRecord: PointRecordObject,
    Credit: CreditObject,
    Voucher: VoucherObject,
    Reward: RewardObject,
    LoyaltyCard: LoyaltyCardObject,
    Segment: SegmentObject,
    StatusRecord: StatusRecordObject,
    Recommendation: RecommendationObject,
    CustomerSource: CustomerSourceObject,
    CustomerProperty: CustomerPropertyObject,
    Interest: InterestObject,
}
for _model, _object_type in RELATED_OBJECT_TYPES.items():
    bind(_model, _object_type)
