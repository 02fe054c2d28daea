"""The CareCloud sandbox answers as its OpenAPI document says: every operation called with a
realistic request, every answer (and every accepted request) validated against the document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandboxes import FaultSettings, credentials
from sandboxes.carecloud.auth import KIOSK_LOGIN
from tests.conftest import RunningSandbox
from tests.sandboxes.carecloud.conftest import SEARCH_SEED_ID, SEED_ID, new_email, unique
from tests.sandboxes.openapi_conformance import Conformance

# Generated customers whose every list is read: enough for each kind of record to be there and
# to be missing (credits, vouchers, recommendations, property and interest records...).
SWEEP = 20
LISTS = (
    "purchases",
    "points",
    "credits",
    "vouchers",
    "rewards",
    "cards",
    "segment-records",
    "status-records",
    "recommendation-records",
    "customer-source-records",
    "property-records",
    "interest-records",
)
SOCIAL = {"social_network_id": "twitter", "social_network_token": "38e123j1jedu12d1jnjqwd"}


@pytest.fixture
def conformance(carecloud_sandbox: RunningSandbox) -> Conformance:
    return Conformance(httpx.get(f"{carecloud_sandbox.url}/openapi.json").json())


def _log_in(checked: httpx.Client, login: str = credentials.CARECLOUD_LOGIN) -> str:
    body = {
        "user_external_application_id": credentials.CARECLOUD_USER_EXTERNAL_APPLICATION_ID,
        "login": login,
        "password": credentials.CARECLOUD_PASSWORD,
    }
    return str(_ok(checked.post("/users/actions/login", json=body))["bearer_token"])


@pytest.fixture
def checked(carecloud_sandbox: RunningSandbox, conformance: Conformance) -> Iterator[httpx.Client]:
    """A checked client, logged in through the checked login route."""
    with conformance.client(carecloud_sandbox.url) as http:
        http.headers["authorization"] = f"Bearer {_log_in(http)}"
        yield http


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()["data"] if response.content else None


def _personal_information(**fields: Any) -> dict[str, Any]:
    info = {
        "salutation": "Ms",
        "first_name": "Zoe",
        "last_name": unique("Schema"),
        "pre_nominals": "Dr.",
        "post_nominals": "PhD",
        "gender": 2,
        "birthdate": "1990-03-12",
        "email": new_email(),
        "phone": "420603123456",
        "language_id": "cs",
        "store_id": "8bed991c68a4",
        "address": {
            "address1": "Na Příkopě",
            "address2": "12",
            "address4": "",
            "zip": "11000",
            "city": "Praha",
            "country_code": "cz",
        },
        "consents": [
            {"consent_id": "gtc", "consent_value": 1},
            {"consent_id": "marketing_communication", "consent_value": 0},
        ],
        "agreement": {
            "custom_agreements": [{"agreement_id": "partner_offers", "agreement_value": 2}]
        },
    }
    info.update(fields)
    return info


def _customers(checked: httpx.Client) -> tuple[str, str]:
    """listCustomers, createCustomer, getCustomer, replaceCustomer: a new customer's id and
    email (its password is Schema-Passw0rd)."""
    info = _personal_information()
    body = {
        "customer": {"personal_information": info},
        "customer_source": {"customer_source_id": "8bd253a89059008f1d44aa", "external_id": "APP-7"},
        "password": "Schema-Passw0rd",
        "autologin": True,
        "property_records": [{"property_id": "shoe_size", "property_value": 38}],
    }
    customer_id = str(_ok(checked.post("/customers", json=body), 201)["customer_id"])
    read = _ok(checked.get(f"/customers/{customer_id}"))
    changed = {
        **read["personal_information"],
        "gender": None,
        "consents": [],
        "phone": "420603123457",
    }
    del changed["address"]
    replace = {
        "customer": {"personal_information": changed},
        "social_network_credentials": {
            "social_network_id": "facebook",
            "social_network_token": unique("fb-"),
        },
    }
    assert _ok(checked.put(f"/customers/{customer_id}", json=replace), 204) is None
    assert _ok(checked.get(f"/customers/{customer_id}"))["personal_information"]["gender"] is None
    listed = _ok(
        checked.get(
            "/customers",
            params={"count": 5, "offset": 1, "sort_field": "last_change", "sort_direction": "DESC"},
        )
    )
    assert len(listed["customers"]) == 5
    _ok(checked.get("/customers", params={"email": info["email"]}))
    _ok(
        checked.get("/customers", params={"customer_ids[]": [customer_id, SEED_ID, SEARCH_SEED_ID]})
    )
    _ok(
        checked.get(
            "/customers",
            params={"first_name": "John", "last_name": "Smith", "birthdate": "12.02.1985"},
        )
    )
    return customer_id, info["email"]


def _actions(checked: httpx.Client, customer_id: str, email: str) -> None:
    actions = "/customers/actions"
    login = {"login_type": "email", "login_value": email, "password": "Schema-Passw0rd"}
    assert _ok(checked.post(f"{actions}/verify-credentials", json=login)) == {
        "customer_id": customer_id
    }
    social = {"social_network_credentials": SOCIAL}
    assert _ok(checked.post(f"{actions}/verify-social-network-credentials", json=social)) == {
        "customer_id": SEED_ID
    }
    jakub = {
        "first_name": "Jakub",
        "last_name": "B",
        "birthdate": "1984-11-06",
        "card_number": "2001990000016",
        "mode": "strict",
    }
    assert _ok(checked.get(f"{actions}/search-customers", params=jakub))["strict"]
    assert _ok(checked.get(f"{actions}/search-customers", params={**jakub, "last_name": "C"})) == {
        "strict": []
    }
    request = {
        "customer_id": customer_id,
        "external_application_id": "self_order_kiosk",
        "token_type": 2,
    }
    token = _ok(checked.post(f"{actions}/auth-token", json=request))
    verify = {
        "application_id": "self_order_kiosk",
        "token": token["authentication_token"],
        "token_request_id": token["token_request_id"],
    }
    assert _ok(checked.post(f"{actions}/verify-auth-token", json=verify)) == {
        "customer_id": customer_id
    }


def _record_writes(checked: httpx.Client, customer_id: str) -> None:
    base = f"/customers/{customer_id}"
    source = {
        "customer_source_record": {
            "customer_source_id": "8fdd651ff3f615bcebebad87ce",
            "external_id": "POS-1",
        }
    }
    _ok(checked.post(f"{base}/customer-source-records", json=source), 201)
    _ok(
        checked.post(
            f"{base}/customer-source-records",
            json={"customer_source_record": {"customer_source_id": "8fd73167342d06899c4c015320"}},
        ),
        201,
    )
    prop = {"property_record": {"property_id": "favourite_colour", "property_value": "teal"}}
    record_id = _ok(checked.post(f"{base}/property-records", json=prop), 201)["property_record_id"]
    update = {"property_record": {"property_value": ["teal", "navy"]}}
    _ok(checked.put(f"{base}/property-records/{record_id}", json=update), 204)
    batch = {
        "property_records": [
            {"property_id": "pet", "property_value": {"kind": "cat"}},
            {"property_id": "newsletter", "property_value": None},
        ]
    }
    _ok(checked.post(f"{base}/property-records/batch", json=batch), 204)
    _ok(checked.get(f"{base}/property-records"))
    _ok(checked.delete(f"{base}/property-records/{record_id}"), 204)
    interest = {"interest_record": {"interest_id": "81eaeea13b8984a169c490a325"}}
    first = _ok(checked.post(f"{base}/interest-records", json=interest), 201)["interest_record_id"]
    _ok(checked.post(f"{base}/interest-records/", json=interest), 201)
    _ok(
        checked.put(
            f"{base}/interest-records/{first}", json={"interest_record": {"interest_id": "other"}}
        ),
        204,
    )
    assert len(_ok(checked.get(f"{base}/interest-records/"))["interest_records"]) == 2
    _ok(checked.delete(f"{base}/interest-records/{first}"), 204)


def test_every_operation_answers_as_documented(
    carecloud_sandbox: RunningSandbox, conformance: Conformance, checked: httpx.Client
) -> None:
    customer_id, email = _customers(checked)
    _actions(checked, customer_id, email)
    _record_writes(checked, customer_id)
    # Every list of the seed's customers (John Smith holds a record of each) and of
    # generated people, and the created customer's.
    store = carecloud_sandbox.app.state.store
    generated = [store.generated_id(slot) for slot in range(SWEEP)]
    for owner in [SEED_ID, SEARCH_SEED_ID, customer_id, *generated]:
        _ok(checked.get(f"/customers/{owner}"))
        for segment in LISTS:
            _ok(checked.get(f"/customers/{owner}/{segment}"))
    _ok(
        checked.get(
            f"/customers/{SEED_ID}/points",
            params={
                "count": 1,
                "offset": 0,
                "sort_field": "available_points",
                "sort_direction": "DESC",
            },
        )
    )
    _ok(
        checked.get(
            f"/customers/{SEED_ID}/vouchers", params={"is_valid": "true", "is_applied": "false"}
        )
    )
    _ok(checked.get(f"/customers/{SEED_ID}/cards", params={"card_number_list[]": ["200120000290"]}))
    statuses = _ok(checked.get("/statuses", params={"count": 10}))["statuses"]
    for status in statuses:
        _ok(checked.get(f"/statuses/{status['status_id']}"))
    assert conformance.exercised == conformance.operation_ids


def test_error_answers_are_documented(
    carecloud_sandbox: RunningSandbox, conformance: Conformance, checked: httpx.Client
) -> None:
    assert checked.get("/customers/ffffffffffffffffffffffffff").status_code == 404
    assert checked.get("/customers", params={"birthdate": "1985/02/12"}).status_code == 400
    taken = {
        "customer": {
            "personal_information": _personal_information(email="happy_customer@crmcarecloud.com")
        },
        "customer_source": {"customer_source_id": "x"},
        "autologin": False,
    }
    assert checked.post("/customers", json=taken).status_code == 400
    assert checked.get("/statuses", headers={"authorization": "Bearer nope"}).status_code == 401
    kiosk = {"authorization": f"Bearer {_log_in(checked, KIOSK_LOGIN)}"}
    assert checked.put(f"/customers/{SEED_ID}", json={}, headers=kiosk).status_code == 403
    carecloud_sandbox.app.faults.settings = FaultSettings(error_rate=1.0)
    assert checked.get("/statuses").status_code == 500
    assert conformance.exercised == {"logIn"}
