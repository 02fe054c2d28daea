"""Fixtures of the Relay adapter tests: the adapter on the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from adapters.relay.adapter import RelayAdapter
from adapters.relay.client import RelaySettings
from sandboxes.common import credentials
from tests.conftest import RunningSandbox


def settings(**overrides: Any) -> RelaySettings:
    values: dict[str, Any] = {
        "client_id": credentials.RELAY_CLIENT_ID,
        "api_key": credentials.RELAY_API_KEY,
        "product_group_id": credentials.RELAY_PRODUCT_GROUP_ID,
    }
    values.update(overrides)
    return RelaySettings(**values)


@pytest.fixture
async def http(relay_sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=relay_sandbox.url, timeout=5) as client:
        yield client


@pytest.fixture
def adapter(http: httpx.AsyncClient) -> RelayAdapter:
    return RelayAdapter(http, settings())
