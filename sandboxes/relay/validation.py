"""The Relay sandbox's checks of a `load-customer-record` body.

A refused body is a 400 naming the offending field by its dotted path (`errors.py`), e.g.
`customer.addresses[0].state_province`. The limits are the documented ones
(docs/backends/relay.md#customer-record): where the doc's own example breaks a limit (country "USA",
max length 2), the limit wins ([INF] ISO 3166-1 alpha-2 is the rule).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from sandboxes.common import parse_iso_date
from sandboxes.relay.errors import invalid
from sandboxes.relay.records import Record

MAX_CHANNELS: Final = 50  # phone numbers per ccid ([DOC] docs/backends/relay.md#limits)
CHANNEL_TYPES: Final = frozenset({"sms"})
CONSENT_TYPES: Final = frozenset({"written", "express", "stop"})

# Maximum lengths ([DOC] docs/backends/relay.md#customer-record).
ID_MAX: Final = 100
CUSTOMER_TEXT: Final = {
    "secondary_account_id": 100,
    "first_name": 100,
    "middle_name": 100,
    "last_name": 100,
    "ssn_last4": 4,
    "gender": 1,
}
ADDRESS_TEXT: Final = {
    "address1": 100,
    "address2": 100,
    "city": 100,
    "state_province": 2,
    "postal_code": 10,
    "country": 2,
}
CUSTOMER_KEYS: Final = frozenset(
    {"ccid", "date_of_birth", "addresses", "notification_channels", "ext", *CUSTOMER_TEXT}
)
CHANNEL_KEYS: Final = frozenset({"channel_type", "channel_addr", "consent_type", "phone_type"})
_CHANNEL_ADDR: Final = re.compile(r"^\d{10,11}$")


def _unknown_keys(raw: Mapping[str, object], known: frozenset[str], path: str) -> None:
    for key in raw:
        if key not in known:
            raise invalid(f"{path}{key}", f"Unknown field {key}")


def _text(raw: Mapping[str, object], name: str, path: str, maximum: int) -> str | None:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid(f"{path}{name}", f"{name} must be a string")
    if len(value) > maximum:
        raise invalid(f"{path}{name}", f"{name} is longer than {maximum} characters")
    return value


def _required_text(raw: Mapping[str, object], name: str, path: str, maximum: int) -> str:
    value = _text(raw, name, path, maximum)
    if not value:
        raise invalid(f"{path}{name}", f"{name} is required")
    return value


def _list(raw: Mapping[str, object], name: str, path: str) -> list[Mapping[str, object]]:
    value = raw.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid(f"{path}{name}", f"{name} must be an array")
    for position, item in enumerate(value):
        if not isinstance(item, dict):
            raise invalid(f"{path}{name}[{position}]", f"{name} holds objects")
    return value


def _address(raw: Mapping[str, object], path: str) -> Record:
    _unknown_keys(raw, frozenset(ADDRESS_TEXT), path)
    return {
        name: value
        for name, maximum in ADDRESS_TEXT.items()
        if (value := _text(raw, name, path, maximum)) is not None
    }


def _channel(raw: Mapping[str, object], path: str) -> Record:
    _unknown_keys(raw, CHANNEL_KEYS, path)
    channel_type = _required_text(raw, "channel_type", path, 10)
    if channel_type not in CHANNEL_TYPES:
        raise invalid(f"{path}channel_type", "channel_type must be one of: sms")
    addr = _required_text(raw, "channel_addr", path, 11)
    if not _CHANNEL_ADDR.match(addr):
        raise invalid(f"{path}channel_addr", "channel_addr must be 10 or 11 digits")
    channel: Record = {"channel_type": channel_type, "channel_addr": addr}
    consent = _text(raw, "consent_type", path, 10)
    if consent is not None:
        if consent not in CONSENT_TYPES:
            raise invalid(f"{path}consent_type", "consent_type must be written, express or stop")
        channel["consent_type"] = consent
    phone_type = _text(raw, "phone_type", path, 10)
    if phone_type is not None:
        channel["phone_type"] = phone_type
    return channel


def _date_of_birth(raw: Mapping[str, object], path: str) -> str | None:
    value = _text(raw, "date_of_birth", path, 10)
    if value is None:
        return None
    if parse_iso_date(value) is None:
        raise invalid(f"{path}date_of_birth", "date_of_birth must be a yyyy-mm-dd date")
    return value


def _ext(raw: Mapping[str, object], path: str) -> dict[str, str] | None:
    value = raw.get("ext")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid(f"{path}ext", "ext must be an object")
    for key, item in value.items():
        if not isinstance(item, str):
            raise invalid(f"{path}ext.{key}", "ext values must be strings")
    return dict(value)


def customer_record(raw: Mapping[str, object], path: str = "customer.") -> Record:
    """The customer of a load-customer-record body, checked; fields sent as null are left out."""
    _unknown_keys(raw, CUSTOMER_KEYS, path)
    record: Record = {"ccid": _required_text(raw, "ccid", path, ID_MAX)}
    for name, maximum in CUSTOMER_TEXT.items():
        if (value := _text(raw, name, path, maximum)) is not None:
            record[name] = value
    if (born := _date_of_birth(raw, path)) is not None:
        record["date_of_birth"] = born
    addresses = _list(raw, "addresses", path)
    if addresses:
        record["addresses"] = [
            _address(a, f"{path}addresses[{n}].") for n, a in enumerate(addresses)
        ]
    channels = _list(raw, "notification_channels", path)
    if len(channels) > MAX_CHANNELS:
        raise invalid(
            f"{path}notification_channels", f"At most {MAX_CHANNELS} notification channels"
        )
    if channels:
        record["notification_channels"] = [
            _channel(c, f"{path}notification_channels[{n}].") for n, c in enumerate(channels)
        ]
    if (ext := _ext(raw, path)) is not None:
        record["ext"] = ext
    return record


def load_body(body: Mapping[str, object]) -> tuple[str, Record]:
    """(product_group_id, customer record) of a load-customer-record body, or a 400."""
    _unknown_keys(body, frozenset({"product_group_id", "customer"}), "")
    group = _required_text(body, "product_group_id", "", ID_MAX)
    customer = body.get("customer")
    if customer is None:
        raise invalid("customer", "customer is required")
    if not isinstance(customer, dict):
        raise invalid("customer", "customer must be an object")
    return group, customer_record(customer)
