"""CareCloud's customer sub-resources -> the neutral records of `adapters.relationships`.

[DOC] docs/backends/carecloud.md#sub-resources, CC-spec `paths/customers/SubCustomer*.yaml`
(docs/backends/carecloud.md#sources): each list answers
`{"data": {"<key>": [...], "total_items": N}}`; item `state` is 0 deleted / 1 active / 2 non active,
a card's 0 blocked / 1 active. Datetimes are `YYYY-MM-DD HH:MM:SS` in the project's local time
without offset (read naive); dates `YYYY-MM-DD`. Amounts are JSON numbers, read into Decimal through
their text so 1250.5 stays 1250.5. Parsing is lenient ([DOC] docs/backends/carecloud.md#conventions:
new optional fields may appear): an item without its id is malformed, any other field CareCloud
leaves out or writes in another type is None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Generic, TypeVar

from adapters.dates import parse_date
from adapters.errors import UpstreamMalformed
from adapters.model import Backend
from adapters.relationships import (
    Credit,
    CustomerProperty,
    CustomerSource,
    Interest,
    LoyaltyCard,
    PointRecord,
    PropertyValue,
    Purchase,
    Recommendation,
    RecordState,
    Reward,
    Segment,
    StatusRecord,
    Voucher,
)

BACKEND: Final = Backend.CARECLOUD
Raw = Mapping[str, object]
R = TypeVar("R")

_STATES: Final = {0: RecordState.DELETED, 1: RecordState.ACTIVE, 2: RecordState.INACTIVE}


def text(value: object) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def integer(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def moment(value: object) -> datetime | None:
    """A CareCloud datetime (project-local, naive); a bare date is its midnight."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.strptime(value.replace("T", " ")[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        day = parse_date(value)
        return None if day is None else datetime(day.year, day.month, day.day)


def day(value: object) -> date | None:
    return parse_date(value)


def state(value: object) -> RecordState | None:
    return _STATES.get(value) if isinstance(value, int) else None


def _id(raw: Raw, name: str, operation: str) -> str:
    found = raw.get(name)
    if not isinstance(found, str) or not found:
        raise UpstreamMalformed(BACKEND, f"{operation}: an item without {name}")
    return found


def purchase(raw: Raw, customer_id: str) -> Purchase:
    return Purchase(
        BACKEND,
        _id(raw, "purchase_id", "purchases"),
        customer_id,
        paid_at=moment(raw.get("payment_time")),
        total_price=number(raw.get("total_price")),
        currency_id=text(raw.get("currency_id")),
        items_count=integer(raw.get("items_count")),
        store_id=text(raw.get("store_id")),
        type_id=text(raw.get("type_id")),
        external_id=text(raw.get("external_purchase_id")),
        cashdesk_number=text(raw.get("cashdesk_number")),
        card_number=text(raw.get("card_number")),
    )


def point_record(raw: Raw, customer_id: str) -> PointRecord:
    return PointRecord(
        BACKEND,
        _id(raw, "point_id", "points"),
        customer_id,
        assigned_points=number(raw.get("assigned_points")),
        available_points=number(raw.get("available_points")),
        point_type_id=text(raw.get("point_type_id")),
        partner_id=text(raw.get("partner_id")),
        valid_to=day(raw.get("valid_to")),
        created_at=moment(raw.get("created_at")),
        state=state(raw.get("state")),
        note=text(raw.get("note")),
    )


def credit(raw: Raw, customer_id: str) -> Credit:
    return Credit(
        BACKEND,
        _id(raw, "credit_id", "credits"),
        customer_id,
        assigned_credits=number(raw.get("assigned_credits")),
        available_credits=number(raw.get("available_credits")),
        currency_id=text(raw.get("currency_id")),
        credit_type_id=text(raw.get("credit_type_id")),
        partner_id=text(raw.get("partner_id")),
        valid_to=day(raw.get("valid_to")),
        state=state(raw.get("state")),
        note=text(raw.get("note")),
    )


def voucher(raw: Raw, customer_id: str) -> Voucher:
    reward = raw.get("reward")
    reward_of: Raw = reward if isinstance(reward, Mapping) else {}
    return Voucher(
        BACKEND,
        _id(raw, "voucher_id", "vouchers"),
        customer_id,
        code=text(raw.get("code")),
        value=number(raw.get("value")),
        applied_at=moment(raw.get("applied_date")),
        valid_from=day(raw.get("valid_from")),
        valid_to=day(raw.get("valid_to")),
        reward_native_id=text(reward_of.get("reward_id")) or text(raw.get("reward_id")),
        reward_name=text(reward_of.get("name")),
        reward_group=integer(raw.get("reward_group")),
        created_at=moment(raw.get("created_at")),
        state=state(raw.get("state")),
    )


