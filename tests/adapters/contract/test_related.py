"""A customer's related records and credential checks: where the back end lacks them, every
method (and every batch, key by key) is UNSUPPORTED with nothing sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from adapters.base import Capability, CustomerAdapter
from adapters.errors import Unsupported
from adapters.model import PageRequest
from adapters.relationships import (
    AuthTokenLogin,
    CustomerPage,
    InterestDraft,
    InterestPatch,
    LoginType,
    LoyaltyRequest,
    PasswordLogin,
    PropertyDraft,
    PropertyPatch,
    SocialLogin,
)
from tests.adapters.contract.conftest import AdapterUnderTest

pytestmark = pytest.mark.anyio

Call = Callable[[CustomerAdapter, str], Awaitable[object]]
WINDOW = PageRequest(0, 5)

RELATED: dict[str, Call] = {
    "list_purchases": lambda a, c: a.list_purchases(c, WINDOW),
    "list_point_records": lambda a, c: a.list_point_records(c, WINDOW),
    "list_credits": lambda a, c: a.list_credits(c, WINDOW),
    "list_vouchers": lambda a, c: a.list_vouchers(c, WINDOW),
    "list_rewards": lambda a, c: a.list_rewards(c, WINDOW),
    "list_cards": lambda a, c: a.list_cards(c, WINDOW),
    "list_status_records": lambda a, c: a.list_status_records(c, WINDOW),
    "list_recommendations": lambda a, c: a.list_recommendations(c, WINDOW),
    "list_customer_sources": lambda a, c: a.list_customer_sources(c, WINDOW),
    "list_segments": lambda a, c: a.list_segments(c),
    "list_properties": lambda a, c: a.list_properties(c),
    "list_interests": lambda a, c: a.list_interests(c),
    "add_property": lambda a, c: a.add_property(c, PropertyDraft("p", 1)),
    "update_property": lambda a, c: a.update_property(c, "p", PropertyPatch(value=2)),
    "delete_property": lambda a, c: a.delete_property(c, "p"),
    "add_interest": lambda a, c: a.add_interest(c, InterestDraft("i")),
    "update_interest": lambda a, c: a.update_interest(c, "i", InterestPatch(interest_id="j")),
    "delete_interest": lambda a, c: a.delete_interest(c, "i"),
}
CREDENTIALS: dict[str, Call] = {
    "verify_credentials": lambda a, c: a.verify_credentials(
        PasswordLogin(LoginType.EMAIL, "a@example.com", "Secret-Passw0rd")
    ),
    "verify_social_credentials": lambda a, c: a.verify_social_credentials(
        SocialLogin("twitter", "secret-token")
    ),
    "verify_auth_token": lambda a, c: a.verify_auth_token(
        AuthTokenLogin("kiosk", "secret-token", "secret-request")
    ),
}
PAGED_BATCHES = (
    "list_purchases_many",
    "list_point_records_many",
    "list_credits_many",
    "list_vouchers_many",
    "list_rewards_many",
    "list_cards_many",
    "list_status_records_many",
    "list_recommendations_many",
    "list_customer_sources_many",
)
WHOLE_BATCHES = ("list_segments_many", "list_properties_many", "list_interests_many")


@pytest.mark.parametrize("method", [*RELATED, *CREDENTIALS])
async def test_a_method_is_unsupported_where_the_capability_is_absent(
    contract_adapter: AdapterUnderTest, method: str
) -> None:
    capability = Capability.RELATIONSHIPS if method in RELATED else Capability.CREDENTIALS
    call = {**RELATED, **CREDENTIALS}[method]
    adapter, seed = contract_adapter.adapter, contract_adapter.seed
    if not await contract_adapter.lacks(capability, lambda: call(adapter, seed.native_id)):
        return
    with pytest.raises(Unsupported) as refused:
        await call(adapter, seed.native_id)
    assert "secret" not in f"{refused.value} {refused.value!r}"


@pytest.mark.parametrize("method", [*PAGED_BATCHES, *WHOLE_BATCHES])
async def test_a_batch_answers_unsupported_key_by_key_with_nothing_sent(
    contract_adapter: AdapterUnderTest, method: str
) -> None:
    adapter, seed = contract_adapter.adapter, contract_adapter.seed
    if adapter.supports(Capability.RELATIONSHIPS):
        return  # the back end's own tests count its calls (carecloud/test_related.py)
    ids = [seed.native_id, contract_adapter.facts.missing_id, seed.native_id]
    keys: list[object] = [CustomerPage(i) for i in ids] if method in PAGED_BATCHES else list(ids)
    contract_adapter.reset()
    found = await getattr(adapter, method)(keys)
    assert [type(f) for f in found] == [Unsupported] * 3
    assert contract_adapter.sandbox.app.counter.snapshot() == {}


async def test_the_loyalty_summary_alone(contract_adapter: AdapterUnderTest) -> None:
    """What the profile carries, or UNSUPPORTED with nothing sent where there is no loyalty."""
    adapter, seed = contract_adapter.adapter, contract_adapter.seed
    request = LoyaltyRequest(seed.native_id)
    if not adapter.supports(Capability.LOYALTY):
        contract_adapter.reset()
        assert [type(f) for f in await adapter.get_loyalties([request])] == [Unsupported]
        assert contract_adapter.sandbox.app.counter.snapshot() == {}
        return
    profile = await adapter.get_customer(seed.native_id)
    assert await adapter.get_loyalties([request]) == [profile.loyalty]
