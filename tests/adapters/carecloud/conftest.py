"""Fixtures of the CareCloud adapter tests: the adapter on the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from adapters.carecloud.adapter import CareCloudAdapter
from adapters.carecloud.client import CareCloudSettings
from sandboxes.common import credentials
from tests.conftest import RunningSandbox

# A fresh login per test, as the sandbox tests have it.
from tests.sandboxes.carecloud.conftest import carecloud_token as carecloud_token


def settings(**overrides: Any) -> CareCloudSettings:
    values: dict[str, Any] = {
        "user_external_application_id": credentials.CARECLOUD_USER_EXTERNAL_APPLICATION_ID,
        "login": credentials.CARECLOUD_LOGIN,
        "password": credentials.CARECLOUD_PASSWORD,
    }
    values.update(overrides)
    return CareCloudSettings(**values)


@pytest.fixture
async def http(carecloud_sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=carecloud_sandbox.url, timeout=5) as client:
        yield client


@pytest.fixture
def adapter(http: httpx.AsyncClient) -> CareCloudAdapter:
    return CareCloudAdapter(http, settings())
