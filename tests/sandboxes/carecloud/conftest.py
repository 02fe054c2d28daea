"""Helpers of the CareCloud sandbox tests (the adapter tests use them too): an authenticated
HTTP client on the sandbox, new customers."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandboxes import credentials
from tests.conftest import RunningSandbox

SEED_ID = "8ea6abece4cd0a4ded0a29f093"  # John Smith, the seed's listed customer
CREATED_SEED_ID = "8bababca29337fcfc92eaad8ab"
SEARCH_SEED_ID = "80c4d97a7136d98a90badb5128"  # Jakub B, card 2001990000016

_serial = itertools.count()


def unique(prefix: str) -> str:
    """A name no other test (nor the generated people) uses."""
    return f"{prefix}{next(_serial)}"


def new_email() -> str:
    return f"{unique('carecloud.contract')}@example.com"


def log_in(url: str, login: str = credentials.CARECLOUD_LOGIN) -> str:
    response = httpx.post(
        f"{url}/users/actions/login",
        json={
            "user_external_application_id": credentials.CARECLOUD_USER_EXTERNAL_APPLICATION_ID,
            "login": login,
            "password": credentials.CARECLOUD_PASSWORD,
        },
    )
    assert response.status_code == 200, response.text
    return str(response.json()["data"]["bearer_token"])


@pytest.fixture
def carecloud_token(carecloud_server: RunningSandbox) -> str:
    """A fresh token per test: some tests expire every token the sandbox issued."""
    return log_in(carecloud_server.url)


@pytest.fixture
def api(carecloud_token: str, carecloud_sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """A client of the sandbox with a valid bearer token; the login is not counted."""
    headers = {"Authorization": f"Bearer {carecloud_token}"}
    with httpx.Client(base_url=carecloud_sandbox.url, headers=headers) as client:
        yield client


def personal_information(**fields: Any) -> dict[str, Any]:
    info: dict[str, Any] = {
        "first_name": "Zoe",
        "last_name": unique("Contract"),
        "language_id": "en",
        "gender": 2,
        "birthdate": "1990-03-12",
    }
    info.update(fields)
    return {k: v for k, v in info.items() if v is not None}


def create(api: httpx.Client, info: dict[str, Any] | None = None, **body: Any) -> str:
    """POST a customer (a fresh email each time) and return its id."""
    payload: dict[str, Any] = {
        "customer": {"personal_information": info or personal_information(email=new_email())},
        "customer_source": {"customer_source_id": "8bd253a89059008f1d44aa"},
        "autologin": False,
    }
    payload.update(body)
    response = api.post("/customers", json=payload)
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["customer_id"])
