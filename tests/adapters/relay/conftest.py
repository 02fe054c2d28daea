"""Fixtures of the Relay adapter tests: the adapter on the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.model import Backend
from adapters.relay.adapter import RelayAdapter
from adapters.relay.client import RelayClient, RelaySettings
from adapters.upstream import Upstream
from sandboxes.common import credentials
from tests.adapters.conftest import upstream_for
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
async def upstream(relay_sandbox: RunningSandbox) -> AsyncIterator[Upstream]:
    async with upstream_for(Backend.RELAY, relay_sandbox.url) as upstream:
        yield upstream


@pytest.fixture
def adapter(upstream: Upstream) -> RelayAdapter:
    return RelayAdapter(RelayClient(upstream, settings()))
