"""Relay JSON <-> the customer model, without a server."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from adapters.errors import UpstreamBadRequest, UpstreamMalformed
from adapters.model import (
    CUSTOMER_FIELDS,
    Address,
    Backend,
    Consent,
    CustomerDraft,
    Gender,
    IdentityNumber,
    IdentityNumberType,
    Loyalty,
    LoyaltyTier,
    Phone,
    PhoneType,
)
from adapters.relay import mapping
from tests.sandboxes.relay.conftest import SEED_EXAMPLE


def test_the_seed_example_maps_every_field() -> None:
    customer = mapping.customer_from_json(SEED_EXAMPLE)
    assert customer.backend is Backend.RELAY
    assert customer.native_id == "BAK-11984-007"
    assert customer.known_fields == CUSTOMER_FIELDS
    assert customer.membership_number == "ABC123"
    assert (customer.first_name, customer.middle_name, customer.last_name) == (
        "Roger",
        "Harold",
        "Moore",
    )
    assert customer.birthdate == date(1954, 12, 1)
    assert customer.gender is Gender.MALE
    assert customer.addresses == (
        Address(
            line1="201 King of Prussia Road",
            line2="Suite 161",
            city="Radnor",
            postal_code="19087",
            region="PA",
            country_code="US",  # the doc's "USA", read as alpha-2
        ),
    )
    assert customer.phones == (Phone("6105551212", PhoneType.MOBILE),)
    assert customer.consents == (Consent("SMS", "MESSAGING", True),)
    assert customer.loyalty == Loyalty(
        status="gold",
        member_since="1999",
        renewal_date=date(2024, 5, 1),
        tier=LoyaltyTier.GOLD,
    )
    assert (customer.email, customer.locale, customer.birth_city) == (None, None, None)
    assert customer.extra["ssn_last4"] == "1234"
    assert customer.extra["consent_types"] == {"6105551212": "written"}
    assert "ext" not in customer.extra


def test_personal_values_stay_out_of_the_repr() -> None:
    text = repr(mapping.customer_from_json(SEED_EXAMPLE))
    for value in ("Roger", "Moore", "1954", "6105551212", "1234", "King of Prussia"):
        assert value not in text


def test_a_minimal_record_reads_with_empty_collections() -> None:
    customer = mapping.customer_from_json({"ccid": "C-1"})
    assert customer.native_id == "C-1"
    assert customer.phones == () and customer.addresses == () and customer.consents == ()
    assert customer.loyalty is None and customer.gender is None and customer.birthdate is None
    assert dict(customer.extra) == {}


@pytest.mark.parametrize("raw", [{}, {"ccid": ""}, {"ccid": 7}, {"first_name": "A"}])
def test_a_record_without_ccid_is_malformed(raw: dict[str, Any]) -> None:
    with pytest.raises(UpstreamMalformed):
        mapping.customer_from_json(raw)


def test_unknown_fields_and_wrong_types_are_tolerated() -> None:
    customer = mapping.customer_from_json(
        {
            "ccid": "C-2",
            "loyalty_card": "new field",
            "first_name": 12,
            "addresses": [
                "not an object",
                {},
                {"city": "Brno", "country": "cze", "geo": [1, 2]},
            ],
            "notification_channels": [
                {"channel_type": "sms"},
                {"channel_type": "sms", "channel_addr": "6105550100", "phone_type": "pager"},
                {"channel_type": "sms", "channel_addr": "6105550101", "phone_type": "landline"},
                {"channel_type": "sms", "channel_addr": "6105550102", "consent_type": "stop"},
                {"channel_addr": "6105550103", "consent_type": "express", "phone_type": "MOBILE"},
                {"channel_addr": "6105550104", "consent_type": "revoked"},
            ],
            "ext": {"renewal_date": "someday", "tier_color": "blue"},
            "gender": "x",
        }
    )
    assert customer.first_name is None
    assert customer.addresses == (Address(city="Brno", country_code="CZ"),)
    assert customer.phones == (
        Phone("6105550100", PhoneType.OTHER),
        Phone("6105550101", PhoneType.HOME),
        Phone("6105550102", None),
        Phone("6105550103", PhoneType.MOBILE),
        Phone("6105550104", None),
    )
    assert customer.consents == (
        Consent("SMS", "MESSAGING", False),
        Consent("SMS", "MESSAGING", True),
        Consent("SMS", "MESSAGING", False),
    )
    assert customer.extra["consent_types"] == {
        "6105550102": "stop",
        "6105550103": "express",
        "6105550104": "revoked",
    }
    phone_types = customer.extra["phone_types"]
    assert isinstance(phone_types, dict) and phone_types["6105550100"] == "pager"
    assert customer.loyalty is None
    assert customer.extra["ext"] == {"renewal_date": "someday", "tier_color": "blue"}
    assert customer.gender is Gender.OTHER


@pytest.mark.parametrize(
    ("code", "gender"),
    [
        ("M", Gender.MALE),
        ("F", Gender.FEMALE),
        ("U", Gender.UNKNOWN),
        ("O", Gender.OTHER),
        ("m", Gender.MALE),
        ("", None),
        (None, None),
    ],
)
def test_gender_codes(code: str | None, gender: Gender | None) -> None:
    assert mapping.customer_from_json({"ccid": "C", "gender": code}).gender is gender


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("US", "US"),
        ("us", "US"),
        ("USA", "US"),
        ("GBR", "GB"),
        ("FRA", "FR"),
        ("XYZ", "XYZ"),
        ("", None),
        (None, None),
    ],
)
def test_country_codes(written: str | None, read: str | None) -> None:
    assert mapping.country_code(written) == read


def test_a_draft_becomes_a_load_body_with_every_field() -> None:
    draft = CustomerDraft(
        first_name="Ada",
        last_name="Lovelace",
        native_id="C-9",
        birthdate=date(1990, 3, 12),
        gender=Gender.OTHER,
        phones=(
            Phone("+1 617 555 0100", PhoneType.MOBILE),
            Phone("617-555-0101", PhoneType.HOME),
            Phone("6175550102", PhoneType.WORK),
            Phone("6175550103"),
        ),
        address=Address(
            line1="1 Main Street",
            line2="Apt 2",
            city="Boston",
            postal_code="02108",
            region="MA",
            country_code="us",
        ),
    )
    assert mapping.customer_body(draft) == {
        "ccid": "C-9",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "date_of_birth": "1990-03-12",
        "gender": "O",
        "addresses": [
            {
                "address1": "1 Main Street",
                "address2": "Apt 2",
                "city": "Boston",
                "state_province": "MA",
                "postal_code": "02108",
                "country": "US",
            }
        ],
        "notification_channels": [
            {"channel_type": "sms", "channel_addr": "16175550100", "phone_type": "mobile"},
            {"channel_type": "sms", "channel_addr": "6175550101", "phone_type": "landline"},
            {"channel_type": "sms", "channel_addr": "6175550102", "phone_type": "unknown"},
            {"channel_type": "sms", "channel_addr": "6175550103"},
        ],
    }


def test_a_minimal_draft_sends_only_what_was_given() -> None:
    draft = CustomerDraft(first_name="A", last_name="B", native_id="C-1", address=Address())
    assert mapping.customer_body(draft) == {"ccid": "C-1", "first_name": "A", "last_name": "B"}


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (CustomerDraft(first_name="A", last_name="B"), "nativeId"),
        (CustomerDraft(first_name="A", last_name="B", native_id=""), "nativeId"),
        (CustomerDraft(first_name="A", last_name="B", native_id="C", email="a@b.c"), "email"),
        (CustomerDraft(first_name="A", last_name="B", native_id="C", locale="en-US"), "locale"),
        (
            CustomerDraft(
                first_name="A", last_name="B", native_id="C", address=Address(line3="Floor 3")
            ),
            "address.line3",
        ),
        (
            CustomerDraft(
                first_name="A",
                last_name="B",
                native_id="C",
                identity=IdentityNumber("1234", IdentityNumberType.ID_NUMBER),
            ),
            "identity",
        ),
    ],
)
def test_what_relay_cannot_hold_is_refused(draft: CustomerDraft, field: str) -> None:
    with pytest.raises(UpstreamBadRequest) as caught:
        mapping.customer_body(draft)
    assert caught.value.field == field
    assert caught.value.backend is Backend.RELAY


@pytest.mark.parametrize(
    ("relay_field", "input_field"),
    [
        ("customer.ccid", "nativeId"),
        ("customer.first_name", "firstName"),
        ("customer.last_name", "lastName"),
        ("customer.date_of_birth", "birthdate"),
        ("customer.gender", "gender"),
        ("customer.addresses[0].state_province", "address.region"),
        ("customer.addresses[0].postal_code", "address.postalCode"),
        ("customer.addresses[0].country", "address.countryCode"),
        ("customer.addresses[0].address1", "address.line1"),
        ("customer.addresses[0].address2", "address.line2"),
        ("customer.addresses[0].city", "address.city"),
        ("customer.addresses", "address"),
        # Every channel rule is the phones, as the other back ends name a phone.
        ("customer.notification_channels[2].channel_addr", "phones"),
        ("customer.notification_channels[0].channel_type", "phones"),
        ("customer.notification_channels[0].phone_type", "phones"),
        ("customer.notification_channels[0].consent_type", "phones"),
        ("customer.notification_channels", "phones"),
        ("customer.ssn_last4", None),
        ("customer.secondary_account_id", None),
        ("customer.ext.city", None),
        ("product_group_id", None),
        ("body", None),
        (None, None),
    ],
)
def test_relay_error_fields_become_input_names(
    relay_field: str | None, input_field: str | None
) -> None:
    assert mapping.input_field(relay_field) == input_field


@pytest.mark.parametrize(
    ("level", "tier"),
    [
        ("gold", LoyaltyTier.GOLD),
        ("TURQUOISE", LoyaltyTier.BASIC),
        ("Excluded", LoyaltyTier.EXCLUDED),
        ("none", LoyaltyTier.NONE),
        ("diamond", LoyaltyTier.OTHER),
        (None, None),
    ],
)
def test_membership_level_maps_to_a_tier(level: str | None, tier: LoyaltyTier | None) -> None:
    assert mapping.tier_from(level) is tier
