"""The loyalty summary asked for alone: the lists its fields need, no customer record."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.carecloud.adapter import CareCloudAdapter
from adapters.errors import UpstreamNotFound
from adapters.model import Loyalty, LoyaltyTier
from adapters.relationships import LoyaltyRequest
from tests.conftest import RunningSandbox
from tests.sandboxes.carecloud.conftest import SEARCH_SEED_ID, SEED_ID

pytestmark = pytest.mark.anyio
MISSING_ID = "ffffffffffffffffffffffffff"


def calls(sandbox: RunningSandbox) -> dict[str, int]:
    return {k: v for k, v in sandbox.app.counter.snapshot().items() if "/login" not in k}


async def test_the_whole_summary_is_what_a_profile_read_carries(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    profile = await adapter.get_customer(SEED_ID)
    carecloud_sandbox.app.counter.reset()
    (summary,) = await adapter.get_loyalties([LoyaltyRequest(SEED_ID)])
    assert summary == profile.loyalty
    assert calls(carecloud_sandbox) == {  # the status names are cached by the profile read
        "GET /customers/{customer_id}/cards": 1,
        "GET /customers/{customer_id}/points": 1,
        "GET /customers/{customer_id}/status-records": 1,
    }


async def test_only_the_lists_the_fields_need(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    await adapter.get_customer(SEED_ID)  # the status catalogue, fetched once per TTL
    carecloud_sandbox.app.counter.reset()
    status_only = LoyaltyRequest(SEED_ID, frozenset({"status", "renewal_date"}))
    points_only = LoyaltyRequest(SEARCH_SEED_ID, frozenset({"points"}))
    found = await adapter.get_loyalties([status_only, points_only, status_only])
    # previous_status comes from the same list: filled though not asked.
    assert found[0] == Loyalty(
        status="Gold",
        previous_status="Silver",
        renewal_date=date(2031, 12, 31),
        tier=LoyaltyTier.GOLD,
    )
    assert found[2] is found[0]
    # Jakub B has no point record: the summary is there, its points are None.
    assert found[1] == Loyalty()
    assert calls(carecloud_sandbox) == {
        "GET /customers/{customer_id}/status-records": 1,
        "GET /customers/{customer_id}/points": 1,
    }


async def test_an_unknown_customer_fails_alone(adapter: CareCloudAdapter) -> None:
    found = await adapter.get_loyalties([LoyaltyRequest(MISSING_ID), LoyaltyRequest(SEED_ID)])
    assert isinstance(found[0], UpstreamNotFound) and isinstance(found[1], Loyalty)
