"""Contract tests of the CareCloud sandbox's customer actions, over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import RunningSandbox
from tests.sandboxes.carecloud.conftest import (
    SEARCH_SEED_ID,
    SEED_ID,
    create,
    new_email,
    personal_information,
)

SEARCH = "/customers/actions/search-customers"
JAKUB = {
    "first_name": "Jakub",
    "last_name": "B",
    "birthdate": "1984-11-06",
    "card_number": "2001990000016",
}


def _reason(response: httpx.Response) -> tuple[str, str]:
    assert response.status_code == 400, response.text
    first = response.json()["error"]["error_data"]["invalid_params"][0]
    return first["name"], first["reason"]


def test_verify_credentials_by_email_and_by_card(
    api: httpx.Client, carecloud_sandbox: RunningSandbox
) -> None:
    email = new_email()
    customer_id = create(
        api, personal_information(email=email), password="Secret-Passw0rd", autologin=True
    )
    verify = "/customers/actions/verify-credentials"
    ok = api.post(
        verify, json={"login_type": "email", "login_value": email, "password": "Secret-Passw0rd"}
    )
    assert ok.status_code == 200 and ok.json()["data"] == {"customer_id": customer_id}
    wrong = api.post(
        verify, json={"login_type": "email", "login_value": email, "password": "Wrong-Passw0rd"}
    )
    assert wrong.status_code == 404
    # A generated customer given a password by PUT logs in with its card.
    store = carecloud_sandbox.app.state.store
    generated_id, person = store.generated_id(3), store.people[3]
    info = api.get(f"/customers/{generated_id}").json()["data"]["personal_information"]
    body = {"customer": {"personal_information": info}, "password": "Card-Passw0rd"}
    assert api.put(f"/customers/{generated_id}", json=body).status_code == 204
    card = {
        "login_type": "card",
        "login_value": f"2001{person.index:09d}",
        "password": "Card-Passw0rd",
    }
    assert api.post(verify, json=card).json()["data"] == {"customer_id": generated_id}
    assert api.post(verify, json={**card, "login_value": "2001999999999"}).status_code == 404
    assert _reason(api.post(verify, json={**card, "login_type": "phone"})) == (
        "login_type",
        "not_allowed_value",
    )
    assert _reason(api.post(verify, json={"login_type": "card", "login_value": "1"})) == (
        "password",
        "required",
    )


def test_verify_social_network_credentials_of_the_seed(api: httpx.Client) -> None:
    route = "/customers/actions/verify-social-network-credentials"
    body = {
        "social_network_credentials": {
            "social_network_id": "twitter",
            "social_network_token": "38e123j1jedu12d1jnjqwd",
        }
    }
    assert api.post(route, json=body).json()["data"] == {"customer_id": SEED_ID}
    unknown = {
        "social_network_credentials": {
            "social_network_id": "twitter",
            "social_network_token": "nope",
        }
    }
    assert api.post(route, json=unknown).status_code == 404
    assert _reason(api.post(route, json={})) == ("social_network_credentials", "required")
    partial = {"social_network_credentials": {"social_network_id": "twitter"}}
    assert _reason(api.post(route, json=partial)) == ("social_network_token", "required")


def test_search_customers_strict_finds_the_seed_example(api: httpx.Client) -> None:
    response = api.get(SEARCH, params={**JAKUB, "mode": "strict"})
    assert response.status_code == 200
    assert response.json() == {"data": {"strict": [{"customer_id": SEARCH_SEED_ID, "match": 100}]}}
    assert (
        api.get(SEARCH, params={**JAKUB, "first_name": "jakub"}).json()["data"]["strict"][0][
            "match"
        ]
        == 100
    )
    assert api.get(SEARCH, params={**JAKUB, "last_name": "C"}).json() == {"data": {"strict": []}}
    assert (
        api.get(SEARCH, params={**JAKUB, "card_number": "2001990000017"}).json()["data"]["strict"]
        == []
    )


@pytest.mark.parametrize("missing", ["first_name", "last_name", "birthdate", "card_number"])
def test_search_customers_requires_every_parameter(api: httpx.Client, missing: str) -> None:
    params = {k: v for k, v in JAKUB.items() if k != missing}
    assert _reason(api.get(SEARCH, params=params)) == (missing, "required")


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"mode": "fuzzy"}, ("mode", "not_allowed_value")),
        ({"birthdate": "06.11.1984"}, ("birthdate", "invalid_value_format")),
    ],
)
def test_search_customers_rejects_bad_values(
    api: httpx.Client, change: dict[str, str], expected: tuple[str, str]
) -> None:
    assert _reason(api.get(SEARCH, params={**JAKUB, **change})) == expected


def _auth_token(api: httpx.Client, **change: Any) -> httpx.Response:
    body = {
        "customer_id": SEED_ID,
        "external_application_id": "self_order_kiosk",
        "token_type": 1,
        **change,
    }
    return api.post("/customers/actions/auth-token", json=body)


def test_auth_token_then_verify_auth_token_once(api: httpx.Client) -> None:
    issued = _auth_token(api)
    assert issued.status_code == 200
    data = issued.json()["data"]
    assert len(data["authentication_token"]) == 6 and data["authentication_token"].isalnum()
    assert len(data["valid_to"]) == 19
    body = {
        "application_id": "self_order_kiosk",
        "token": data["authentication_token"],
        "token_request_id": data["token_request_id"],
    }
    verify = "/customers/actions/verify-auth-token"
    assert api.post(verify, json={**body, "application_id": "other"}).status_code == 404
    assert api.post(verify, json=body).json()["data"] == {"customer_id": SEED_ID}
    assert api.post(verify, json=body).status_code == 404  # one use
    assert _reason(api.post(verify, json={"token": "x"})) == ("application_id", "required")


def test_auth_token_numeric_type_and_errors(api: httpx.Client) -> None:
    assert _auth_token(api, token_type=2).json()["data"]["authentication_token"].isdigit()
    assert _reason(_auth_token(api, token_type=3)) == ("token_type", "not_allowed_value")
    assert _reason(_auth_token(api, token_type=None)) == ("token_type", "required")
    assert _auth_token(api, customer_id="ffffffffffffffffffffffffff").status_code == 404


def test_actions_are_post_or_get_only(api: httpx.Client) -> None:
    assert api.post(SEARCH, json={}).status_code == 405
    assert api.get("/customers/actions/verify-credentials").status_code == 405


EXAMPLE_ID = "09359095c5da43c7a78e11e710eabce49418715a6a"  # the seed's verify examples' answer


def test_the_seeds_verify_credentials_example(api: httpx.Client) -> None:
    """The seed's example request, as written, and the same with a wrong password."""
    example = {
        "login_type": "email",
        "login_value": "happy_customer@cortex.cz",
        "password": "password123_is_not_a_good_idea",
    }
    found = api.post("/customers/actions/verify-credentials", json=example)
    assert found.status_code == 200 and found.json() == {"data": {"customer_id": EXAMPLE_ID}}
    wrong = api.post(
        "/customers/actions/verify-credentials", json={**example, "password": "Not-It-123"}
    )
    assert wrong.status_code == 404
    assert wrong.json()["error"]["exception"] == "not_found_exception"
    assert "Not-It-123" not in wrong.text and "cortex" not in wrong.text


def test_the_seeds_verify_auth_token_example_lasts(api: httpx.Client) -> None:
    example = {
        "application_id": "self_order_kiosk",
        "token": "a78e11e774f7f",
        "token_request_id": "e11e7a7f7f610ea8e11e774",
    }
    verify = "/customers/actions/verify-auth-token"
    for _ in range(2):  # the example's token is not used up (seed.py)
        assert api.post(verify, json=example).json() == {"data": {"customer_id": EXAMPLE_ID}}
    wrong = api.post(verify, json={**example, "token": "a78e11e774f7e"})
    assert wrong.status_code == 404 and "a78e11e774f7e" not in wrong.text
