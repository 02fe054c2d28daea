"""Contract tests of the v2 profile, POST /v1/customers and PATCH /v1/customers/{id}/profile."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandboxes.common.people import person
from tests.conftest import TEST_SANDBOX_CONFIG, RunningSandbox
from tests.sandboxes.clubmed.conftest import SEED_ID, api_client, create_customer, unique

PROFILE_KEYS = {
    "gm_number",
    "email",
    "gender",
    "civility",
    "first_name",
    "second_name",
    "third_name",
    "last_name",
    "birth_city",
    "birth_country_code",
    "birthdate",
    "birthday",
    "phones",
    "address",
    "identity",
    "loyalty_program",
    "locale",
    "language_code",
    "optins",
    "customer_type",
    "customer_status",
    "blacklisted",
    "_links",
}
ADDRESS_KEYS = {
    "number",
    "street",
    "add_on",
    "town",
    "city",
    "zip_code",
    "state_or_district",
    "country",
    "country_code",
    "additional_information_1",
    "additional_information_2",
}


@pytest.fixture
def api(clubmed_sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with api_client(clubmed_sandbox) as http:
        yield http


def _profile(api: httpx.Client, customer_id: str, **params: str) -> dict[str, Any]:
    response = api.get(f"/v2/customers/{customer_id}/profile", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _patch(api: httpx.Client, customer_id: str, body: Any) -> httpx.Response:
    return api.patch(f"/v1/customers/{customer_id}/profile", json=body)


def _assert_no_empty_string(value: Any) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _assert_no_empty_string(item)
    elif isinstance(value, list):
        for item in value:
            _assert_no_empty_string(item)
    else:
        assert value != ""


# --- GET /v2/customers/{id}/profile ------------------------------------------------------


def test_the_seed_profile(api: httpx.Client) -> None:
    body = _profile(api, SEED_ID)
    assert set(body) == PROFILE_KEYS
    assert body["gm_number"] == "123456789"
    assert (body["first_name"], body["second_name"], body["third_name"], body["last_name"]) == (
        "John",
        "James",
        "Edward",
        "Smith",
    )
    assert body["email"] == "john@h.fr"
    assert body["birth_city"] == "Paris"
    assert body["birthdate"] == body["birthday"] == "19800117"
    assert body["phones"] == [{"number": "0623456789", "type": "MOBILE"}]
    assert body["loyalty_program"]["status"] == "EXCLUDED"
    assert body["loyalty_program"]["points"] == 1200
    assert body["locale"] == "fr-FR"
    address = body["address"]
    assert set(address) == ADDRESS_KEYS
    assert (address["city"], address["zip_code"], address["country_code"]) == (
        "Aix-en-Provence",
        "75000",
        "FR",
    )
    assert address["street"] is None  # v2: empty is null, never ""
    assert body["identity"] is None  # the seed's profile shows none
    _assert_no_empty_string(body)


def test_a_generated_profile(api: httpx.Client) -> None:
    p = person(TEST_SANDBOX_CONFIG.seed, 42)
    body = _profile(api, str(200_000_042))
    assert body["gm_number"] == str(500_000_042)
    assert body["email"] == p.email
    assert body["gender"] == p.gender
    assert body["first_name"] == p.first_name
    assert body["second_name"] == p.middle_name
    assert body["third_name"] is None
    assert body["birthdate"] == p.birthdate.strftime("%Y%m%d")
    assert body["phones"] == [{"number": "0" + p.phone_national, "type": "MOBILE"}]
    assert body["address"]["city"] == p.place.city
    assert body["address"]["country_code"] == p.place.country_code
    assert body["address"]["country"] == p.place.country_name
    assert body["loyalty_program"]["points"] == p.loyalty_points
    assert body["locale"] == p.place.locale
    assert body["language_code"] == p.place.locale[:2].upper()
    held = p.national_id()
    expected = None if held is None else {"number": held.number, "type": held.kind}
    assert body["identity"] == expected
    _assert_no_empty_string(body)


def test_generated_profiles_hold_identity_numbers_as_their_compatriots_do(
    api: httpx.Client,
) -> None:
    """Brazilians a CPF (its check digits right), others an identity card's number or none."""
    seen = set()
    for index in range(60):
        identity = _profile(api, str(200_000_000 + index))["identity"]
        country = person(TEST_SANDBOX_CONFIG.seed, index).place.country_code
        if country == "BR":
            assert identity["type"] == "CPF"
            digits = [int(c) for c in identity["number"] if c.isdigit()]
            for length in (9, 10):
                total = sum(d * (length + 1 - i) for i, d in enumerate(digits[:length]))
                assert digits[length] == total * 10 % 11 % 10
        elif identity is not None:
            assert identity["type"] == "ID_NUMBER"
            assert identity["number"].startswith(country)
        seen.add(None if identity is None else identity["type"])
    assert seen == {None, "CPF", "ID_NUMBER"}