def reward(raw: Raw, customer_id: str) -> Reward:
    automated = raw.get("is_automated")
    return Reward(
        BACKEND,
        _id(raw, "reward_id", "rewards"),
        customer_id,
        name=text(raw.get("name")),
        code=text(raw.get("code")),
        points_cost=number(raw.get("points_cost")),
        reward_group=integer(raw.get("reward_group")),
        priority=integer(raw.get("priority")),
        valid_from=day(raw.get("valid_from")),
        valid_to=day(raw.get("valid_to")),
        automated=automated if isinstance(automated, bool) else None,
    )


def card(raw: Raw, customer_id: str) -> LoyaltyCard:
    card_state = raw.get("state")
    return LoyaltyCard(
        BACKEND,
        _id(raw, "card_id", "cards"),
        customer_id,
        number=text(raw.get("card_number")),
        secondary_number=text(raw.get("secondary_card_number")),
        card_type_id=text(raw.get("card_type_id")),
        valid_from=day(raw.get("valid_from")),
        valid_to=day(raw.get("valid_to")),
        store_id=text(raw.get("store_id")),
        blocked=card_state == 0 if card_state in (0, 1) else None,
    )


def segment(raw: Raw, customer_id: str) -> Segment:
    return Segment(
        BACKEND,
        _id(raw, "segment_id", "segment_records"),
        customer_id,
        created_at=moment(raw.get("created_at")),
        changed_at=moment(raw.get("last_change")),
    )


def status_record(raw: Raw, customer_id: str) -> StatusRecord:
    return StatusRecord(
        BACKEND,
        _id(raw, "status_record_id", "status_records"),
        customer_id,
        status_id=text(raw.get("status_id")),
        valid_from=moment(raw.get("valid_from")),
        valid_to=moment(raw.get("valid_to")),
        state=state(raw.get("state")),
    )


def recommendation(raw: Raw, customer_id: str) -> Recommendation:
    urls = raw.get("picture_urls")
    return Recommendation(
        BACKEND,
        _id(raw, "recommendation_id", "recommendations"),
        customer_id,
        name=text(raw.get("name")),
        brief_description=text(raw.get("brief_description")),
        detailed_description=text(raw.get("detailed_description")),
        content=text(raw.get("content")),
        picture_urls=tuple(u for u in urls if isinstance(u, str)) if isinstance(urls, list) else (),
        web_url=text(raw.get("web_url")),
        state=state(raw.get("state")),
    )


def customer_source(raw: Raw, customer_id: str) -> CustomerSource:
    return CustomerSource(
        BACKEND,
        _id(raw, "customer_source_record_id", "customer_source_records"),
        customer_id,
        source_id=text(raw.get("customer_source_id")),
        external_id=text(raw.get("external_id")),
        changed_at=moment(raw.get("last_change")),
    )


def _property_value(value: object) -> PropertyValue:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, Mapping):
        return dict(value)
    return None


def customer_property(raw: Raw, customer_id: str) -> CustomerProperty:
    return CustomerProperty(
        BACKEND,
        _id(raw, "property_record_id", "property_records"),
        customer_id,
        property_id=_id(raw, "property_id", "property_records"),
        name=text(raw.get("property_name")),
        value=_property_value(raw.get("property_value")),
        changed_at=moment(raw.get("last_change")),
    )


def interest(raw: Raw, customer_id: str) -> Interest:
    return Interest(
        BACKEND,
        _id(raw, "interest_record_id", "interest_records"),
        customer_id,
        interest_id=_id(raw, "interest_id", "interest_records"),
        changed_at=moment(raw.get("last_change")),
    )


def property_value_json(value: PropertyValue) -> Any:
    """A property value as CareCloud's JSON takes it (a tuple is a JSON array)."""
    if isinstance(value, tuple):
        return list(value)
    return value


@dataclass(frozen=True, slots=True)
class Route(Generic[R]):
    """One sub-resource route: its path segment, list key, and the reader of its items."""

    segment: str
    key: str
    read: Callable[[Raw, str], R]


PURCHASES: Final = Route("purchases", "purchases", purchase)
POINTS: Final = Route("points", "points", point_record)
CREDITS: Final = Route("credits", "credits", credit)
VOUCHERS: Final = Route("vouchers", "vouchers", voucher)
REWARDS: Final = Route("rewards", "rewards", reward)
CARDS: Final = Route("cards", "cards", card)
STATUS_RECORDS: Final = Route("status-records", "status_records", status_record)
RECOMMENDATIONS: Final = Route("recommendation-records", "recommendations", recommendation)
CUSTOMER_SOURCES: Final = Route(
    "customer-source-records", "customer_source_records", customer_source
)
# These three routes list no paging parameters ([DOC] docs/backends/carecloud.md#sub-resources).
SEGMENTS: Final = Route("segment-records", "segment_records", segment)
PROPERTIES: Final = Route("property-records", "property_records", customer_property)
INTERESTS: Final = Route("interest-records", "interest_records", interest)
