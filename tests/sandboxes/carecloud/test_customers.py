"""Contract tests of the CareCloud sandbox's customer routes, over HTTP."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from sandboxes.carecloud.app import create_app
from sandboxes.common.config import SandboxConfig
from tests.conftest import RunningSandbox
from tests.sandboxes.carecloud.conftest import (
    CREATED_SEED_ID,
    SEED_ID,
    create,
    new_email,
    personal_information,
    unique,
)


def _customers(api: httpx.Client, **params: Any) -> dict[str, Any]:
    response = api.get("/customers", params=params)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    assert set(data) == {"customers", "total_items"}
    return data


def _invalid(response: httpx.Response) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["exception"] == "bad_request_exception"
    return [(p["name"], p["reason"]) for p in error["error_data"]["invalid_params"]]


def _generated(sandbox: RunningSandbox, slot: int = 7) -> tuple[str, Any]:
    store = sandbox.app.state.store
    return store.generated_id(slot), store.people[slot]


def test_seed_customer_reads_with_its_birthdate_typo_fixed(api: httpx.Client) -> None:
    response = api.get(f"/customers/{SEED_ID}")
    assert response.status_code == 200
    customer = response.json()["data"]
    assert customer["last_change"] == "2019-06-23 11:47:22" and customer["state"] == 1
    info = customer["personal_information"]
    assert (info["first_name"], info["last_name"], info["birthdate"]) == (
        "John",
        "Smith",
        "1985-02-12",
    )
    assert info["agreement"]["custom_agreements"] == [
        {"agreement_id": "custom_agreement_id", "agreement_value": 2}
    ]
    assert info["address"]["country_code"] == "cz"


def test_unknown_customer_is_404_naming_the_resource(api: httpx.Client) -> None:
    response = api.get("/customers/83a2efb32defb80a487ff")  # the seed's placeholder id
    assert response.status_code == 404
    assert response.json()["error"]["error_data"] == {
        "resource_name": "customers",
        "resource_id": "83a2efb32defb80a487ff",
    }


def test_generated_customers_are_written_the_carecloud_way(
    api: httpx.Client, carecloud_sandbox: RunningSandbox
) -> None:
    customer_id, person = _generated(carecloud_sandbox)
    assert re.fullmatch(r"[0-9a-f]{26}", customer_id)
    info = api.get(f"/customers/{customer_id}").json()["data"]["personal_information"]
    assert info["email"] == person.email.lower()
    assert info["phone"] == person.phone_international and info["phone"].isdigit()
    assert info["birthdate"] == person.birthdate.isoformat()
    assert info["gender"] == (2 if person.gender == "F" else 1)
    assert info["language_id"] == person.place.locale[:2]
    assert info["address"]["address1"] == person.street
    assert info["address"]["address2"] == str(person.street_number)
    assert info["address"]["country_code"] == person.place.country_code.lower()


def test_generation_is_deterministic() -> None:
    first = create_app(SandboxConfig(customers=20, seed=5)).app.state.store
    second = create_app(SandboxConfig(customers=20, seed=5)).app.state.store
    assert [first.record(s) for s in range(20)] == [second.record(s) for s in range(20)]
    other = create_app(SandboxConfig(customers=20, seed=6)).app.state.store
    assert first.generated_id(0) != other.generated_id(0)


def test_list_pages_with_count_offset_and_total_items(api: httpx.Client) -> None:
    everyone = _customers(api)
    assert len(everyone["customers"]) == 100  # the documented default count
    total = everyone["total_items"]
    assert total >= 303
    window = _customers(api, count=5, offset=3)
    assert [c["customer_id"] for c in window["customers"]] == [
        c["customer_id"] for c in everyone["customers"][3:8]
    ]
    assert window["total_items"] == total
    assert _customers(api, offset=total)["customers"] == []


@pytest.mark.parametrize("params", [{"count": 0}, {"offset": -1}, {"count": "many"}])
def test_bad_paging_is_400(api: httpx.Client, params: dict[str, Any]) -> None:
    reasons = _invalid(api.get("/customers", params=params))
    assert reasons[0][0] == next(iter(params))


def test_sort_by_a_first_level_field(api: httpx.Client) -> None:
    ids = [
        c["customer_id"]
        for c in _customers(api, sort_field="customer_id", sort_direction="DESC", count=1000)[
            "customers"
        ]
    ]
    assert ids == sorted(ids, reverse=True)
    changes = [
        c["last_change"] for c in _customers(api, sort_field="last_change", count=50)["customers"]
    ]
    assert changes == sorted(changes)
    assert _invalid(api.get("/customers", params={"sort_field": "email"})) == [
        ("sort_field", "not_allowed_value")
    ]
    assert _invalid(api.get("/customers", params={"sort_direction": "UP"})) == [
        ("sort_direction", "not_allowed_value")
    ]


def test_filters_match_as_carecloud_documents(
    api: httpx.Client, carecloud_sandbox: RunningSandbox
) -> None:
    customer_id, person = _generated(carecloud_sandbox, 11)

    def ids(**params: Any) -> list[str]:
        return [c["customer_id"] for c in _customers(api, count=1000, **params)["customers"]]

    assert customer_id in ids(last_name=person.last_name.upper())  # names: case-insensitive
    assert customer_id not in ids(last_name=person.last_name[:-1])  # ...but exact
    assert ids(email=person.email.upper()) == [customer_id]
    assert ids(phone=person.phone_international) == [customer_id]
    assert ids(phone="+" + person.phone_international) == []  # digits, no "+"
    assert customer_id in ids(birthdate=person.birthdate.isoformat())
    assert customer_id in ids(birthdate=person.birthdate.strftime("%d.%m.%Y"))
    both = ids(
        first_name=person.first_name,
        last_name=person.last_name,
        birthdate=person.birthdate.isoformat(),
    )
    assert both == [customer_id]
    assert ids(first_name=person.first_name, email="nobody@example.com") == []  # ANDed
    assert set(ids(**{"email_list[]": [person.email, "happy_customer@crmcarecloud.com"]})) == {
        customer_id,
        SEED_ID,
    }
    assert ids(**{"customer_ids[]": [SEED_ID, customer_id, "unknown"]}) == [customer_id, SEED_ID]
    source = "8fd73167342d06899c4c015320"
    assert SEED_ID in ids(customer_source_id=source)
    assert CREATED_SEED_ID not in ids(customer_source_id=source)


def test_bad_filters_are_400(api: httpx.Client) -> None:
    assert _invalid(api.get("/customers", params={"birthdate": "12/02/1985"})) == [
        ("birthdate", "invalid_value_format")
    ]
    too_many = {"customer_ids[]": [f"{n:026x}" for n in range(1001)]}
    assert _invalid(api.get("/customers", params=too_many)) == [
        ("customer_ids", "not_allowed_value")
    ]


def test_created_customer_is_found_and_read(api: httpx.Client) -> None:
    email = new_email()
    info = personal_information(
        email=email,
        phone="420111222333",
        address={"address1": "Národní", "city": "Praha", "country_code": "cz"},
    )
    customer_id = create(api, info)
    found = _customers(api, last_name=info["last_name"])
    assert [c["customer_id"] for c in found["customers"]] == [customer_id]
    stored = api.get(f"/customers/{customer_id}").json()["data"]
    assert stored["personal_information"] == info
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", stored["last_change"])
    assert _customers(api, email=email.upper())["total_items"] == 1


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"language_id": None}, ("language_id", "required")),
        ({"language_id": "english"}, ("language_id", "invalid_value_format")),
        ({"email": "not-an-email"}, ("email", "invalid_value_format")),
        ({"email": "Upper@Example.com"}, ("email", "invalid_value_format")),  # the spec's pattern
        ({"phone": "+420111222333"}, ("phone", "invalid_value_format")),
        ({"gender": 7}, ("gender", "not_allowed_value")),
        ({"birthdate": "985-02-12"}, ("birthdate", "invalid_value_format")),
        ({"address": {"country_code": "CZ"}}, ("country_code", "invalid_value_format")),
        (
            {"consents": [{"consent_id": "gtc", "consent_value": 3}]},
            ("consent_value", "not_allowed_value"),
        ),
    ],
)
def test_invalid_personal_information_is_400_naming_the_field(
    api: httpx.Client, change: dict[str, Any], expected: tuple[str, str]
) -> None:
    info = {**personal_information(), **change}
    body = {
        "customer": {"personal_information": info},
        "customer_source": {"customer_source_id": "s"},
        "autologin": False,
    }
    assert _invalid(api.post("/customers", json=body)) == [expected]


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            {"customer_source": {"customer_source_id": "s"}, "autologin": False},
            ("customer", "required"),
        ),
        ({"customer": {}, "autologin": False}, ("customer_source", "required")),
        (
            {"customer": {}, "customer_source": {}, "autologin": False},
            ("customer_source_id", "required"),
        ),
        (
            {"customer": {}, "customer_source": {"customer_source_id": "s"}},
            ("autologin", "required"),
        ),
        (
            {"customer": {}, "customer_source": {"customer_source_id": "s"}, "autologin": True},
            ("password", "required"),
        ),
        (
            {
                "customer": {},
                "customer_source": {"customer_source_id": "s"},
                "autologin": False,
                "password": "short1A",
            },
            ("password", "invalid_value_format"),
        ),
        (
            {
                "customer": {},
                "customer_source": {"customer_source_id": "s"},
                "autologin": False,
                "password": "Password123",
            },
            ("password", "not_allowed_value"),
        ),
    ],
)
def test_invalid_create_body_is_400(
    api: httpx.Client, body: dict[str, Any], expected: tuple[str, str]
) -> None:
    assert _invalid(api.post("/customers", json=body)) == [expected]


def test_a_taken_email_is_400_already_exists_never_409(api: httpx.Client) -> None:
    body = {
        "customer": {
            "personal_information": personal_information(email="happy_customer@crmcarecloud.com")
        },
        "customer_source": {"customer_source_id": "s"},
        "autologin": False,
    }
    response = api.post("/customers", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["error_data"]["invalid_params"][0]["reason"] == "already_exists"


def test_consents_win_over_the_deprecated_agreement(api: httpx.Client) -> None:
    info = personal_information(
        consents=[{"consent_id": "gtc", "consent_value": 1}],
        agreement={"agreement_gtc": 0},
    )
    stored = api.get(f"/customers/{create(api, info)}").json()["data"]["personal_information"]
    assert "agreement" not in stored
    assert [(c["consent_id"], c["consent_value"]) for c in stored["consents"]] == [("gtc", 1)]
    assert re.fullmatch(
        r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", stored["consents"][0]["last_change"]
    )


def test_put_replaces_the_whole_record_and_bumps_last_change(
    api: httpx.Client, carecloud_sandbox: RunningSandbox
) -> None:
    customer_id, person = _generated(carecloud_sandbox, 13)
    before = api.get(f"/customers/{customer_id}").json()["data"]
    info = {"first_name": "Renamed", "last_name": person.last_name, "language_id": "de"}
    response = api.put(
        f"/customers/{customer_id}", json={"customer": {"personal_information": info}}
    )
    assert response.status_code == 204 and response.content == b""
    after = api.get(f"/customers/{customer_id}").json()["data"]
    stored = after["personal_information"]
    # Omitted fields are gone; store_id "can only be updated, not removed".
    assert stored == {**info, "store_id": before["personal_information"]["store_id"]}
    assert after["last_change"] > before["last_change"]
    assert _customers(api, email=person.email)["total_items"] == 0  # the old email is gone
    assert customer_id in [
        c["customer_id"] for c in _customers(api, first_name="Renamed")["customers"]
    ]


def test_put_refuses_the_seed_form_without_customer(api: httpx.Client) -> None:
    customer_id = create(api)
    body = {"personal_information": personal_information()}  # the seed's PUT example
    assert _invalid(api.put(f"/customers/{customer_id}", json=body)) == [("customer", "required")]


def test_put_with_a_taken_email_is_400_already_exists(api: httpx.Client) -> None:
    customer_id = create(api)
    info = personal_information(email="happy_customer@crmcarecloud.com")
    response = api.put(
        f"/customers/{customer_id}", json={"customer": {"personal_information": info}}
    )
    assert _invalid(response) == [("email", "already_exists")]
    own = api.get(f"/customers/{customer_id}").json()["data"]["personal_information"]
    again = api.put(f"/customers/{customer_id}", json={"customer": {"personal_information": own}})
    assert again.status_code == 204  # its own email is not "taken"


def test_put_of_an_unknown_customer_is_404(api: httpx.Client) -> None:
    body = {"customer": {"personal_information": personal_information()}}
    assert api.put("/customers/ffffffffffffffffffffffffff", json=body).status_code == 404


def test_a_body_that_is_not_json_is_400(api: httpx.Client) -> None:
    response = api.post(
        "/customers", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert _invalid(response) == [("body", "invalid_value_format")]


def test_post_with_property_records_and_social_credentials(api: httpx.Client) -> None:
    token = unique("token")
    customer_id = create(
        api,
        property_records=[{"property_id": "is_biker", "property_value": True}],
        social_network_credentials={"social_network_id": "twitter", "social_network_token": token},
    )
    records = api.get(f"/customers/{customer_id}/property-records").json()["data"][
        "property_records"
    ]
    assert [(r["property_record_id"], r["property_value"]) for r in records] == [
        (f"is_biker:{customer_id}", True)
    ]
    body = {
        "social_network_credentials": {
            "social_network_id": "twitter",
            "social_network_token": token,
        }
    }
    verified = api.post("/customers/actions/verify-social-network-credentials", json=body)
    assert verified.json()["data"] == {"customer_id": customer_id}


def test_custom_agreements_are_kept_beside_consents(api: httpx.Client) -> None:
    info = personal_information(
        consents=[{"consent_id": "gtc", "consent_value": 1}],
        agreement={
            "agreement_gtc": 0,
            "custom_agreements": [{"agreement_id": "partner_offers", "agreement_value": 1}],
        },
    )
    stored = api.get(f"/customers/{create(api, info)}").json()["data"]["personal_information"]
    assert stored["agreement"] == {
        "custom_agreements": [{"agreement_id": "partner_offers", "agreement_value": 1}]
    }
    assert [(c["consent_id"], c["consent_value"]) for c in stored["consents"]] == [("gtc", 1)]