def test_date_format_y_m_d_dashes_the_dates(api: httpx.Client) -> None:
    body = _profile(api, SEED_ID, date_format="Y-m-d")
    assert body["birthdate"] == body["birthday"] == "1980-01-17"
    assert _profile(api, SEED_ID, date_format="Ymd")["birthdate"] == "19800117"
    response = api.get(f"/v2/customers/{SEED_ID}/profile", params={"date_format": "d/m/Y"})
    assert response.status_code == 400
    assert response.json()["field"] == "date_format"


def test_an_unknown_customer_is_404(api: httpx.Client) -> None:
    for customer_id in ("999999999", "199999999", "1", "0"):
        response = api.get(f"/v2/customers/{customer_id}/profile")
        assert response.status_code == 404
        assert response.json()["code"] == "NOT_FOUND"


@pytest.mark.parametrize("customer_id", ["abc", "12a", "-5", "１２３"])
def test_a_non_digit_customer_id_is_400(api: httpx.Client, customer_id: str) -> None:
    response = api.get(f"/v2/customers/{customer_id}/profile")
    assert response.status_code == 400
    assert response.json() == {
        "code": "INVALID_PARAMETER",
        "message": response.json()["message"],
        "field": "customer_id",
    }


# --- POST /v1/customers ------------------------------------------------------------------


def test_create_answers_201_with_the_seed_shape(api: httpx.Client) -> None:
    email = f"{unique('tom.')}@example.com"
    last = unique("Created")
    created = create_customer(
        api, email=email, identity={"first_name": "Tom", "last_name": last}, locale="en-US"
    )
    assert set(created) == {"id", "gm_number", "email", "identity", "locale"}
    assert created["id"].isdigit() and created["gm_number"].isdigit()
    assert created["email"] == email
    assert created["identity"] == {"first_name": "Tom", "last_name": last}
    assert created["locale"] == "en-US"


def test_a_created_customer_shows_in_search_and_profile(api: httpx.Client) -> None:
    email = f"{unique('jo.')}@example.com"
    identity = {
        "first_name": "Jo",
        "last_name": unique("Fresh"),
        "second_name": "Kim",
        "birthdate": "19910203",
        "gender": "F",
        "civility": "MS",
    }
    created = create_customer(api, email=email, identity=identity, birth_city="Nice")
    found = api.get("/v1/customers", params={"filter": f"email=={email}"})
    assert [c["id"] for c in found.json()] == [created["id"]]
    assert found.json()[0]["loyalty_program"] == {"status": "NONE", "points": 0}
    body = _profile(api, created["id"])
    assert body["gm_number"] == created["gm_number"]
    assert (body["first_name"], body["second_name"], body["last_name"]) == (
        "Jo",
        "Kim",
        identity["last_name"],
    )
    assert (body["birthdate"], body["gender"], body["civility"]) == ("19910203", "F", "MS")
    assert body["birth_city"] == "Nice"
    assert body["phones"] == [{"number": "+33 6 12 34 56 78", "type": "MOBILE"}]
    assert body["address"]["city"] == "Lyon"
    assert body["address"]["street"] is None
    assert body["loyalty_program"]["status"] == "NONE"
    assert body["loyalty_program"]["points"] == 0
    assert body["customer_status"] == "PROSPECT"
    _assert_no_empty_string(body)


