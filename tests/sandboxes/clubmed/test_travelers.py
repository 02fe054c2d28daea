"""Contract tests of the travelers routes of the Club Med sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandboxes.common.people import person
from tests.conftest import TEST_SANDBOX_CONFIG, RunningSandbox
from tests.sandboxes.clubmed.conftest import SEED_ID, api_client, create_customer

TRAVELER_KEYS = {
    "id",
    "first_name",
    "last_name",
    "birthdate",
    "civility",
    "email",
    "phones",
    "optins",
    "birth_country_code",
    "identity",
    "address",
}
CONTACTS: dict[str, Any] = {
    "civility": "MRS",
    "email": "jane.doe@example.com",
    "phones": [{"number": "+33 6 12 34 56 78", "type": "MOBILE"}],
    "address": {
        "street": "1 rue de la Paix",
        "city": "Paris",
        "zip_code": "75002",
        "country_code": "FR",
    },
    "identity": {"number": "FRAB1234567", "type": "ID_NUMBER"},
}


@pytest.fixture
def api(clubmed_sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with api_client(clubmed_sandbox) as http:
        yield http


@pytest.fixture
def customer(api: httpx.Client) -> str:
    return str(create_customer(api)["id"])


def _travelers(api: httpx.Client, customer_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/v1/customers/{customer_id}/travelers")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def test_the_seed_traveler(api: httpx.Client) -> None:
    travelers = _travelers(api, SEED_ID)
    assert travelers[0]["id"] == "traveler-1"
    assert (travelers[0]["first_name"], travelers[0]["last_name"]) == ("Jane", "Doe")
    assert set(travelers[0]) == TRAVELER_KEYS
    # The seed shows id and names only: the rest is empty.
    assert {k: travelers[0][k] for k in ("civility", "email", "phones", "address", "identity")} == {
        "civility": None,
        "email": None,
        "phones": [],
        "address": None,
        "identity": None,
    }


def test_generated_travelers_are_the_persons_companions(api: httpx.Client) -> None:
    index = next(
        i for i in range(300) if len(person(TEST_SANDBOX_CONFIG.seed, i).companions()) >= 2
    )
    companions = person(TEST_SANDBOX_CONFIG.seed, index).companions()
    travelers = _travelers(api, str(200_000_000 + index))
    assert [(t["id"], t["first_name"], t["last_name"], t["birthdate"]) for t in travelers] == [
        (f"traveler-{n}", c.first_name, c.last_name, c.birthdate.strftime("%Y%m%d"))
        for n, c in enumerate(companions, start=1)
    ]


def test_generated_travelers_carry_their_companions_contact_details(api: httpx.Client) -> None:
    """The generator's email, mobile (national form) and identity number; the address of
    the person they travel with where they live together."""
    seen = {"email": 0, "phones": 0, "address": 0, "identity": 0}
    for index in range(60):
        holder = person(TEST_SANDBOX_CONFIG.seed, index)
        travelers = _travelers(api, str(200_000_000 + index))
        for traveler, companion in zip(travelers, holder.companions(), strict=True):
            assert set(traveler) == TRAVELER_KEYS
            assert traveler["email"] == companion.email
            phone = companion.phone_national
            assert traveler["phones"] == (
                [{"number": "0" + phone, "type": "MOBILE"}] if phone else []
            )
            held = companion.national_id
            assert traveler["identity"] == (
                None if held is None else {"number": held.number, "type": held.kind}
            )
            address = traveler["address"]
            if companion.lives_with_holder:
                assert (address["city"], address["country_code"]) == (
                    holder.place.city,
                    holder.place.country_code,
                )
            else:
                assert address is None
            for key in seen:
                seen[key] += bool(traveler[key])
    assert all(seen.values()), seen


def test_generated_contact_details_are_unlike_any_customers() -> None:
    customers = [person(TEST_SANDBOX_CONFIG.seed, i) for i in range(400)]
    emails = {p.email for p in customers}
    phones = {p.phone_national for p in customers}
    for holder in customers:
        for companion in holder.companions():
            assert companion.email not in emails
            assert companion.phone_national not in phones


@pytest.mark.parametrize("birthdate", ["1990-03-12", "19900312"])
def test_create_a_traveler_answers_200_and_reads_back_yyyymmdd(
    api: httpx.Client, customer: str, birthdate: str
) -> None:
    body = {"first_name": "Jane", "last_name": "Doe", "birthdate": birthdate}
    response = api.post(f"/v1/customers/{customer}/travelers", json=body)
    assert response.status_code == 200
    created = response.json()
    assert set(created) == TRAVELER_KEYS
    assert created["id"] == "traveler-1"
    assert (created["first_name"], created["last_name"], created["birthdate"]) == (
        "Jane",
        "Doe",
        "19900312",
    )
    assert _travelers(api, customer) == [created]


def test_create_a_traveler_with_contact_details(api: httpx.Client, customer: str) -> None:
    body = {"first_name": "Jane", "last_name": "Doe", **CONTACTS}
    response = api.post(f"/v1/customers/{customer}/travelers", json=body)
    assert response.status_code == 200, response.text
    created = response.json()
    assert {k: created[k] for k in CONTACTS} == {
        **CONTACTS,
        "address": {k: CONTACTS["address"].get(k) for k in created["address"]},
    }
    assert created["address"]["add_on"] is None
    assert _travelers(api, customer) == [created]


def test_a_traveler_without_birthdate(api: httpx.Client, customer: str) -> None:
    response = api.post(
        f"/v1/customers/{customer}/travelers", json={"first_name": "A", "last_name": "B"}
    )
    assert response.status_code == 200
    assert response.json()["birthdate"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"last_name": "Doe"}, "first_name"),
        ({"first_name": "Jane", "last_name": ""}, "last_name"),
        ({"first_name": "Jane", "last_name": "Doe", "birthdate": "12/03/1990"}, "birthdate"),
        ({"first_name": "Jane", "last_name": "Doe", "birthdate": "1990-02-30"}, "birthdate"),
        ({"first_name": "Jane", "last_name": "Doe", "birthdate": "2999-01-01"}, "birthdate"),
        ({"first_name": "Jane", "last_name": "Doe", "nickname": "JD"}, "nickname"),
        ({"first_name": "Jane", "last_name": "Doe", "email": "j@d"}, "email"),
        ({"first_name": "Jane", "last_name": "Doe", "civility": "X" * 11}, "civility"),
        (
            {"first_name": "Jane", "last_name": "Doe", "phones": [{"number": "x", "type": "HOME"}]},
            "phones[0].number",
        ),
        (
            {"first_name": "Jane", "last_name": "Doe", "address": {"city": "Paris"}},
            "address",
        ),
        (
            {"first_name": "Jane", "last_name": "Doe", "address": {"zipcode": "75002"}},
            "address.zipcode",
        ),
        (
            {"first_name": "Jane", "last_name": "Doe", "identity": {"number": "1", "type": "X"}},
            "identity.type",
        ),
        (
            {"first_name": "Jane", "last_name": "Doe", "identity": {"number": "1", "type": "CPF"}},
            "identity.number",
        ),
    ],
)
def test_create_a_traveler_checks_the_body(
    api: httpx.Client, customer: str, body: dict[str, Any], field: str
) -> None:
    response = api.post(f"/v1/customers/{customer}/travelers", json=body)
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_BODY"
    assert response.json()["field"] == field
    assert _travelers(api, customer) == []


def test_at_most_20_travelers(api: httpx.Client, customer: str) -> None:
    for n in range(20):
        body = {"first_name": f"T{n}", "last_name": "Doe"}
        assert api.post(f"/v1/customers/{customer}/travelers", json=body).status_code == 200
    refused = api.post(
        f"/v1/customers/{customer}/travelers", json={"first_name": "X", "last_name": "Y"}
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "INVALID_BODY"
    travelers = _travelers(api, customer)
    assert len(travelers) == 20
    assert travelers[-1]["id"] == "traveler-20"


def test_travelers_of_unknown_or_malformed_customers(api: httpx.Client) -> None:
    assert api.get("/v1/customers/999999999/travelers").status_code == 404
    assert api.get("/v1/customers/x1/travelers").status_code == 400
    body = {"first_name": "A", "last_name": "B"}
    assert api.post("/v1/customers/999999999/travelers", json=body).status_code == 404
