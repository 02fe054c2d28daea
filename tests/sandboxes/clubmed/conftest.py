"""Helpers of the Club Med sandbox tests: tokens, an API client, new customers."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from sandboxes import credentials
from tests.conftest import RunningSandbox

SEED_ID = "123456789"
MAIN = (credentials.CLUBMED_CLIENT_ID, credentials.CLUBMED_CLIENT_SECRET)
PARTNER = (credentials.CLUBMED_PARTNER_CLIENT_ID, credentials.CLUBMED_PARTNER_CLIENT_SECRET)
GRANT = {"grant_type": "client_credentials", "scope": "openid pms"}

_serial = itertools.count()


def unique(prefix: str) -> str:
    """A value no other test nor generated person uses (letters only after the prefix)."""
    n = next(_serial)
    letters = ""
    while True:
        n, digit = divmod(n, 26)
        letters += chr(ord("a") + digit)
        if n == 0:
            return f"{prefix}{letters}"


def token(url: str, client: tuple[str, str] = MAIN) -> str:
    response = httpx.post(f"{url}/token", data=GRANT, auth=client)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@contextmanager
def api_client(
    sandbox: RunningSandbox, client: tuple[str, str] = MAIN, language: str | None = "en-US"
) -> Iterator[httpx.Client]:
    """An httpx client with the API key, a fresh bearer and (unless None) accept-language."""
    headers = {
        "authorization": f"Bearer {token(sandbox.url, client)}",
        "x-api-key": credentials.CLUBMED_API_KEY,
    }
    if language is not None:
        headers["accept-language"] = language
    with httpx.Client(base_url=sandbox.url, headers=headers) as http:
        yield http


def create_customer(api: httpx.Client, **overrides: Any) -> dict[str, Any]:
    """POST a valid new customer (unique names and email); returns the 201 body."""
    body: dict[str, Any] = {
        "email": f"{unique('contract.')}@example.com",
        "identity": {"first_name": unique("Ann"), "last_name": unique("Contract")},
        "phones": [{"number": "+33 6 12 34 56 78", "type": "MOBILE"}],
        "address": {"city": "Lyon", "zip_code": "69002", "country_code": "FR"},
        "locale": "fr-FR",
    }
    body.update(overrides)
    response = api.post("/v1/customers", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created
