"""Club Med JSON <-> model, both ways, without HTTP (the adapter tests cover the wire)."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from adapters.clubmed import mapping, travel
from adapters.clubmed.client import error_detail, language_tag, page_plan, total_from
from adapters.errors import UpstreamBadRequest, UpstreamMalformed, UpstreamNotFound
from adapters.model import (
    CUSTOMER_FIELDS,
    KEEP,
    Address,
    AddressPatch,
    Backend,
    Consent,
    CustomerDraft,
    CustomerPatch,
    Gender,
    IdentityNumber,
    IdentityNumberType,
    Loyalty,
    LoyaltyTier,
    Phone,
    PhoneType,
    TravelDocumentPatch,
    TravelDocumentType,
    TravelerDraft,
)

CPF = IdentityNumberType.CPF
NATIONAL = IdentityNumberType.NATIONAL_REGISTER

SEARCH_ITEM: dict[str, Any] = {
    "id": "123456789",
    "gm_number": "123456789",
    "first_name": "John",
    "last_name": "Smith",
    "birthdate": "19800117",
    "email": "john@h.fr",
    "phones": [{"number": "0623456789", "type": "MOBILE"}],
    "loyalty_program": {"status": "EXCLUDED", "points": 1200},
}

PROFILE: dict[str, Any] = {
    "gm_number": "22073382",
    "email": "tom@example.com",
    "gender": "M",
    "civility": "MR",
    "first_name": "Tom",
    "second_name": "James",
    "third_name": "Edward",
    "last_name": "Smith",
    "unicode_first_name": "北",
    "birth_city": "Paris",
    "birth_country_code": "FR",
    "birthdate": "19840101",
    "birthday": "19840101",
    "phones": [
        {"number": "0623456789", "type": "MOBILE"},
        {"number": "0123456789", "type": "HOME"},
        {"number": "0323456789", "type": "WORK"},
        {"number": "0423456789", "type": "FAX"},
        {"number": "0523456789", "type": "SATELLITE"},
        {"number": None, "type": "MOBILE"},
    ],
    "address": {
        "number": "12",
        "street": "Rue de la Paix",
        "add_on": "Bât. B",
        "town": "Centre",
        "city": "Aix-en-Provence",
        "zip_code": "13100",
        "state_or_district": "PACA",
        "country": "FRANCE",
        "country_code": "fr",
        "additional_information_1": "3e étage",
        "additional_information_2": None,
    },
    "loyalty_program": {
        "status": "GOLD",
        "previous_status": "SILVER",
        "is_platinum_for_life": False,
        "points": 1200,
    },
    "locale": "fr-FR",
    "language_code": "FR",
    "optins": [
        {"channel": "EMAIL", "optin": True, "optin_partners": False},
        {"channel": "MAIL", "optin": False, "optin_partners": True},
        {"channel": "SMS", "optin": None},
    ],
    "identity": {"number": "123", "type": "CPF"},
    "customer_type": "CLIENT",
    "customer_status": "PROSPECT",
    "blacklisted": False,
    "a_field_added_later": {"anything": 1},
    "_links": [{"rel": "self", "method": "GET", "href": "/v2/customers/1/profile"}],
}


def test_a_search_item_carries_the_search_fields_only() -> None:
    john = mapping.customer_from_search(SEARCH_ITEM)
    assert (john.backend, john.native_id, john.membership_number) == (
        Backend.CLUBMED,
        "123456789",
        "123456789",
    )
    assert (john.first_name, john.last_name, john.email) == ("John", "Smith", "john@h.fr")
    assert john.birthdate == date(1980, 1, 17)
    assert john.phones == (Phone("0623456789", PhoneType.MOBILE),)
    assert john.known_fields == mapping.SEARCH_FIELDS
    assert "loyalty" not in john.known_fields and john.loyalty is None  # status and points only
    assert {"membership_number", "first_name", "last_name", "birthdate", "email", "phones"} == (
        john.known_fields
    )


@pytest.mark.parametrize("item", [{}, {"id": None}, {"id": ""}, {"id": True}, [], "x"])
def test_a_search_item_without_an_id_is_malformed(item: object) -> None:
    with pytest.raises(UpstreamMalformed):
        mapping.customer_from_search(item)


def test_the_profile_carries_every_field() -> None:
    tom = mapping.customer_from_profile("42", PROFILE)
    assert tom.native_id == "42" and tom.known_fields == CUSTOMER_FIELDS
    assert (tom.first_name, tom.middle_name, tom.last_name) == ("Tom", "James", "Smith")
    assert (tom.birthdate, tom.birth_city, tom.gender) == (date(1984, 1, 1), "Paris", Gender.MALE)
    assert tom.membership_number == "22073382" and tom.email == "tom@example.com"
    assert tom.phones == (
        Phone("0623456789", PhoneType.MOBILE),
        Phone("0123456789", PhoneType.HOME),
        Phone("0323456789", PhoneType.WORK),
        Phone("0423456789", PhoneType.OTHER),
        Phone("0523456789", PhoneType.OTHER),  # an enum value added later
    )
    assert tom.addresses == (
        Address(
            "12 Rue de la Paix", "Bât. B", "3e étage", "Aix-en-Provence", "13100", "PACA", "FR"
        ),
    )
    assert tom.loyalty == Loyalty("GOLD", "SILVER", 1200, False, tier=LoyaltyTier.GOLD)
    assert tom.locale == "fr-FR"
    assert tom.consents == (
        Consent("EMAIL", "MARKETING", True),
        Consent("MAIL", "MARKETING", False),
    )


def test_what_the_model_cannot_hold_is_kept_in_extra() -> None:
    customer = mapping.customer_from_profile("42", PROFILE)
    assert (customer.third_name, customer.civility) == ("Edward", "MR")  # model fields now
    assert customer.identity == IdentityNumber("123", IdentityNumberType.CPF)
    extra = customer.extra
    assert extra["unicode_first_name"] == "北"
    assert "identity" not in extra
    assert extra["birth_country_code"] == "FR" and extra["customer_status"] == "PROSPECT"
    assert extra["address"] == {"town": "Centre", "country": "FRANCE"}
    assert extra["optin_partners"] == {"EMAIL": False, "MAIL": True}
    assert "a_field_added_later" not in extra and "_links" not in extra


def test_a_profile_of_nulls_reads_as_empty() -> None:
    empty = dict.fromkeys(PROFILE) | {"address": dict.fromkeys(PROFILE["address"])}
    nobody = mapping.customer_from_profile("1", empty)
    assert (nobody.first_name, nobody.email, nobody.gender, nobody.loyalty) == (None,) * 4
    assert (nobody.phones, nobody.addresses, nobody.consents) == ((), (), ())
    assert nobody.extra == {}
    v1 = mapping.customer_from_profile("1", {"first_name": "", "address": {"city": ""}})
    assert v1.first_name is None and v1.addresses == ()  # v1 wrote "" for empty fields


@pytest.mark.parametrize(
    "code, gender",
    [("M", Gender.MALE), ("F", Gender.FEMALE), ("f", Gender.FEMALE), ("X", Gender.UNKNOWN)]
    + [(None, None), ("", None), (1, None)],
)
def test_gender_codes(code: object, gender: Gender | None) -> None:
    assert mapping.gender_from(code) is gender


def test_the_address_without_a_number_is_the_street_alone() -> None:
    assert mapping.address_from({"street": "Rue X", "city": "Paris"}) == Address(
        "Rue X", city="Paris"
    )
    assert mapping.address_from({"number": "3"}) == Address("3")
    assert mapping.address_from(None) is None


@pytest.mark.parametrize("raw", ["19800117", "1980-01-17"])
def test_profile_dates_in_either_form(raw: str) -> None:
    profile = mapping.customer_from_profile("1", {"birthdate": raw, "birthday": raw})
    assert profile.birthdate == date(1980, 1, 17)


def test_loyalty_tolerates_odd_values() -> None:
    assert mapping.loyalty_from({"status": "PLATINUM", "points": True}) == Loyalty(
        "PLATINUM", tier=LoyaltyTier.PLATINUM
    )
    assert mapping.loyalty_from(None) is None


def test_the_create_body() -> None:
    body = mapping.create_body(
        CustomerDraft(
            first_name="Zoé",
            last_name="Smith",
            email="zoe@example.com",
            birthdate=date(1990, 3, 12),
            gender=Gender.FEMALE,
            phones=(Phone("+33 (6) 23-45-67-89", PhoneType.MOBILE), Phone("0123456789")),
            address=Address("1 Rue X", None, "3e", "Paris", "75001", "IDF", "fr"),
            locale="fr-FR",
        )
    )
    assert body == {
        "identity": {
            "first_name": "Zoé",
            "last_name": "Smith",
            "birthdate": "19900312",
            "gender": "F",
        },
        "email": "zoe@example.com",
        "phones": [
            {"number": "+33 6 23456789", "type": "MOBILE"},
            {"number": "0123456789", "type": "OTHER"},
        ],
        "address": {
            "street": "1 Rue X",
            "additional_information_1": "3e",
            "city": "Paris",
            "zip_code": "75001",
            "state_or_district": "IDF",
            "country_code": "FR",
        },
        "locale": "fr-FR",
    }


def test_a_minimal_create_body() -> None:
    body = mapping.create_body(CustomerDraft(first_name="A", last_name="B", gender=Gender.UNKNOWN))
    assert body == {"identity": {"first_name": "A", "last_name": "B"}}


def test_gender_other_cannot_be_written() -> None:
    with pytest.raises(UpstreamBadRequest) as caught:
        mapping.create_body(CustomerDraft(first_name="A", last_name="B", gender=Gender.OTHER))
    assert caught.value.field == "gender"
    with pytest.raises(UpstreamBadRequest):
        mapping.patch_body(CustomerPatch(gender=Gender.OTHER))


def test_the_patch_body_holds_only_the_changes() -> None:
    assert mapping.patch_body(CustomerPatch()) == {}
    body = mapping.patch_body(
        CustomerPatch(
            first_name="Zoey",
            middle_name=None,
            birthdate=None,
            gender=Gender.UNKNOWN,
            phones=(Phone("0623456789", PhoneType.WORK),),
            locale="en-GB",
        )
    )
    assert body == {
        "first_name": "Zoey",
        "second_name": None,
        "birthdate": None,
        "gender": None,
        "phones": [{"number": "0623456789", "type": "WORK"}],
        "locale": "en-GB",
    }


def test_a_patched_address_sends_only_the_keys_it_names() -> None:
    city = mapping.patch_body(CustomerPatch(address=AddressPatch(city="Lyon", line2=None)))
    assert city == {"address": {"city": "Lyon", "add_on": None}}
    # line1 goes whole in `street`: naming it clears `number`, and only then.
    street = mapping.patch_body(CustomerPatch(address=AddressPatch(line1="Rue X")))
    assert street == {"address": {"number": None, "street": "Rue X"}}
    country = mapping.patch_body(CustomerPatch(address=AddressPatch(country_code="fr")))
    assert country == {"address": {"country_code": "FR"}}
    assert mapping.patch_body(CustomerPatch(address=AddressPatch())) == {}
    assert mapping.patch_body(
        CustomerPatch(address=None, phones=None, email=None, birthdate=date(2000, 2, 29))
    ) == {"address": None, "phones": None, "email": None, "birthdate": "20000229"}


def test_patch_fields_left_out_are_not_sent() -> None:
    patch = CustomerPatch(email="x@example.com", phones=KEEP)
    assert mapping.patch_body(patch) == {"email": "x@example.com"}


# --- travelers ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["19870625", "1987-06-25"])
def test_a_traveler_in_either_date_form(raw: str) -> None:
    jane = travel.traveler_from("1", {"id": "traveler-1", "first_name": "Jane", "birthdate": raw})
    assert (jane.native_id, jane.customer_native_id, jane.first_name, jane.birthdate) == (
        "traveler-1",
        "1",
        "Jane",
        date(1987, 6, 25),
    )
    assert jane.backend is Backend.CLUBMED


def test_a_traveler_without_an_id_is_malformed() -> None:
    with pytest.raises(UpstreamMalformed):
        travel.traveler_from("1", {"first_name": "Jane"})


def test_the_traveler_body() -> None:
    assert travel.traveler_body(TravelerDraft("Jane", "Doe", date(1990, 3, 12))) == {
        "first_name": "Jane",
        "last_name": "Doe",
        "birthdate": "1990-03-12",
    }
    assert travel.traveler_body(TravelerDraft("Jane", "Doe")) == {
        "first_name": "Jane",
        "last_name": "Doe",
    }


# --- travel documents --------------------------------------------------------------------

PASSPORT = {
    "document_number": "XX123456",
    "issuing_country": "FR",
    "nationality": "FR",
    "expiration_date": "20300701",
}
VISA = {
    "document_number": "V12345",
    "issuing_country": "US",
    "nationality": "FR",
    "expiration_date": "20270101",
}
OBJECT_FORM = {
    "passport": PASSPORT,
    "id_card": None,
    "driving_licence": {"document_number": "DL12345", "expiration_date": "20350101"},
    "visas": [VISA, {"document_number": "V67890", "issuing_country": "CA"}],
    "a_key_added_later": {},
}


def test_documents_in_the_object_form() -> None:
    found = travel.documents_from("1", OBJECT_FORM)
    summary = [(d.native_id, d.type, d.number, d.expiration_date, d.issuing_country) for d in found]
    assert summary == [
        ("passport", TravelDocumentType.PASSPORT, "XX123456", date(2030, 7, 1), "FR"),
        ("driving_licence", TravelDocumentType.OTHER, "DL12345", date(2035, 1, 1), None),
        ("visa-1", TravelDocumentType.VISA, "V12345", date(2027, 1, 1), "US"),
        ("visa-2", TravelDocumentType.VISA, "V67890", None, "CA"),
    ]
    assert all(d.customer_native_id == "1" and d.backend is Backend.CLUBMED for d in found)
    empty: dict[str, Any] = {
        "passport": None,
        "id_card": None,
        "driving_licence": None,
        "visas": [],
    }
    assert travel.documents_from("1", empty) == []


def test_documents_in_the_seeds_array_form() -> None:
    seed = [
        {"id": "doc-1", "type": "PASSPORT", "number": "XX123456", "expiration_date": "2030-07-01"},
        {"id": "doc-2", "type": "RESIDENCE_PERMIT", "number": "R1"},
        {"type": "VISA", "number": "no id: skipped"},
    ]
    found = travel.documents_from("1", seed)
    assert [(d.native_id, d.type, d.number, d.expiration_date) for d in found] == [
        ("doc-1", TravelDocumentType.PASSPORT, "XX123456", date(2030, 7, 1)),
        ("doc-2", TravelDocumentType.OTHER, "R1", None),
    ]


def test_documents_of_another_shape_are_malformed() -> None:
    with pytest.raises(UpstreamMalformed):
        travel.documents_from("1", "passport")


def test_a_new_document_is_keyed_by_its_type() -> None:
    body = travel.documents_patch_body(
        [
            TravelDocumentPatch(
                type=TravelDocumentType.PASSPORT,
                number="XX123456",
                expiration_date=date(2030, 7, 1),
                issuing_country="fr",
                nationality="fr",
            ),
            TravelDocumentPatch(type=TravelDocumentType.ID_CARD, number="ID12345"),
            TravelDocumentPatch(type=TravelDocumentType.OTHER, number="DL12345"),
        ]
    )
    assert body == {
        "passport": {
            "document_number": "XX123456",
            "expiration_date": "20300701",
            "issuing_country": "FR",
            "nationality": "FR",
        },
        "id_card": {
            "document_number": "ID12345",
            "expiration_date": None,
            "issuing_country": None,
            "nationality": None,
        },
        "driving_licence": {
            "document_number": "DL12345",
            "expiration_date": None,
            "issuing_country": None,
            "nationality": None,
        },
    }


def test_a_known_document_is_patched_key_by_key() -> None:
    body = travel.documents_patch_body(
        [
            TravelDocumentPatch("passport", expiration_date=date(2031, 1, 31)),
            TravelDocumentPatch("id_card", issuing_country=None),
            TravelDocumentPatch("driving_licence", type=None),  # type None removes it
        ]
    )
    assert body == {
        "passport": {"expiration_date": "20310131"},
        "id_card": {"issuing_country": None},
        "driving_licence": None,
    }


def test_visas_are_replaced_whole_from_the_current_list() -> None:
    patches = [
        TravelDocumentPatch("visa-2", number="V99999"),
        TravelDocumentPatch(type=TravelDocumentType.VISA, number="V11111"),
        TravelDocumentPatch("visa-1", type=None),
    ]
    assert travel.touches_visas(patches)
    body = travel.documents_patch_body(patches, travel.current_visas(OBJECT_FORM))
    assert body == {
        "visas": [
            {"document_number": "V99999", "issuing_country": "CA"},
            {
                "document_number": "V11111",
                "expiration_date": None,
                "issuing_country": None,
                "nationality": None,
            },
        ]
    }


def test_the_current_visas_of_the_array_form() -> None:
    seed = [{"id": "v", "type": "VISA", "number": "V1", "expiration_date": "2030-07-01"}]
    assert travel.current_visas(seed) == [
        {
            "document_number": "V1",
            "issuing_country": None,
            "nationality": None,
            "expiration_date": "20300701",
        }
    ]


def test_documents_without_visas_need_no_read() -> None:
    assert not travel.touches_visas([TravelDocumentPatch("passport", number="XX999999")])


@pytest.mark.parametrize(
    "patch, error",
    [
        (TravelDocumentPatch(number="X"), UpstreamBadRequest),  # new without a type
        (TravelDocumentPatch("doc-1", number="X"), UpstreamNotFound),
        (TravelDocumentPatch("visa-3", number="X"), UpstreamNotFound),
        (TravelDocumentPatch("visa-x", number="X"), UpstreamNotFound),
        (TravelDocumentPatch("passport", type=TravelDocumentType.VISA), UpstreamBadRequest),
        (TravelDocumentPatch("visa-1", type=TravelDocumentType.PASSPORT), UpstreamBadRequest),
    ],
)
def test_document_patches_refused_before_any_call(
    patch: TravelDocumentPatch, error: type[Exception]
) -> None:
    with pytest.raises(error):
        travel.documents_patch_body([patch], travel.current_visas(OBJECT_FORM))


# --- client helpers ----------------------------------------------------------------------


def _response(status: int, body: bytes, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=body, headers=headers)


def test_the_error_detail_reads_field_and_code() -> None:
    body = b'{"code": "INVALID_BODY", "message": "m", "field": "identity.first_name"}'
    assert error_detail(_response(400, body)) == ("identity.first_name", "INVALID_BODY")
    assert error_detail(_response(401, b'{"code": "UNAUTHORIZED"}')) == (None, "UNAUTHORIZED")
    assert error_detail(_response(401, b'{"error": "invalid_client"}')) == (None, "invalid_client")
    assert error_detail(_response(500, b"not json")) == (None, None)
    assert error_detail(_response(500, b"[1]")) == (None, None)


@pytest.mark.parametrize(
    "header, expected",
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr-FR"),
        ("de", "de"),
        ("en-US", "en-US"),
        ("*", "en-US"),
        ("", "en-US"),
        ("fr_FR", "en-US"),
    ],
)
def test_the_language_tag(header: str, expected: str) -> None:
    assert language_tag(header) == expected


@pytest.mark.parametrize(
    "offset, limit, plan",
    [
        (0, 20, (20, 1)),
        (40, 20, (20, 3)),
        (5, 10, (15, 1)),  # one page of 15 holds items 5..14
        (95, 10, (15, 7)),  # page 7 of 15 holds items 90..104
        (99, 2, (3, 34)),
        (50, 99, (99, 1)),  # no page size <= 100 holds 50..148: pages 1 and 2 of 99
        (150, 100, (100, 2)),
        (0, 1, (1, 1)),
    ],
)
def test_the_page_plan(offset: int, limit: int, plan: tuple[int, int]) -> None:
    size, first = page_plan(offset, limit)
    assert (size, first) == plan
    assert size >= limit
    last_page = (offset + limit - 1) // size + 1
    assert last_page - first in (0, 1)


def test_the_total_of_a_page() -> None:
    assert total_from(_response(200, b"[]"), [1, 2]) == 2
    partial = _response(206, b"[]", **{"content-range": "customers 20-39/123"})
    assert total_from(partial, []) == 123
    past = _response(206, b"[]", **{"content-range": "customers */7"})
    assert total_from(past, []) == 7
    assert total_from(_response(206, b"[]"), []) is None


@pytest.mark.parametrize(
    ("status", "tier"),
    [
        ("TURQUOISE", LoyaltyTier.BASIC),
        ("gold", LoyaltyTier.GOLD),
        ("Platinum", LoyaltyTier.PLATINUM),
        ("EXCLUDED", LoyaltyTier.EXCLUDED),
        ("NONE", LoyaltyTier.NONE),
        ("DIAMOND", LoyaltyTier.OTHER),
    ],
)
def test_loyalty_status_maps_to_a_tier_whatever_its_case(status: str, tier: LoyaltyTier) -> None:
    loyalty = mapping.loyalty_from({"status": status})
    assert loyalty is not None
    assert (loyalty.status, loyalty.tier) == (status, tier)


def test_no_loyalty_status_no_tier() -> None:
    assert mapping.loyalty_from({"points": 3}) == Loyalty(points=3)


def test_a_document_reads_its_nationality_upper_case() -> None:
    found = travel.documents_from(
        "1", {"passport": {"document_number": "XX1", "nationality": "fr"}}
    )
    assert found[0].nationality == "FR"


def test_a_patch_without_nationality_keeps_it() -> None:
    patch = TravelDocumentPatch(native_id="passport", number="XX123456")
    assert travel.documents_patch_body([patch]) == {"passport": {"document_number": "XX123456"}}
    cleared = TravelDocumentPatch(native_id="passport", nationality=None)
    assert travel.documents_patch_body([cleared]) == {"passport": {"nationality": None}}


def test_civility_and_third_name_read_and_written() -> None:
    customer = mapping.customer_from_profile(
        "1", {"first_name": "A", "third_name": "Edward", "civility": "MR"}
    )
    assert (customer.third_name, customer.civility) == ("Edward", "MR")
    assert "third_name" not in customer.extra and "civility" not in customer.extra
    draft = CustomerDraft(first_name="A", last_name="B", civility="MRS")
    assert mapping.create_body(draft)["identity"]["civility"] == "MRS"
    patch = CustomerPatch(third_name="Jane", civility=None)
    assert mapping.patch_body(patch) == {"third_name": "Jane", "civility": None}


@pytest.mark.parametrize(
    ("raw", "read"),
    [
        ({"number": "529.982.247-25", "type": "CPF"}, IdentityNumber("529.982.247-25", CPF)),
        ({"number": "1234", "type": "national_register"}, IdentityNumber("1234", NATIONAL)),
        ({"number": "1234", "type": "DNI"}, IdentityNumber("1234", IdentityNumberType.OTHER)),
        ({"number": "1234", "type": None}, IdentityNumber("1234", None)),
        ({"number": "", "type": "CPF"}, None),
        (None, None),
    ],
)
def test_an_identity_is_read_with_an_unknown_type_as_other(
    raw: object, read: IdentityNumber | None
) -> None:
    assert mapping.customer_from_profile("1", {"identity": raw}).identity == read


def test_an_identity_is_written_on_create_beside_the_names_and_on_patch_whole() -> None:
    identity = IdentityNumber(" 529.982.247-25 ", CPF)
    draft = CustomerDraft(first_name="A", last_name="B", identity=identity)
    body = mapping.create_body(draft)
    assert body["identity_number"] == {"number": "529.982.247-25", "type": "CPF"}
    assert set(body["identity"]) == {"first_name", "last_name"}
    assert mapping.patch_body(CustomerPatch(identity=identity)) == {
        "identity": {"number": "529.982.247-25", "type": "CPF"}
    }
    assert mapping.patch_body(CustomerPatch(identity=None)) == {"identity": None}
    assert "identity" not in mapping.patch_body(CustomerPatch(first_name="C"))
    assert "529" not in repr(draft) and "529" not in repr(CustomerPatch(identity=identity))


@pytest.mark.parametrize(
    ("identity", "field"),
    [
        (IdentityNumber("1234", IdentityNumberType.OTHER), "identity.type"),
        (IdentityNumber("1234", None), "identity.type"),
        (IdentityNumber("  ", CPF), "identity.number"),
    ],
)
def test_an_identity_club_med_cannot_hold_is_refused(identity: IdentityNumber, field: str) -> None:
    with pytest.raises(UpstreamBadRequest) as refused:
        mapping.patch_body(CustomerPatch(identity=identity))
    assert refused.value.field == field
    with pytest.raises(UpstreamBadRequest):
        mapping.create_body(CustomerDraft(first_name="A", last_name="B", identity=identity))


def test_a_travelers_contact_details_and_identity_read_and_written() -> None:
    raw = {
        "id": "traveler-2",
        "first_name": "Jane",
        "last_name": "Doe",
        "birthdate": "19870625",
        "email": "jane@example.com",
        "phones": [{"number": "0623456789", "type": "MOBILE"}, {"number": "01", "type": "FAX"}],
        "civility": "MRS",
        "address": {"number": "12", "street": "Rue X", "city": "Paris", "country_code": "fr"},
        "identity": {"number": "AB123", "type": "ID_NUMBER"},
        "optins": [],
    }
    jane = travel.traveler_from("42", raw)
    assert (jane.email, jane.civility) == ("jane@example.com", "MRS")
    assert jane.phones == (Phone("0623456789", PhoneType.MOBILE), Phone("01", PhoneType.OTHER))
    assert jane.address == Address("12 Rue X", city="Paris", country_code="FR")
    assert jane.identity == IdentityNumber("AB123", IdentityNumberType.ID_NUMBER)
    for secret in ("jane@example.com", "0623456789", "Rue X", "AB123"):
        assert secret not in repr(jane)
    bare = travel.traveler_from("42", {"id": "traveler-1", "first_name": "Jane"})
    assert (bare.email, bare.phones, bare.address, bare.civility, bare.identity) == (
        None,
        (),
        None,
        None,
        None,
    )
    draft = TravelerDraft(
        "Jane",
        "Doe",
        email="jane@example.com",
        phones=(Phone("+33 6-12 34 56 78", None),),
        address=Address("1 rue de la Paix", city="Paris", postal_code="75002", country_code="FR"),
        civility="MRS",
        identity=IdentityNumber("AB123", IdentityNumberType.ID_NUMBER),
    )
    assert travel.traveler_body(draft) == {
        "first_name": "Jane",
        "last_name": "Doe",
        "email": "jane@example.com",
        "phones": [{"number": "+33 612 34 56 78", "type": "OTHER"}],
        "civility": "MRS",
        "address": {
            "street": "1 rue de la Paix",
            "city": "Paris",
            "zip_code": "75002",
            "country_code": "FR",
        },
        "identity": {"number": "AB123", "type": "ID_NUMBER"},
    }
    assert travel.traveler_body(TravelerDraft("Jane", "Doe")) == {
        "first_name": "Jane",
        "last_name": "Doe",
    }
