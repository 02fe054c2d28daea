"""Contract tests of the checks of a `load-customer-record` body: a refused record is a 400
naming the field, and is not stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.sandboxes.relay.conftest import (
    customer,
    customer_url,
    load_body,
    load_url,
)


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    """A change of the load body at a dotted path ("customer.addresses[0].city")."""

    def change(body: dict[str, Any]) -> None:
        node: Any = body
        parts = path.replace("[", ".").replace("]", "").split(".")
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        node[parts[-1]] = value

    return change


LENGTH_LIMITS = [
    ("product_group_id", 100),
    ("customer.ccid", 100),
    ("customer.secondary_account_id", 100),
    ("customer.first_name", 100),
    ("customer.middle_name", 100),
    ("customer.last_name", 100),
    ("customer.ssn_last4", 4),
    ("customer.gender", 1),
    ("customer.addresses[0].address1", 100),
    ("customer.addresses[0].address2", 100),
    ("customer.addresses[0].city", 100),
    ("customer.addresses[0].state_province", 2),
    ("customer.addresses[0].postal_code", 10),
    ("customer.addresses[0].country", 2),
    ("customer.notification_channels[0].phone_type", 10),
]


@pytest.mark.parametrize(("path", "maximum"), LENGTH_LIMITS)
def test_a_string_over_its_maximum_length_is_400_naming_the_field(
    api: httpx.Client, path: str, maximum: int
) -> None:
    at_limit, over = load_body(), load_body()
    digits = path.endswith("ccid") or path.endswith("ssn_last4")
    _set(path, ("7" if digits else "A") * maximum)(at_limit)
    _set(path, ("7" if digits else "A") * (maximum + 1))(over)
    response = api.post(load_url(), json=over)
    assert response.status_code == 400
    assert response.json()["field"] == path
    assert response.json()["message"]
    assert api.post(load_url(), json=at_limit).status_code == 200, path


def test_the_docs_own_country_example_usa_is_refused(api: httpx.Client) -> None:
    body = load_body()
    _set("customer.addresses[0].country", "USA")(body)
    response = api.post(load_url(), json=body)
    assert (response.status_code, response.json()["field"]) == (
        400,
        "customer.addresses[0].country",
    )


INVALID_VALUES = [
    ("customer.date_of_birth", "1990-02-30"),
    ("customer.date_of_birth", "03/12/1990"),
    ("customer.date_of_birth", "1990-3-12"),
    ("customer.notification_channels[0].channel_type", "email"),
    ("customer.notification_channels[0].channel_type", "SMS"),
    ("customer.notification_channels[0].consent_type", "maybe"),
    ("customer.notification_channels[0].channel_addr", "610555121"),
    ("customer.notification_channels[0].channel_addr", "610555121234"),
    ("customer.notification_channels[0].channel_addr", "+16105551212"),
    ("customer.notification_channels[0].channel_addr", "610-555-12"),
    ("customer.ext", ["gold"]),
    ("customer.ext", "gold"),
    ("customer.ext.membership_level", 3),
    ("customer.first_name", 42),
    ("customer.addresses", {"city": "Radnor"}),
    ("customer", "BAK-1"),
]


@pytest.mark.parametrize(("path", "value"), INVALID_VALUES)
def test_a_value_outside_the_rules_is_400_naming_the_field(
    api: httpx.Client, path: str, value: object
) -> None:
    body = load_body()
    _set(path, value)(body)
    response = api.post(load_url(), json=body)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == path


@pytest.mark.parametrize("consent", ["written", "express", "stop"])
def test_each_documented_consent_type_is_taken(api: httpx.Client, consent: str) -> None:
    body = load_body()
    _set("customer.notification_channels[0].consent_type", consent)(body)
    _set("customer.notification_channels[0].channel_addr", "16175550100")(body)
    assert api.post(load_url(), json=body).status_code == 200


def test_more_than_50_notification_channels_is_400(api: httpx.Client) -> None:
    channels = [{"channel_type": "sms", "channel_addr": f"61755501{n:02d}"} for n in range(51)]
    response = api.post(load_url(), json=load_body(customer(notification_channels=channels)))
    assert response.status_code == 400
    assert response.json()["field"] == "customer.notification_channels"
    fifty = load_body(customer(notification_channels=channels[:50]))
    assert api.post(load_url(), json=fifty).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "product_group_id",
        "customer",
        "customer.ccid",
        "customer.notification_channels[0].channel_type",
        "customer.notification_channels[0].channel_addr",
    ],
)
def test_a_missing_required_field_is_400_naming_it(api: httpx.Client, path: str) -> None:
    body = load_body()
    parent, _, name = path.rpartition(".")
    node: Any = body
    if parent:
        for part in parent.replace("[", ".").replace("]", "").split("."):
            node = node[int(part)] if part.isdigit() else node[part]
    del node[name]
    response = api.post(load_url(), json=body)
    assert response.status_code == 400
    assert response.json()["field"] == path


@pytest.mark.parametrize(
    "path",
    [
        "nickname",
        "customer.email",
        "customer.addresses[0].address3",
        "customer.notification_channels[0].country_code",
    ],
)
def test_an_unknown_key_is_400_naming_it(api: httpx.Client, path: str) -> None:
    body = load_body()
    _set(path, "x")(body)
    response = api.post(load_url(), json=body)
    assert response.status_code == 400
    assert response.json()["field"] == path


@pytest.mark.parametrize("content", [b"{", b"not json", b"[]", b'"customer"'])
def test_a_body_that_is_not_a_json_object_is_400(api: httpx.Client, content: bytes) -> None:
    response = api.post(load_url(), content=content, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["message"]


def test_a_refused_record_is_not_stored(api: httpx.Client) -> None:
    record = customer(gender="MALE")
    assert api.post(load_url(), json=load_body(record)).status_code == 400
    assert api.get(customer_url(record["ccid"])).status_code == 404
