"""Fixtures of the CareCloud adapter tests: the adapter on the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from adapters.carecloud.adapter import CareCloudAdapter
from adapters.carecloud.client import CareCloudClient, CareCloudSettings
from adapters.model import Backend
from adapters.upstream import Upstream
from sandboxes.common import credentials
from tests.adapters.conftest import upstream_for
from tests.conftest import RunningSandbox

# A fresh login per test, as the sandbox tests have it.
from tests.sandboxes.carecloud.conftest import carecloud_token as carecloud_token


def settings(**overrides: Any) -> CareCloudSettings:
    values: dict[str, Any] = {
        "application_id": credentials.CARECLOUD_USER_EXTERNAL_APPLICATION_ID,
        "login": credentials.CARECLOUD_LOGIN,
        "password": credentials.CARECLOUD_PASSWORD,
    }
    values.update(overrides)
    return CareCloudSettings(**values)


@pytest.fixture
async def http(carecloud_sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    """A plain client of the sandbox, for what a test sends around the adapter."""
    async with httpx.AsyncClient(base_url=carecloud_sandbox.url, timeout=5) as client:
        yield client


@pytest.fixture
async def upstream(carecloud_sandbox: RunningSandbox) -> AsyncIterator[Upstream]:
    async with upstream_for(Backend.CARECLOUD, carecloud_sandbox.url) as upstream:
        yield upstream


@pytest.fixture
def adapter(upstream: Upstream) -> CareCloudAdapter:
    return CareCloudAdapter(CareCloudClient(upstream, settings()))
