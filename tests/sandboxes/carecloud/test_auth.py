"""Contract tests of the CareCloud sandbox's auth, error body and OpenAPI document, over HTTP."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from sandboxes import credentials
from sandboxes.carecloud import KIOSK_LOGIN
from tests.conftest import RunningSandbox
from tests.sandboxes.carecloud.conftest import SEED_ID, create, log_in, personal_information

LOGIN = {
    "user_external_application_id": credentials.CARECLOUD_USER_EXTERNAL_APPLICATION_ID,
    "login": credentials.CARECLOUD_LOGIN,
    "password": credentials.CARECLOUD_PASSWORD,
}


def _basic(login: str, password: str, hour: datetime) -> str:
    """The legacy scheme, written from docs/backends/carecloud.md#auth (not from the sandbox's
    code)."""
    md5 = hashlib.md5(password.encode()).hexdigest()
    secret = hashlib.sha256((md5 + hour.strftime("%Y%m%d%H")).encode()).hexdigest()
    return "Basic " + base64.b64encode(f"{login}:{secret}".encode()).decode()


def test_login_issues_a_bearer_token_valid_for_the_configured_lifetime(
    carecloud_sandbox: RunningSandbox,
) -> None:
    before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    response = httpx.post(f"{carecloud_sandbox.url}/users/actions/login", json=LOGIN)
    assert response.status_code == 200
    data = response.json()["data"]
    assert len(data["bearer_token"]) >= 32
    assert data["user"]["login"] == credentials.CARECLOUD_LOGIN
    valid_to = datetime.strptime(data["valid_to"], "%Y-%m-%d %H:%M:%S")
    ttl = timedelta(seconds=carecloud_sandbox.app.state.sessions.ttl_seconds)
    assert before + ttl - timedelta(seconds=1) <= valid_to <= before + ttl + timedelta(minutes=1)
    headers = {"Authorization": f"Bearer {data['bearer_token']}"}
    assert (
        httpx.get(f"{carecloud_sandbox.url}/customers/{SEED_ID}", headers=headers).status_code
        == 200
    )


@pytest.mark.parametrize(
    "change",
    [
        {"password": "wrong-Passw0rd"},
        {"login": "nobody"},
        {"user_external_application_id": "another-application"},
    ],
)
def test_login_with_wrong_credentials_is_401_in_carecloud_error_body(
    carecloud_sandbox: RunningSandbox, change: dict[str, str]
) -> None:
    response = httpx.post(f"{carecloud_sandbox.url}/users/actions/login", json={**LOGIN, **change})
    assert response.status_code == 401
    error = response.json()["error"]
    assert set(error) == {"type", "exception", "title", "detail", "error_data"}
    assert error["exception"] == "unauthorized_exception"
    assert credentials.CARECLOUD_PASSWORD not in response.text


def test_login_without_a_field_is_400_required(carecloud_sandbox: RunningSandbox) -> None:
    body = {k: v for k, v in LOGIN.items() if k != "login"}
    response = httpx.post(f"{carecloud_sandbox.url}/users/actions/login", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["error_data"]["invalid_params"][0] == {
        "name": "login",
        "reason": "required",
        "message": "The parameter login is required",
    }


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer not-a-token",
        "Token abc",
        "Basic !!!",
        _basic("sandbox-user", "wrong", datetime.now(UTC)),
    ],
)
def test_missing_or_wrong_credentials_are_401(
    carecloud_sandbox: RunningSandbox, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = httpx.get(f"{carecloud_sandbox.url}/customers", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["exception"] == "unauthorized_exception"


def test_an_expired_token_is_401(carecloud_sandbox: RunningSandbox) -> None:
    token = log_in(carecloud_sandbox.url)
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{carecloud_sandbox.url}/statuses", headers=headers).status_code == 200
    carecloud_sandbox.app.state.sessions.expire_all()
    response = httpx.get(f"{carecloud_sandbox.url}/statuses", headers=headers)
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["detail"]


@pytest.mark.parametrize("hours_ago, status", [(0, 200), (1, 200), (2, 401)])
def test_legacy_basic_accepts_the_current_and_previous_hour(
    carecloud_sandbox: RunningSandbox, hours_ago: int, status: int
) -> None:
    hour = datetime.now(UTC) - timedelta(hours=hours_ago)
    header = _basic(credentials.CARECLOUD_LOGIN, credentials.CARECLOUD_PASSWORD, hour)
    response = httpx.get(
        f"{carecloud_sandbox.url}/customers/{SEED_ID}", headers={"Authorization": header}
    )
    assert response.status_code == status


def test_the_kiosk_interface_reads_but_may_not_write_or_use_actions(
    carecloud_sandbox: RunningSandbox,
) -> None:
    headers = {"Authorization": f"Bearer {log_in(carecloud_sandbox.url, KIOSK_LOGIN)}"}
    with httpx.Client(base_url=carecloud_sandbox.url, headers=headers) as kiosk:
        assert kiosk.get(f"/customers/{SEED_ID}").status_code == 200
        assert kiosk.get(f"/customers/{SEED_ID}/cards").status_code == 200
        refused = [
            kiosk.post("/customers", json={}),
            kiosk.put(f"/customers/{SEED_ID}", json={}),
            kiosk.get("/customers/actions/search-customers"),
            kiosk.post(f"/customers/{SEED_ID}/interest-records", json={}),
        ]
    for response in refused:
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["type"] == "interface_not_allowed_exception"
        assert error["error_data"] == {"invalid_resource_name": "customers", "interface": "Kiosk"}


def test_created_customer_is_readable_with_basic_auth_too(
    api: httpx.Client, carecloud_sandbox: RunningSandbox
) -> None:
    customer_id = create(api, personal_information(first_name="Basic"))
    header = _basic(credentials.CARECLOUD_LOGIN, credentials.CARECLOUD_PASSWORD, datetime.now(UTC))
    response = httpx.get(
        f"{carecloud_sandbox.url}/customers/{customer_id}", headers={"Authorization": header}
    )
    assert response.json()["data"]["personal_information"]["first_name"] == "Basic"