def test_create_takes_an_identity_number_beside_the_names(api: httpx.Client) -> None:
    number = {"number": "529.982.247-25", "type": "CPF"}
    created = create_customer(api, identity_number=number)
    assert "identity_number" not in created
    assert _profile(api, created["id"])["identity"] == number
    assert _profile(api, create_customer(api)["id"])["identity"] is None


def test_created_customers_get_distinct_ids_and_gm_numbers(api: httpx.Client) -> None:
    first, second = create_customer(api), create_customer(api)
    assert first["id"] != second["id"]
    assert first["gm_number"] != second["gm_number"]
    assert int(second["id"]) > int(first["id"])


@pytest.mark.parametrize(
    ("identity", "field"),
    [
        ({"last_name": "Doe"}, "identity.first_name"),
        ({"first_name": "Jane"}, "identity.last_name"),
        ({"first_name": "", "last_name": "Doe"}, "identity.first_name"),
        ({"first_name": "Jane", "last_name": None}, "identity.last_name"),
        ({"first_name": "J" * 51, "last_name": "Doe"}, "identity.first_name"),
        ({"first_name": "Jane", "last_name": "Doe", "gender": "X"}, "identity.gender"),
        (
            {"first_name": "Jane", "last_name": "Doe", "birthdate": "1990-03-12"},
            "identity.birthdate",
        ),
        ({"first_name": "Jane", "last_name": "Doe", "birthdate": "19900230"}, "identity.birthdate"),
        ({"first_name": "Jane", "last_name": "Doe", "birthdate": "29990101"}, "identity.birthdate"),
        ({"first_name": "Jane", "last_name": "Doe", "nickname": "JD"}, "identity.nickname"),
    ],
)
def test_create_checks_the_identity(
    api: httpx.Client, identity: dict[str, Any], field: str
) -> None:
    response = api.post("/v1/customers", json={"identity": identity})
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_BODY"
    assert response.json()["field"] == field


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"phones": [{"number": "abc", "type": "MOBILE"}]}, "phones[0].number"),
        ({"phones": [{"number": "0612345678", "type": "PAGER"}]}, "phones[0].type"),
        ({"phones": "0612345678"}, "phones"),
        ({"locale": "english"}, "locale"),
        ({"gm_number": "1"}, "gm_number"),
        ({"identity": "Jane Doe"}, "identity"),
        ({"identity_number": "123"}, "identity_number"),
        ({"identity_number": {"number": "123", "type": "CPF"}}, "identity_number.number"),
        ({"identity_number": {"number": "20-123-9", "type": "CUIL"}}, "identity_number.number"),
        ({"identity_number": {"number": "#1", "type": "ID_NUMBER"}}, "identity_number.number"),
        ({"identity_number": {"number": "AB1", "type": "PASSPORT"}}, "identity_number.type"),
        ({"identity_number": {"number": "AB1"}}, "identity_number.type"),
        ({"identity_number": {"number": "AB1", "type": "ID_NUMBER", "x": 1}}, "identity_number.x"),
        (
            {"address": {"city": "Lyon", "zipcode": "69002", "country_code": "FR"}},
            "address.zipcode",
        ),
    ],
)
def test_create_checks_the_other_fields(
    api: httpx.Client, extra: dict[str, Any], field: str
) -> None:
    body = {"identity": {"first_name": "Jane", "last_name": "Doe"}, **extra}
    response = api.post("/v1/customers", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_BODY"
    assert response.json()["field"] == field


def test_a_body_that_is_not_a_json_object_is_400(api: httpx.Client) -> None:
    for content in (b"[1, 2]", b"{not json"):
        response = api.post(
            "/v1/customers", content=content, headers={"content-type": "application/json"}
        )
        assert response.status_code == 400
        assert response.json()["field"] == "body"


def test_an_email_already_taken_is_400_already_exists(api: httpx.Client) -> None:
    response = api.post(
        "/v1/customers",
        json={"email": "JOHN@h.fr", "identity": {"first_name": "J", "last_name": "S"}},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "ALREADY_EXISTS"
    assert response.json()["field"] == "email"
    assert "john@h.fr" not in response.text.lower()


@pytest.mark.parametrize(
    "address",
    [
        {"city": "Lyon", "zip_code": "69002"},
        {"city": "Lyon", "zip_code": "69002", "country_code": "fr"},
        {"city": "Lyon", "zip_code": "69002", "country_code": "FRA"},
        {"city": "", "zip_code": "69002", "country_code": "FR"},
        {"city": "Lyon", "country_code": "FR"},
    ],
)
def test_address_validation_unless_forced(api: httpx.Client, address: dict[str, Any]) -> None:
    body = {"identity": {"first_name": "Al", "last_name": unique("Addr")}, "address": address}
    refused = api.post("/v1/customers", json=body)
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "INVALID_BODY",
        "message": refused.json()["message"],
        "field": "address",
    }
    assert api.post("/v1/customers?force_address=false", json=body).status_code == 400
    forced = api.post("/v1/customers?force_address=true", json=body)
    assert forced.status_code == 201
    stored = _profile(api, forced.json()["id"])["address"]
    assert stored["city"] == (address.get("city") or None)
    assert stored["country_code"] == address.get("country_code")


def test_force_address_must_be_a_boolean(api: httpx.Client) -> None:
    body = {"identity": {"first_name": "Al", "last_name": "B"}}
    response = api.post("/v1/customers?force_address=yes", json=body)
    assert response.status_code == 400
    assert response.json()["field"] == "force_address"


# --- PATCH /v1/customers/{id}/profile ----------------------------------------------------


@pytest.fixture
def customer(api: httpx.Client) -> str:
    created = create_customer(
        api,
        identity={
            "first_name": "Pat",
            "last_name": unique("Patch"),
            "second_name": "Lee",
            "birthdate": "19850505",
            "gender": "M",
            "civility": "MR",
        },
        birth_city="Lyon",
        address={
            "number": "3",
            "street": "Rue X",
            "city": "Lyon",
            "zip_code": "69002",
            "country_code": "FR",
        },
    )
    return str(created["id"])


def test_patch_answers_204_with_an_empty_body(api: httpx.Client, customer: str) -> None:
    response = _patch(api, customer, {"civility": "DR"})
    assert response.status_code == 204
    assert response.content == b""
    assert _profile(api, customer)["civility"] == "DR"


def test_patch_keeps_absent_fields(api: httpx.Client, customer: str) -> None:
    before = _profile(api, customer)
    assert _patch(api, customer, {"first_name": "Patrick"}).status_code == 204
    after = _profile(api, customer)
    assert after["first_name"] == "Patrick"
    assert {k: v for k, v in after.items() if k != "first_name"} == {
        k: v for k, v in before.items() if k != "first_name"
    }
    assert _patch(api, customer, {}).status_code == 204
    assert _profile(api, customer) == after


@pytest.mark.parametrize("empty", [None, ""])
def test_patch_null_or_empty_string_clears(api: httpx.Client, customer: str, empty: Any) -> None:
    body = {"second_name": empty, "birth_city": empty, "birthdate": empty, "phones": empty}
    assert _patch(api, customer, body).status_code == 204
    after = _profile(api, customer)
    assert after["second_name"] is None
    assert after["birth_city"] is None
    assert after["birthdate"] is None and after["birthday"] is None
    assert after["phones"] == []
    _assert_no_empty_string(after)


def test_patch_replaces_the_identity_whole_and_null_clears_it(
    api: httpx.Client, customer: str
) -> None:
    first = {"number": "20-12345678-9", "type": "CUIL"}
    assert _patch(api, customer, {"identity": first}).status_code == 204
    assert _profile(api, customer)["identity"] == first
    assert _patch(api, customer, {"first_name": "Kept"}).status_code == 204
    assert _profile(api, customer)["identity"] == first
    refused = _patch(api, customer, {"identity": {"number": "X1"}})
    assert (refused.status_code, refused.json()["field"]) == (400, "identity.type")
    assert _patch(api, customer, {"identity": None}).status_code == 204
    assert _profile(api, customer)["identity"] is None


def test_patch_replaces_phones_and_checks_values(api: httpx.Client, customer: str) -> None:
    phones = [
        {"number": "0700000001", "type": "HOME"},
        {"number": "+420 777 123 456", "type": "WORK"},
    ]
    assert _patch(api, customer, {"phones": phones}).status_code == 204
    assert _profile(api, customer)["phones"] == phones
    found = api.get("/v1/customers", params={"filter": 'phones.number=="+420 777 123 456"'})
    assert customer in [c["id"] for c in found.json()]
    for body, field in (
        ({"email": "x@"}, "email"),
        ({"gender": "male"}, "gender"),
        ({"birthdate": "1985-05-05"}, "birthdate"),
        ({"birth_country_code": "France"}, "birth_country_code"),
        ({"phones": [{"number": "12", "type": "HOME"}]}, "phones[0].number"),
    ):
        response = _patch(api, customer, body)
        assert response.status_code == 400, body
        assert response.json()["field"] == field


def test_patch_address_key_by_key(api: httpx.Client, customer: str) -> None:
    body = {"address": {"street": "Rue Y", "number": None, "add_on": "Bât. B", "town": ""}}
    assert _patch(api, customer, body).status_code == 204
    address = _profile(api, customer)["address"]
    assert address["street"] == "Rue Y"
    assert address["number"] is None
    assert address["add_on"] == "Bât. B"
    assert address["town"] is None
    assert (address["city"], address["zip_code"], address["country_code"]) == (
        "Lyon",
        "69002",
        "FR",
    )
    # No address validation on PATCH: removing the city is allowed.
    assert _patch(api, customer, {"address": {"city": None}}).status_code == 204
    assert _profile(api, customer)["address"]["city"] is None
    assert _patch(api, customer, {"address": None}).status_code == 204
    assert _profile(api, customer)["address"] is None
    assert _patch(api, customer, {"address": {"city": "Nice"}}).status_code == 204
    assert _profile(api, customer)["address"]["city"] == "Nice"
    assert _profile(api, customer)["address"]["street"] is None


@pytest.mark.parametrize(
    "key", ["gm_number", "loyalty_program", "id", "birthday", "customer_status", "nickname"]
)
def test_patch_of_a_read_only_or_unknown_key_is_400(
    api: httpx.Client, customer: str, key: str
) -> None:
    response = _patch(api, customer, {key: "1", "civility": "MR"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "INVALID_BODY",
        "message": response.json()["message"],
        "field": key,
    }


@pytest.mark.parametrize("key", ["first_name", "last_name"])
@pytest.mark.parametrize("empty", [None, ""])
def test_patch_cannot_clear_a_required_name(
    api: httpx.Client, customer: str, key: str, empty: Any
) -> None:
    response = _patch(api, customer, {key: empty})
    assert response.status_code == 400
    assert response.json()["field"] == key
    assert _profile(api, customer)[key]


def test_a_refused_patch_changes_nothing(api: httpx.Client, customer: str) -> None:
    before = _profile(api, customer)
    response = _patch(api, customer, {"civility": "XX", "second_name": None, "gender": "Q"})
    assert response.status_code == 400
    assert _profile(api, customer) == before


def test_patch_email_to_a_taken_one_is_400_and_to_its_own_is_204(
    api: httpx.Client, customer: str
) -> None:
    taken = _patch(api, customer, {"email": "john@h.fr"})
    assert taken.status_code == 400
    assert taken.json()["code"] == "ALREADY_EXISTS"
    new = f"{unique('moved.')}@example.com"
    assert _patch(api, customer, {"email": new}).status_code == 204
    assert _patch(api, customer, {"email": new.upper()}).status_code == 204
    found = api.get("/v1/customers", params={"filter": f"email=={new}"})
    assert [c["id"] for c in found.json()] == [customer]


def test_patched_names_are_searchable_and_old_ones_are_not(
    api: httpx.Client, customer: str
) -> None:
    old = _profile(api, customer)["last_name"]
    new = unique("Renamed")
    assert _patch(api, customer, {"last_name": new}).status_code == 204
    assert [
        c["id"] for c in api.get("/v1/customers", params={"filter": f"last_name=={new}"}).json()
    ] == [customer]
    assert api.get("/v1/customers", params={"filter": f"last_name=={old}"}).json() == []


def test_patch_of_an_unknown_or_malformed_customer(api: httpx.Client) -> None:
    assert _patch(api, "999999999", {"civility": "MR"}).status_code == 404
    assert _patch(api, "12ab", {"civility": "MR"}).status_code == 400
