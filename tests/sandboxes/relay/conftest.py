"""Helpers of the Relay sandbox tests (the adapter tests use them too): an HTTP client with
the API key, fresh ccids, customers and load bodies."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandboxes import credentials
from tests.conftest import RunningSandbox

SEED_CCID = "BAK-11984-007"  # Roger Harold Moore, the seed's example
CUSTOMER_ROUTE = "GET /cdm/client/{client_id}/customer/{ccid}"
LOAD_ROUTE = "POST /cdm/client/{client_id}/load-customer-record"
BASE = f"/cdm/client/{credentials.RELAY_CLIENT_ID}"
KEY = {"xx-relay-api-key": credentials.RELAY_API_KEY}

# The seed's "Retrieve Customer/Patient" example, as the doc writes it (country "USA" too).
SEED_EXAMPLE = {
    "ccid": "BAK-11984-007",
    "secondary_account_id": "ABC123",
    "first_name": "Roger",
    "middle_name": "Harold",
    "last_name": "Moore",
    "date_of_birth": "1954-12-01",
    "ssn_last4": "1234",
    "gender": "M",
    "addresses": [
        {
            "address1": "201 King of Prussia Road",
            "address2": "Suite 161",
            "city": "Radnor",
            "state_province": "PA",
            "postal_code": "19087",
            "country": "USA",
        }
    ],
    "notification_channels": [
        {
            "channel_type": "sms",
            "channel_addr": "6105551212",
            "consent_type": "written",
            "phone_type": "mobile",
        }
    ],
    "ext": {"member_since": "1999", "membership_level": "gold", "renewal_date": "05/01/2024"},
}

_serial = itertools.count()


def new_ccid(prefix: str = "TEST") -> str:
    """A ccid no other test (nor the generated people) uses."""
    return f"{prefix}-{next(_serial):05d}"


def customer_url(ccid: str) -> str:
    return f"{BASE}/customer/{ccid}"


def load_url() -> str:
    return f"{BASE}/load-customer-record"


def customer(**fields: Any) -> dict[str, Any]:
    """A valid customer object with every documented field; None drops a field."""
    values: dict[str, Any] = {
        "ccid": new_ccid(),
        "secondary_account_id": "S-1",
        "first_name": "Ada",
        "middle_name": "Byron",
        "last_name": "Lovelace",
        "date_of_birth": "1990-03-12",
        "ssn_last4": "0042",
        "gender": "F",
        "addresses": [
            {
                "address1": "1 Main Street",
                "address2": "Apt 2",
                "city": "Boston",
                "state_province": "MA",
                "postal_code": "02108",
                "country": "US",
            }
        ],
        "notification_channels": [
            {
                "channel_type": "sms",
                "channel_addr": "6175550100",
                "consent_type": "express",
                "phone_type": "mobile",
            }
        ],
        "ext": {"membership_level": "silver", "member_since": "2020"},
    }
    values.update(fields)
    return {k: v for k, v in values.items() if v is not None}


def load_body(record: dict[str, Any] | None = None, **body: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "product_group_id": credentials.RELAY_PRODUCT_GROUP_ID,
        "customer": record if record is not None else customer(),
    }
    payload.update(body)
    return payload


@pytest.fixture
def api(relay_sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """A client of the sandbox sending the right API key."""
    with httpx.Client(base_url=relay_sandbox.url, headers=KEY) as client:
        yield client
