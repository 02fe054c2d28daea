"""One rule on every back end where the back ends differ for no reason (issue 13).

Names cannot be cleared; what a back end cannot hold is refused, never dropped; a taken email
reads the same everywhere; and every Relay 400 names the caller's own input field.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from adapters.model import Backend
from tests.gateway.conftest import Gateway

_serial = itertools.count()

CREATE = """mutation ($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id firstName lastName locale } } }"""
UPDATE = """mutation ($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) { customer { id firstName lastName locale } } }"""
READ = "query ($id: ID!) { customer(id: $id) { firstName lastName locale addresses { region } } }"


def _input(backend: str, **fields: Any) -> dict[str, Any]:
    n = next(_serial)
    values: dict[str, Any] = {
        "backend": backend,
        "firstName": "Ines",
        "lastName": f"Rulestest{n}",
        "email": f"ines.rulestest{n}@example.com",
    }
    return values | fields


def _create(gateway: Gateway, backend: str, **fields: Any) -> dict[str, Any]:
    body = gateway.query(CREATE, {"input": _input(backend, **fields)})
    assert "errors" not in body, body
    customer: dict[str, Any] = body["data"]["createCustomer"]["customer"]
    return customer


def _refusal(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("data") is None, body
    [error] = body["errors"]
    extensions: dict[str, Any] = error["extensions"]
    return extensions


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "  "])
@pytest.mark.parametrize("field", ["firstName", "lastName"])
@pytest.mark.parametrize("backend", ["CLUBMED", "CARECLOUD"])
def test_an_update_cannot_clear_a_name(
    gateway: Gateway, backend: str, field: str, value: str | None
) -> None:
    created = _create(gateway, backend)
    gateway.reset_counters()
    body = gateway.query(UPDATE, {"input": {"id": created["id"], field: value}})
    assert _refusal(body) == {"code": "BAD_USER_INPUT", "field": field}
    assert gateway.calls(Backend[backend]) == {}
    reread = gateway.query(READ, {"id": created["id"]})["data"]["customer"]
    assert (reread["firstName"], reread["lastName"]) == (created["firstName"], created["lastName"])


# --- refused, never dropped ------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["fr-FR", "pt_BR", "zh-Hant"])
def test_carecloud_refuses_a_locale_with_a_region_on_create(gateway: Gateway, locale: str) -> None:
    body = gateway.query(CREATE, {"input": _input("CARECLOUD", locale=locale)})
    assert _refusal(body) == {"code": "BAD_USER_INPUT", "backend": "CARECLOUD", "field": "locale"}
    assert "language only" in body["errors"][0]["message"]
    assert gateway.calls(Backend.CARECLOUD) == {}


def test_carecloud_refuses_a_locale_with_a_region_on_update(gateway: Gateway) -> None:
    created = _create(gateway, "CARECLOUD", locale="fr")
    assert created["locale"] == "fr"
    gateway.reset_counters()
    body = gateway.query(UPDATE, {"input": {"id": created["id"], "locale": "de-AT"}})
    assert _refusal(body) == {"code": "BAD_USER_INPUT", "backend": "CARECLOUD", "field": "locale"}
    assert gateway.calls(Backend.CARECLOUD) == {}
    assert gateway.query(READ, {"id": created["id"]})["data"]["customer"]["locale"] == "fr"


def test_club_med_keeps_a_locale_with_its_region(gateway: Gateway) -> None:
    created = _create(gateway, "CLUBMED", locale="fr-FR")
    assert created["locale"] == "fr-FR"


ADDRESS = {"line1": "Národní 12", "city": "Praha", "postalCode": "11000", "countryCode": "CZ"}


def test_carecloud_refuses_an_address_region_on_create(gateway: Gateway) -> None:
    body = gateway.query(CREATE, {"input": _input("CARECLOUD", address=ADDRESS | {"region": "PR"})})
    assert _refusal(body) == {
        "code": "BAD_USER_INPUT",
        "backend": "CARECLOUD",
        "field": "address.region",
    }
    assert gateway.calls(Backend.CARECLOUD) == {}


def test_carecloud_refuses_an_address_region_on_update(gateway: Gateway) -> None:
    created = _create(gateway, "CARECLOUD", address=ADDRESS)
    gateway.reset_counters()
    body = gateway.query(UPDATE, {"input": {"id": created["id"], "address": {"region": "PR"}}})
    assert _refusal(body) == {
        "code": "BAD_USER_INPUT",
        "backend": "CARECLOUD",
        "field": "address.region",
    }
    assert gateway.calls(Backend.CARECLOUD) == {}


def test_carecloud_refuses_a_phone_type_it_cannot_store(gateway: Gateway) -> None:
    """CareCloud stores one phone and no type: it reads back MOBILE, so HOME is refused."""
    phones = [{"number": "+420601234567", "type": "HOME"}]
    body = gateway.query(CREATE, {"input": _input("CARECLOUD", phones=phones)})
    assert _refusal(body) == {"code": "BAD_USER_INPUT", "backend": "CARECLOUD", "field": "phones"}
    assert gateway.calls(Backend.CARECLOUD) == {}
    mobile = _create(gateway, "CARECLOUD", phones=[phones[0] | {"type": "MOBILE"}])
    assert mobile["id"]


# --- a taken email ---------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["CLUBMED", "CARECLOUD"])
def test_a_taken_email_is_the_same_conflict_on_every_back_end(
    gateway: Gateway, backend: str
) -> None:
    first = _input(backend)
    _create(gateway, backend, **{k: v for k, v in first.items() if k != "backend"})
    body = gateway.query(CREATE, {"input": _input(backend, email=first["email"])})
    assert _refusal(body) == {
        "code": "CONFLICT",
        "backend": backend,
        "field": "email",
        "reason": "ALREADY_EXISTS",
    }


# --- Relay's 400s name the caller's input ------------------------------------------------------

RELAY_ADDRESS = {"line1": "201 King of Prussia Road", "city": "Radnor", "countryCode": "US"}


@pytest.mark.parametrize(
    ("fields", "input_field"),
    [
        ({"nativeId": "C" * 101}, "nativeId"),  # ccid <= 100
        ({"firstName": "F" * 101}, "firstName"),  # first_name <= 100
        ({"lastName": "L" * 101}, "lastName"),  # last_name <= 100
        ({"address": RELAY_ADDRESS | {"line1": "1" * 101}}, "address.line1"),  # address1 <= 100
        ({"address": RELAY_ADDRESS | {"line2": "2" * 101}}, "address.line2"),  # address2 <= 100
        ({"address": RELAY_ADDRESS | {"city": "C" * 101}}, "address.city"),  # city <= 100
        ({"address": RELAY_ADDRESS | {"region": "PAX"}}, "address.region"),  # state_province <= 2
        ({"address": RELAY_ADDRESS | {"postalCode": "19087-12345"}}, "address.postalCode"),
        ({"phones": [{"number": "610555"}]}, "phones"),  # channel_addr 10-11 digits
        ({"phones": [{"number": f"610555{n:04d}"} for n in range(51)]}, "phones"),  # <= 50
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_relay_400_names_the_input_field(
    gateway: Gateway, fields: dict[str, Any], input_field: str
) -> None:
    values = _input("RELAY", nativeId=f"GW-RULES-{next(_serial)}") | fields
    values.pop("email")  # Relay holds no email
    body = gateway.query(CREATE, {"input": values})
    extensions = _refusal(body)
    assert extensions["code"] == "BAD_USER_INPUT"
    assert extensions["field"] == input_field
