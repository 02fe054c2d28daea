"""Contract tests of the Club Med sandbox's token endpoint, API key, bearer and issuer scope."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandboxes.common import credentials
from tests.conftest import RunningSandbox
from tests.sandboxes.clubmed.conftest import (
    GRANT,
    MAIN,
    PARTNER,
    SEED_ID,
    api_client,
    create_customer,
    token,
)


@pytest.fixture
def api(clubmed_sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    with api_client(clubmed_sandbox) as http:
        yield http


# --- POST /token -------------------------------------------------------------------------


def test_token_with_basic_client_auth(clubmed_sandbox: RunningSandbox) -> None:
    response = httpx.post(f"{clubmed_sandbox.url}/token", data=GRANT, auth=MAIN)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "openid pms"
    assert len(body["access_token"]) >= 32
    assert response.headers["cache-control"] == "no-store"


def test_token_with_client_credentials_in_the_form(clubmed_sandbox: RunningSandbox) -> None:
    form = {**GRANT, "client_id": MAIN[0], "client_secret": MAIN[1]}
    response = httpx.post(f"{clubmed_sandbox.url}/token", data=form)
    assert response.status_code == 200
    access = response.json()["access_token"]
    headers = {"authorization": f"Bearer {access}", "x-api-key": credentials.CLUBMED_API_KEY}
    search = httpx.get(
        f"{clubmed_sandbox.url}/v1/customers",
        params={"filter": "gm_number==123456789"},
        headers=headers,
    )
    assert search.status_code == 200
    assert [c["id"] for c in search.json()] == [SEED_ID]


def test_token_with_a_handmade_basic_header(clubmed_sandbox: RunningSandbox) -> None:
    raw = base64.b64encode(f"{MAIN[0]}:{MAIN[1]}".encode()).decode()
    response = httpx.post(
        f"{clubmed_sandbox.url}/token", data=GRANT, headers={"Authorization": f"Basic {raw}"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "auth",
    [(MAIN[0], "wrong-secret"), ("nobody", MAIN[1]), (PARTNER[0], MAIN[1])],
)
def test_token_with_wrong_client_credentials_is_401_invalid_client(
    clubmed_sandbox: RunningSandbox, auth: tuple[str, str]
) -> None:
    response = httpx.post(f"{clubmed_sandbox.url}/token", data=GRANT, auth=auth)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}
    assert response.headers["www-authenticate"].startswith("Basic")
    form = {**GRANT, "client_id": auth[0], "client_secret": auth[1]}
    assert httpx.post(f"{clubmed_sandbox.url}/token", data=form).status_code == 401


def test_token_without_any_client_credentials_is_401(clubmed_sandbox: RunningSandbox) -> None:
    response = httpx.post(f"{clubmed_sandbox.url}/token", data=GRANT)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}


def test_token_with_another_grant_type_is_400(clubmed_sandbox: RunningSandbox) -> None:
    form = {"grant_type": "password", "username": "x", "password": "y"}
    response = httpx.post(f"{clubmed_sandbox.url}/token", data=form, auth=MAIN)
    assert response.status_code == 400
    assert response.json() == {"error": "unsupported_grant_type"}


def test_token_without_grant_type_is_400_invalid_request(clubmed_sandbox: RunningSandbox) -> None:
    response = httpx.post(f"{clubmed_sandbox.url}/token", data={"scope": "pms"}, auth=MAIN)
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request"}


def test_token_with_both_client_auth_methods_is_400(clubmed_sandbox: RunningSandbox) -> None:
    form = {**GRANT, "client_id": MAIN[0], "client_secret": MAIN[1]}
    response = httpx.post(f"{clubmed_sandbox.url}/token", data=form, auth=MAIN)
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_request"}


def test_token_requests_are_counted(clubmed_sandbox: RunningSandbox) -> None:
    token(clubmed_sandbox.url)
    token(clubmed_sandbox.url, PARTNER)
    assert clubmed_sandbox.app.counter.snapshot() == {"POST /token": 2}


def test_expired_tokens_are_401(clubmed_sandbox: RunningSandbox) -> None:
    with api_client(clubmed_sandbox) as api:
        assert api.get(f"/v2/customers/{SEED_ID}/profile").status_code == 200
        clubmed_sandbox.app.state.tokens.expire_all()
        response = api.get(f"/v2/customers/{SEED_ID}/profile")
        assert response.status_code == 401
        assert response.json()["code"] == "UNAUTHORIZED"
        assert "expired" in response.json()["message"]
    with api_client(clubmed_sandbox) as fresh:  # a new token works again
        assert fresh.get(f"/v2/customers/{SEED_ID}/profile").status_code == 200


# --- x-api-key and bearer ----------------------------------------------------------------


@pytest.mark.parametrize("api_key", [None, "", "202601010000.other.clubmed.com"])
def test_a_missing_or_wrong_api_key_is_401(
    clubmed_sandbox: RunningSandbox, api_key: str | None
) -> None:
    headers = {"authorization": f"Bearer {token(clubmed_sandbox.url)}", "accept-language": "en"}
    if api_key is not None:
        headers["x-api-key"] = api_key
    for path in ("/v1/customers?filter=last_name==Smith", f"/v2/customers/{SEED_ID}/profile"):
        response = httpx.get(clubmed_sandbox.url + path, headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == "UNAUTHORIZED"
        assert set(response.json()) == {"code", "message"}


@pytest.mark.parametrize("authorization", [None, "Bearer", "Bearer not-a-token", "Basic abc"])
def test_a_missing_or_unknown_bearer_is_401(
    clubmed_sandbox: RunningSandbox, authorization: str | None
) -> None:
    headers = {"x-api-key": credentials.CLUBMED_API_KEY, "accept-language": "en-US"}
    if authorization is not None:
        headers["authorization"] = authorization
    response = httpx.get(f"{clubmed_sandbox.url}/v2/customers/{SEED_ID}/profile", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "UNAUTHORIZED"
    assert response.headers["www-authenticate"] == "Bearer"


# --- accept-language ---------------------------------------------------------------------


def _language_routes(customer_id: str) -> list[tuple[str, str, Any]]:
    base = f"/v1/customers/{customer_id}"
    return [
        ("GET", f"/v2/customers/{customer_id}/profile", None),
        ("POST", "/v1/customers", {"identity": {"first_name": "A", "last_name": "B"}}),
        ("PATCH", f"{base}/profile", {"civility": "MR"}),
        ("GET", f"{base}/travelers", None),
        ("POST", f"{base}/travelers", {"first_name": "A", "last_name": "B"}),
        ("GET", f"{base}/travel_documents", None),
        ("PATCH", f"{base}/travel_documents", {}),
    ]


def test_accept_language_is_required_except_on_search(clubmed_sandbox: RunningSandbox) -> None:
    with api_client(clubmed_sandbox, language=None) as api:
        for method, path, body in _language_routes(SEED_ID):
            response = api.request(method, path, json=body)
            assert response.status_code == 400, (method, path)
            assert response.json()["field"] == "accept-language"
            assert response.json()["code"] == "INVALID_PARAMETER"
        search = api.get("/v1/customers", params={"filter": f"gm_number=={SEED_ID}"})
        assert search.status_code == 200
        assert len(search.json()) == 1


@pytest.mark.parametrize("language", ["fr-FR,fr;q=0.9,en;q=0.8", "fr", "en-US"])
def test_accept_language_takes_tags_and_lists(
    clubmed_sandbox: RunningSandbox, language: str
) -> None:
    with api_client(clubmed_sandbox, language=language) as api:
        assert api.get(f"/v2/customers/{SEED_ID}/profile").status_code == 200


@pytest.mark.parametrize("language", ["*", "french!", "12-34", "en_US"])
def test_accept_language_that_is_not_a_tag_is_400(
    clubmed_sandbox: RunningSandbox, language: str
) -> None:
    with api_client(clubmed_sandbox, language=language) as api:
        response = api.get(f"/v2/customers/{SEED_ID}/profile")
        assert response.status_code == 400
        assert response.json()["field"] == "accept-language"


# --- issuer scope (the partner client) ---------------------------------------------------


def test_partner_gets_403_on_a_customer_it_did_not_create(clubmed_sandbox: RunningSandbox) -> None:
    with api_client(clubmed_sandbox, PARTNER) as partner:
        for method, path, body in _language_routes(SEED_ID):
            if path == "/v1/customers":
                continue
            response = partner.request(method, path, json=body)
            assert response.status_code == 403, (method, path)
            assert response.json()["code"] == "FORBIDDEN"
        assert partner.get("/v2/customers/200000001/profile").status_code == 403
        # An unknown customer stays a 404, a malformed id a 400.
        assert partner.get("/v2/customers/999999999/profile").status_code == 404
        assert partner.get("/v2/customers/abc/profile").status_code == 400


def test_partner_reads_and_writes_the_customers_it_created(clubmed_sandbox: RunningSandbox) -> None:
    with api_client(clubmed_sandbox, PARTNER) as partner:
        created = create_customer(partner)
        customer = created["id"]
        assert partner.get(f"/v2/customers/{customer}/profile").status_code == 200
        assert (
            partner.patch(f"/v1/customers/{customer}/profile", json={"civility": "MS"}).status_code
            == 204
        )
        assert partner.get(f"/v1/customers/{customer}/travelers").status_code == 200
        # Its searches see only its own customers: John Smith is not among them.
        found = partner.get(
            "/v1/customers", params={"filter": f"gm_number=={created['gm_number']}"}
        )
        assert [c["id"] for c in found.json()] == [customer]
        assert partner.get("/v1/customers", params={"filter": "gm_number==123456789"}).json() == []
    with api_client(clubmed_sandbox) as main:  # the main client sees every customer
        profile = main.get(f"/v2/customers/{customer}/profile")
        assert profile.status_code == 200
        assert profile.json()["civility"] == "MS"
