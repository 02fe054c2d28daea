"""The CareCloud adapter's related records against the sandbox over loopback HTTP: each
list, paging, NOT_FOUND, batches, and the property and interest records' writes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from adapters.carecloud.adapter import CareCloudAdapter
from adapters.errors import UpstreamBadRequest, UpstreamNotFound
from adapters.model import Backend, CustomerDraft, LoyaltyTier, Page, PageRequest
from adapters.relationships import (
    CustomerPage,
    InterestDraft,
    InterestPatch,
    PropertyDraft,
    PropertyPatch,
    RecordState,
)
from tests.conftest import RunningSandbox
from tests.sandboxes.carecloud.conftest import SEED_ID, new_email, unique

pytestmark = pytest.mark.anyio
MISSING_ID = "ffffffffffffffffffffffffff"


def calls(sandbox: RunningSandbox) -> dict[str, int]:
    """Requests per route since the last reset, the login left out."""
    return {k: v for k, v in sandbox.app.counter.snapshot().items() if "/login" not in k}


async def created_id(adapter: CareCloudAdapter) -> str:
    """A customer of the test's own, for the tests that write."""
    draft = CustomerDraft("Rita", unique("Related"), email=new_email())
    return (await adapter.create_customer(draft)).native_id


def generated_ids(sandbox: RunningSandbox, count: int) -> list[str]:
    store = sandbox.app.state.store
    return [store.generated_id(slot) for slot in range(count)]


