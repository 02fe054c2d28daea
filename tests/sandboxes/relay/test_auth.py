"""Contract tests of the Relay sandbox's API key check, over loopback HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sandboxes.common import credentials
from tests.conftest import RunningSandbox
from tests.sandboxes.relay.conftest import (
    KEY,
    SEED_CCID,
    customer_url,
    load_body,
)

UNAUTHORIZED = {"message": "The API token does not have authorization to the requested resource"}


def _requests(url: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    """(method, URL template with {} for the client_id, body) of each route."""
    return [
        ("GET", url + f"/cdm/client/{{}}/customer/{SEED_CCID}", None),
        ("POST", url + "/cdm/client/{}/load-customer-record", load_body()),
    ]


@pytest.mark.parametrize(
    ("headers", "client_id"),
    [
        ({}, credentials.RELAY_CLIENT_ID),
        ({"xx-relay-api-key": "wrong-key"}, credentials.RELAY_CLIENT_ID),
        ({"xx-relay-api-key": ""}, credentials.RELAY_CLIENT_ID),
        (KEY, "another-client"),
    ],
    ids=["missing key", "wrong key", "empty key", "unknown client_id"],
)
def test_every_route_wants_the_key_and_its_client_id(
    relay_sandbox: RunningSandbox, headers: dict[str, str], client_id: str
) -> None:
    for method, template, body in _requests(relay_sandbox.url):
        response = httpx.request(method, template.format(client_id), headers=headers, json=body)
        assert response.status_code == 401, (method, response.text)
        assert response.json() == UNAUTHORIZED
    # Nothing was loaded by the refused POST.
    assert relay_sandbox.app.state.store.exists(SEED_CCID)


def test_the_key_header_is_case_insensitive_like_any_http_header(api: httpx.Client) -> None:
    response = api.get(
        customer_url(SEED_CCID), headers={"XX-Relay-API-Key": credentials.RELAY_API_KEY}
    )
    assert response.status_code == 200
