"""CareCloud JSON <-> model, both ways, without HTTP (the adapter tests cover the wire)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import httpx
import pytest

from adapters.carecloud import mapping
from adapters.carecloud.client import error_detail, parse_valid_to
from adapters.carecloud.loyalty import LoyaltyRecords, loyalty_from, membership_number
from adapters.errors import UpstreamBadRequest, UpstreamMalformed
from adapters.model import (
    Address,
    AddressPatch,
    Consent,
    CustomerDraft,
    CustomerFilter,
    CustomerPatch,
    Gender,
    IdentityNumber,
    IdentityNumberType,
    LoyaltyTier,
    Phone,
    PhoneType,
)

IDENTITY = IdentityNumber("529.982.247-25", IdentityNumberType.CPF)


def _raw(**info: Any) -> dict[str, Any]:
    return {
        "customer_id": "c1",
        "personal_information": {"language_id": "en", **info},
        "last_change": "2020-01-01 00:00:00",
        "state": 1,
    }


@pytest.mark.parametrize(
    "code, gender",
    [
        (1, Gender.MALE),
        (2, Gender.FEMALE),
        (3, Gender.FEMALE),
        (4, Gender.UNKNOWN),
        (5, Gender.OTHER),
        (None, None),
        (9, None),
        ("1", None),
    ],
)
def test_gender_codes_read(code: object, gender: Gender | None) -> None:
    assert mapping.customer_from_json(_raw(gender=code)).gender is gender


@pytest.mark.parametrize(
    "current, patch, written",
    [
        (3, Gender.FEMALE, 3),
        (2, Gender.FEMALE, 2),
        (3, Gender.MALE, 1),
        (None, Gender.OTHER, 5),
        (1, Gender.UNKNOWN, 4),
        (4, Gender.UNKNOWN, 4),
    ],
)
def test_gender_codes_written_keep_a_code_that_reads_the_same(
    current: int | None, patch: Gender, written: int
) -> None:
    merged = mapping.merge_patch(
        {"language_id": "en", "gender": current}, CustomerPatch(gender=patch)
    )
    assert merged["gender"] == written


@pytest.mark.parametrize(
    "number, digits",
    [
        ("+33 6 23 45 67 89", "33623456789"),
        ("0033-623-456-789", "33623456789"),
        ("(420) 523.828.931", "420523828931"),
        ("420523828931", "420523828931"),
    ],
)
def test_phones_are_written_as_international_digits(number: str, digits: str) -> None:
    assert mapping.phone_digits(number) == digits
    assert mapping.search_params(CustomerFilter(phone=number)) == {"phone": digits}


def test_one_phone_reads_as_mobile_with_a_plus() -> None:
    assert mapping.customer_from_json(_raw(phone="420523828931")).phones == (
        Phone("+420523828931", PhoneType.MOBILE),
    )
    assert mapping.customer_from_json(_raw(phone="")).phones == ()


@pytest.mark.parametrize(
    "language_id, locale",
    [("en", "en"), ("CS", "cs"), ("en-gb", "en-GB"), ("", None), (None, None)],
)
def test_locale_from_language_id(language_id: object, locale: str | None) -> None:
    assert mapping.locale_from(language_id) == locale


@pytest.mark.parametrize("locale, language_id", [("fr", "fr"), ("en", "en"), ("PT", "pt")])
def test_language_id_from_locale(locale: str, language_id: str) -> None:
    assert mapping.language_id_of(locale) == language_id


@pytest.mark.parametrize("locale", ["fr-FR", "pt_BR", "zh-Hant"])
def test_a_locale_with_more_than_a_language_is_refused_not_dropped(locale: str) -> None:
    with pytest.raises(UpstreamBadRequest) as caught:
        mapping.language_id_of(locale)
    assert caught.value.field == "locale"
    assert "language only" in caught.value.message


def test_address_reads_with_an_upper_case_country_and_empty_fields_as_none() -> None:
    raw = _raw(
        address={
            "address1": "Old Town Square",
            "address2": "34",
            "address3": "",
            "address5": "x",
            "zip": "11000",
            "city": "Prague 1",
            "country_code": "cz",
        }
    )
    customer = mapping.customer_from_json(raw)
    assert customer.addresses == (
        Address("Old Town Square", "34", None, "Prague 1", "11000", None, "CZ"),
    )
    assert customer.extra["address_more"] == {"address5": "x"}
    assert mapping.customer_from_json(_raw(address={"address3": ""})).addresses == ()


def test_consents_win_over_agreement_and_unset_values_are_kept_aside() -> None:
    both = _raw(
        consents=[
            {"consent_id": "gtc", "consent_value": 1},
            {"consent_id": "sms_news", "consent_value": 0},
            {"consent_id": "profiling", "consent_value": 2},
        ],
        agreement={"agreement_gtc": 0},
    )
    customer = mapping.customer_from_json(both)
    assert customer.consents == (Consent("ANY", "GTC", True), Consent("ANY", "sms_news", False))
    assert customer.extra["unset_consents"] == ("profiling",)
    legacy = _raw(
        agreement={
            "agreement_marketing_communication": 1,
            "agreement_profiling": 0,
            "custom_agreements": [{"agreement_id": "x", "agreement_value": 1}],
        }
    )
    assert mapping.customer_from_json(legacy).consents == (
        Consent("ANY", "MARKETING", True),
        Consent("ANY", "PROFILING", False),
        Consent("ANY", "x", True),
    )


def test_unknown_fields_and_values_are_tolerated() -> None:
    raw = _raw(
        first_name=42, nickname="Jo", gender=8, consents="nope", address="somewhere", email=""
    )
    raw["doi_email"] = "2020-01-01 00:00:00"
    customer = mapping.customer_from_json(raw)
    assert (
        customer.first_name,
        customer.gender,
        customer.consents,
        customer.addresses,
        customer.email,
    ) == (None, None, (), (), None)
    assert customer.known_fields == mapping.PERSONAL_FIELDS


@pytest.mark.parametrize(
    "raw", [{}, {"customer_id": "x"}, {"customer_id": 1, "personal_information": {}}]
)
def test_a_customer_without_id_or_information_is_malformed(raw: dict[str, Any]) -> None:
    with pytest.raises(UpstreamMalformed):
        mapping.customer_from_json(raw)


def test_new_customer_body_follows_the_documented_shape() -> None:
    draft = CustomerDraft(
        first_name="Zoe",
        last_name="Martin",
        email="Zoe@Example.com",
        birthdate=date(1990, 3, 12),
        gender=Gender.FEMALE,
        phones=(Phone("+33 6 12 34 56 78"),),
        address=Address(line1="1 Rue", city="Paris", postal_code="75001", country_code="FR"),
        locale="fr",
    )
    body = mapping.new_customer_body(draft, customer_source_id="src", default_language_id="en")
    assert body == {
        "customer": {
            "personal_information": {
                "first_name": "Zoe",
                "last_name": "Martin",
                "language_id": "fr",
                "email": "zoe@example.com",
                "birthdate": "1990-03-12",
                "gender": 2,
                "phone": "33612345678",
                "address": {
                    "address1": "1 Rue",
                    "zip": "75001",
                    "city": "Paris",
                    "country_code": "fr",
                },
            }
        },
        "customer_source": {"customer_source_id": "src"},
        "autologin": False,
    }
    bare = mapping.new_customer_body(
        CustomerDraft(first_name="A", last_name="B"),
        customer_source_id="s",
        default_language_id="de",
    )
    assert bare["customer"]["personal_information"] == {
        "first_name": "A",
        "last_name": "B",
        "language_id": "de",
    }


def test_merge_applies_only_what_the_patch_carries_and_drops_read_only_fields() -> None:
    stored = {
        "first_name": "Eva",
        "last_name": "Novak",
        "email": "eva@example.com",
        "phone": "420601234567",
        "language_id": "cs",
        "store_id": "s1",
        "photo_url": "https://x/p.png",
        "salutation": "Dear Eva",
        "address": {"address1": "A", "address4": "keep", "city": "Praha", "country_code": "cz"},
        "consents": [
            {"consent_id": "gtc", "consent_value": 1, "last_change": "2020-01-01 00:00:00"}
        ],
    }
    merged = mapping.merge_patch(
        stored,
        CustomerPatch(
            last_name="Nováková", email=None, address=AddressPatch(line1="B", country_code=None)
        ),
    )
    assert merged == {
        "first_name": "Eva",
        "last_name": "Nováková",
        "phone": "420601234567",
        "language_id": "cs",
        "store_id": "s1",
        "salutation": "Dear Eva",
        "address": {"address1": "B", "address4": "keep", "city": "Praha"},
        "consents": [{"consent_id": "gtc", "consent_value": 1}],
    }
    assert stored["email"] == "eva@example.com"  # the stored record is not touched
    assert mapping.merge_patch(stored, CustomerPatch()) == mapping.writable(stored)


@pytest.mark.parametrize(
    "patch, field",
    [
        (CustomerPatch(middle_name="M"), "middleName"),
        (CustomerPatch(locale=None), "locale"),
        (CustomerPatch(locale="123"), "locale"),
        (CustomerPatch(locale="de-AT"), "locale"),
        (CustomerPatch(phones=(Phone("1"), Phone("2"))), "phones"),
        (CustomerPatch(phones=(Phone("1", PhoneType.HOME),)), "phones"),
        (CustomerPatch(address=AddressPatch(region="IDF")), "address.region"),
    ],
)
def test_check_patch_refuses_what_carecloud_cannot_hold(patch: CustomerPatch, field: str) -> None:
    with pytest.raises(UpstreamBadRequest) as caught:
        mapping.check_patch(patch)
    assert caught.value.field == field
    mapping.check_patch(
        CustomerPatch(
            middle_name=None,
            phones=(Phone("1", PhoneType.MOBILE),),
            locale="de",
            address=AddressPatch(region=None, city="Brno"),
        )
    )  # these are fine


@pytest.mark.parametrize(
    "draft, field",
    [
        (CustomerDraft("A", "B", locale="fr-FR"), "locale"),
        (CustomerDraft("A", "B", address=Address(city="Paris", region="IDF")), "address.region"),
        (CustomerDraft("A", "B", phones=(Phone("1", PhoneType.WORK),)), "phones"),
        (CustomerDraft("A", "B", identity=IDENTITY), "identity"),
    ],
)
def test_a_new_customer_with_what_carecloud_would_drop_is_refused(
    draft: CustomerDraft, field: str
) -> None:
    with pytest.raises(UpstreamBadRequest) as caught:
        mapping.new_customer_body(draft, customer_source_id="s", default_language_id="en")
    assert caught.value.field == field


def test_an_address_patch_changes_only_the_keys_it_names() -> None:
    stored: dict[str, Any] = {
        "first_name": "Eva",
        "language_id": "cs",
        "address": {
            "address1": "A",
            "address2": "12",
            "address5": "x",
            "zip": "11000",
            "city": "Praha",
        },
    }
    city = mapping.merge_patch(stored, CustomerPatch(address=AddressPatch(city="Brno")))
    assert city["address"] == stored["address"] | {"city": "Brno"}
    cleared = mapping.merge_patch(stored, CustomerPatch(address=AddressPatch(line2=None)))
    assert cleared["address"] == {"address1": "A", "address5": "x", "zip": "11000", "city": "Praha"}
    assert "address" not in mapping.merge_patch(stored, CustomerPatch(address=None))
    assert mapping.merge_patch(stored, CustomerPatch(address=AddressPatch())) == stored


NOW = datetime(2026, 6, 1, 12, 0, 0)


def test_loyalty_from_cards_points_and_status_records() -> None:
    records = LoyaltyRecords(
        cards=[
            {"card_number": "old", "state": 0, "valid_from": "2010-01-01"},
            {"card_number": "2001", "state": 1, "valid_from": "2015-05-01"},
        ],
        points=[
            {"available_points": 100.7, "state": 1},
            {"available_points": 50.5, "state": 1},
            {"available_points": 999.0, "state": 2},
        ],
        status_records=[
            {
                "status_id": "s",
                "state": 2,
                "valid_from": "2020-01-01 00:00:00",
                "valid_to": "2021-12-31 23:59:59",
            },
            {
                "status_id": "b",
                "state": 2,
                "valid_from": "2018-01-01 00:00:00",
                "valid_to": "2019-12-31 23:59:59",
            },
            {"status_id": "g", "state": 1, "valid_from": "2022-01-01", "valid_to": "2027-01-31"},
            {"status_id": "p", "state": 1, "valid_from": "2030-01-01 00:00:00", "valid_to": None},
        ],
    )
    names = {"s": "Silver", "g": "Gold", "b": "Basic", "p": "Platinum"}
    loyalty = loyalty_from(records, names, NOW)
    assert loyalty is not None
    assert (loyalty.status, loyalty.previous_status, loyalty.points) == ("Gold", "Silver", 151)
    assert (loyalty.member_since, loyalty.renewal_date) == ("2010-01-01", date(2027, 1, 31))
    assert membership_number(records.cards) == "2001"
    assert records.status_ids() == {"s", "b", "g", "p"}


def test_no_loyalty_records_is_no_loyalty() -> None:
    assert loyalty_from(LoyaltyRecords([], [], []), {}, NOW) is None
    only_points = loyalty_from(
        LoyaltyRecords([], [{"available_points": 3, "state": 1}], []), {}, NOW
    )
    assert only_points is not None and (only_points.points, only_points.status) == (3, None)


def test_valid_to_is_read_as_utc_and_error_detail_names_the_first_invalid_param() -> None:
    assert parse_valid_to("2026-11-23 00:22:25") == datetime.fromisoformat(
        "2026-11-23T00:22:25+00:00"
    )
    assert parse_valid_to("soon") is None and parse_valid_to(None) is None
    body = {
        "error": {
            "error_data": {
                "invalid_params": [
                    {"name": "email", "reason": "already_exists"},
                    {"name": "x", "reason": "y"},
                ]
            }
        }
    }
    assert error_detail(httpx.Response(400, json=body)) == ("email", "already_exists")
    assert error_detail(httpx.Response(400, content=b"<html>")) == (None, None)
    assert error_detail(
        httpx.Response(404, json={"error": {"error_data": {"resource_name": "customers"}}})
    ) == (None, None)


@pytest.mark.parametrize(
    ("name", "tier"),
    [
        ("Basic", LoyaltyTier.BASIC),
        ("GOLD", LoyaltyTier.GOLD),
        ("platinum", LoyaltyTier.PLATINUM),
        ("Diamond", LoyaltyTier.OTHER),
        (None, None),
    ],
)
def test_status_names_map_to_a_tier(name: str | None, tier: LoyaltyTier | None) -> None:
    assert mapping.tier_from(name) is tier


def test_the_current_status_record_gives_the_tier() -> None:
    records = LoyaltyRecords(
        cards=(),
        points=(),
        status_records=(
            {"status_id": "s1", "state": 1, "valid_from": "2020-01-01", "valid_to": None},
        ),
    )
    loyalty = loyalty_from(records, {"s1": "Silver"}, datetime(2026, 1, 1))
    assert loyalty is not None
    assert (loyalty.status, loyalty.tier) == ("Silver", LoyaltyTier.SILVER)


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        (CustomerPatch(third_name="X"), "thirdName"),
        (CustomerPatch(civility="MR"), "civility"),
        (CustomerPatch(identity=IDENTITY), "identity"),
    ],
)
def test_what_carecloud_cannot_hold_is_refused(patch: CustomerPatch, field: str) -> None:
    with pytest.raises(UpstreamBadRequest) as refused:
        mapping.check_patch(patch)
    assert refused.value.field == field


def test_carecloud_reads_no_identity_and_clearing_one_is_no_change() -> None:
    customer = mapping.customer_from_json(_raw(first_name="A"))
    assert customer.identity is None and "identity" in customer.known_fields
    mapping.check_patch(CustomerPatch(identity=None))
    assert mapping.merge_patch({"first_name": "A"}, CustomerPatch(identity=None)) == {
        "first_name": "A"
    }


def test_custom_agreements_are_read_alongside_consents() -> None:
    both = _raw(
        consents=[{"consent_id": "gtc", "consent_value": 1}],
        agreement={
            "agreement_gtc": 0,
            "custom_agreements": [
                {"agreement_id": "partner_offers", "agreement_value": 0},
                {"agreement_id": "gtc", "agreement_value": 0},  # consents[] names it: wins
                {"agreement_id": "custom_agreement_id", "agreement_value": 2},
            ],
        },
    )
    customer = mapping.customer_from_json(both)
    assert customer.consents == (
        Consent("ANY", "GTC", True),
        Consent("ANY", "partner_offers", False),
    )
    assert customer.extra["unset_consents"] == ("custom_agreement_id",)