async def test_the_seed_customers_loyalty_records(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    carecloud_sandbox.app.counter.reset()
    points = await adapter.list_point_records(SEED_ID, PageRequest())
    (point,) = points.items
    assert (point.native_id, point.available_points, point.assigned_points) == (
        "8bcd4f6d0e1432afc472632e1d",
        Decimal("1250.5"),
        Decimal("1500.0"),
    )
    assert (point.valid_to, point.created_at, point.state) == (
        date(2031, 12, 31),
        datetime(2019, 6, 23, 11, 47, 22),
        RecordState.ACTIVE,
    )
    assert (points.total, points.has_more, point.customer_native_id) == (1, False, SEED_ID)
    cards = await adapter.list_cards(SEED_ID, PageRequest())
    (card,) = cards.items
    assert (card.number, card.blocked, card.valid_from) == ("200120000290", False, date(2015, 3, 1))
    assert "200120000290" not in repr(card)
    sources = await adapter.list_customer_sources(SEED_ID, PageRequest())
    assert [(s.source_id, s.external_id) for s in sources.items] == [
        ("8fd73167342d06899c4c015320", "A798274529")
    ]
    assert calls(carecloud_sandbox) == {
        "GET /customers/{customer_id}/points": 1,
        "GET /customers/{customer_id}/cards": 1,
        "GET /customers/{customer_id}/customer-source-records": 1,
    }


async def test_status_records_page_and_carry_their_tier_name(adapter: CareCloudAdapter) -> None:
    first = await adapter.list_status_records(SEED_ID, PageRequest(0, 1))
    second = await adapter.list_status_records(SEED_ID, PageRequest(1, 1))
    assert (first.total, first.has_more, second.total, second.has_more) == (2, True, 2, False)
    assert [(r.status_name, r.tier) for r in (*first.items, *second.items)] == [
        ("Silver", LoyaltyTier.SILVER),
        ("Gold", LoyaltyTier.GOLD),
    ]
    assert second.items[0].valid_to == datetime(2031, 12, 31, 23, 59, 59)
    assert first.items[0].state is RecordState.INACTIVE


async def test_every_list_of_a_generated_customer(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    """Each route answers and is read (what each holds is the sandbox's generator's)."""
    customer_id = generated_ids(carecloud_sandbox, 1)[0]
    window = PageRequest(0, 50)
    for paged in (
        adapter.list_purchases,
        adapter.list_point_records,
        adapter.list_credits,
        adapter.list_vouchers,
        adapter.list_rewards,
        adapter.list_cards,
        adapter.list_status_records,
        adapter.list_recommendations,
        adapter.list_customer_sources,
    ):
        page = await paged(customer_id, window)
        assert page.total == len(page.items) and page.has_more is False
        for item in page.items:
            assert item.backend is Backend.CARECLOUD
            assert item.customer_native_id == customer_id
    (segment,) = await adapter.list_segments(customer_id)
    assert segment.created_at is not None
    assert isinstance(await adapter.list_properties(customer_id), list)
    assert isinstance(await adapter.list_interests(customer_id), list)


async def test_purchases_vouchers_and_rewards_are_typed(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    for customer_id in generated_ids(carecloud_sandbox, 20):
        purchases = await adapter.list_purchases(customer_id, PageRequest())
        vouchers = await adapter.list_vouchers(customer_id, PageRequest())
        if purchases.items and vouchers.items:
            break
    else:
        pytest.fail("no generated customer has both purchases and vouchers")
    purchase = purchases.items[0]
    assert isinstance(purchase.total_price, Decimal) and isinstance(purchase.paid_at, datetime)
    voucher = vouchers.items[0]
    assert voucher.reward_name and voucher.code and voucher.code not in repr(voucher)
    rewards = await adapter.list_rewards(customer_id, PageRequest())
    assert voucher.reward_native_id in {r.native_id for r in rewards.items}


async def test_an_unknown_customer_is_not_found(adapter: CareCloudAdapter) -> None:
    with pytest.raises(UpstreamNotFound):
        await adapter.list_purchases(MISSING_ID, PageRequest())
    with pytest.raises(UpstreamNotFound):
        await adapter.list_interests(MISSING_ID)


async def test_a_batch_asks_once_per_distinct_key_and_fails_only_its_own(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    """20 customers, two related lists: one call per customer and list, no more."""
    ids = generated_ids(carecloud_sandbox, 20)
    keys = [CustomerPage(i, PageRequest(0, 10)) for i in ids]
    carecloud_sandbox.app.counter.reset()
    points = await adapter.list_point_records_many([*keys, keys[0], CustomerPage(MISSING_ID)])
    segments = await adapter.list_segments_many([*ids, MISSING_ID])
    assert calls(carecloud_sandbox) == {
        "GET /customers/{customer_id}/points": 21,
        "GET /customers/{customer_id}/segment-records": 21,
    }
    assert all(isinstance(p, Page) for p in points[:21]) and points[20] is points[0]
    assert isinstance(points[21], UpstreamNotFound) and isinstance(segments[20], UpstreamNotFound)


async def test_property_records_are_added_patched_and_deleted(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    customer_id = await created_id(adapter)
    added = await adapter.add_property(customer_id, PropertyDraft("shoe_size", 44))
    assert (added.property_id, added.value, added.customer_native_id) == (
        "shoe_size",
        44,
        customer_id,
    )
    assert added in await adapter.list_properties(customer_id)
    carecloud_sandbox.app.counter.reset()
    kept = await adapter.update_property(customer_id, added.native_id, PropertyPatch())
    assert kept == added
    assert calls(carecloud_sandbox) == {"GET /customers/{customer_id}/property-records": 1}
    changed = await adapter.update_property(customer_id, added.native_id, PropertyPatch(value=45))
    assert (changed.native_id, changed.property_id, changed.value) == (
        added.native_id,
        "shoe_size",
        45,
    )
    cleared = await adapter.update_property(customer_id, added.native_id, PropertyPatch(value=None))
    assert cleared.value is None
    await adapter.delete_property(customer_id, added.native_id)
    assert added.native_id not in {p.native_id for p in await adapter.list_properties(customer_id)}
    with pytest.raises(UpstreamNotFound):
        await adapter.update_property(customer_id, added.native_id, PropertyPatch(value=1))
    with pytest.raises(UpstreamNotFound):
        await adapter.delete_property(customer_id, added.native_id)


async def test_interest_records_are_added_patched_and_deleted(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    customer_id = await created_id(adapter)
    added = await adapter.add_interest(customer_id, InterestDraft("81eaeea13b8984a169c490a325"))
    assert added.interest_id == "81eaeea13b8984a169c490a325"
    assert added in await adapter.list_interests(customer_id)
    assert await adapter.update_interest(customer_id, added.native_id, InterestPatch()) == added
    changed = await adapter.update_interest(
        customer_id, added.native_id, InterestPatch(interest_id="8bed991c68a470e7aaeffbf048")
    )
    assert (changed.native_id, changed.interest_id) == (
        added.native_id,
        "8bed991c68a470e7aaeffbf048",
    )
    carecloud_sandbox.app.counter.reset()
    with pytest.raises(UpstreamBadRequest) as refused:
        await adapter.update_interest(customer_id, added.native_id, InterestPatch(interest_id=None))
    assert refused.value.field == "interestId" and calls(carecloud_sandbox) == {}
    await adapter.delete_interest(customer_id, added.native_id)
    assert added.native_id not in {i.native_id for i in await adapter.list_interests(customer_id)}
    with pytest.raises(UpstreamNotFound):
        await adapter.update_interest(customer_id, added.native_id, InterestPatch(interest_id="x"))
    with pytest.raises(UpstreamNotFound):
        await adapter.delete_interest(customer_id, added.native_id)


async def test_the_seed_customers_other_records(adapter: CareCloudAdapter) -> None:
    """The CC-spec example values (docs/backends/carecloud.md#sources) John Smith holds, read into
    the model's types."""
    (purchase,) = (await adapter.list_purchases(SEED_ID, PageRequest())).items
    assert (purchase.total_price, purchase.paid_at, purchase.items_count) == (
        Decimal("60.51"),
        datetime(2012, 11, 22, 20, 57, 4),
        10,
    )
    assert (purchase.external_id, purchase.cashdesk_number) == ("2364", "2")
    (credit,) = (await adapter.list_credits(SEED_ID, PageRequest())).items
    assert (credit.assigned_credits, credit.available_credits, credit.valid_to) == (
        Decimal("1208.0"),
        Decimal("700.0"),
        None,
    )
    (voucher,) = (await adapter.list_vouchers(SEED_ID, PageRequest())).items
    (reward,) = (await adapter.list_rewards(SEED_ID, PageRequest())).items
    assert (voucher.reward_native_id, voucher.reward_name) == (reward.native_id, reward.name)
    assert (reward.points_cost, reward.automated) == (Decimal(100), False)
    (recommendation,) = (await adapter.list_recommendations(SEED_ID, PageRequest())).items
    assert recommendation.state is RecordState.ACTIVE and recommendation.picture_urls == ()
    (segment,) = await adapter.list_segments(SEED_ID)
    assert segment.changed_at == datetime(2019, 6, 23, 11, 47, 22)
    contact = next(p for p in await adapter.list_properties(SEED_ID) if p.name)
    assert (contact.property_id, contact.name, contact.value) == (
        "contact_person",
        "Project contact person",
        (),
    )
    (interest,) = await adapter.list_interests(SEED_ID)
    assert (interest.native_id, interest.interest_id) == (
        "87d934c86a6303f5fb4d1214fb",
        "81eaeea13b8984a169c490a325",
    )
