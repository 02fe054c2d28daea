"""create_customer and create_or_recover: the record read back, made once."""

from __future__ import annotations

import dataclasses

import pytest

from adapters.base import matches_draft
from adapters.errors import UpstreamBadRequest, UpstreamConflict
from tests.adapters.contract.conftest import AdapterUnderTest

pytestmark = pytest.mark.anyio


async def test_create_returns_the_record_read_back(contract_adapter: AdapterUnderTest) -> None:
    adapter, draft = contract_adapter.adapter, contract_adapter.draft()
    created = await adapter.create_customer(draft)
    assert created.backend is contract_adapter.backend and matches_draft(created, draft)
    assert (created.birthdate, created.gender, created.phones) == (
        draft.birthdate,
        draft.gender,
        draft.phones,
    )
    assert (created.addresses, created.locale) == ((draft.address,), draft.locale)
    assert created.known_fields == contract_adapter.seed.known_fields  # a read knows them all
    assert await adapter.get_customer(created.native_id) == created


async def test_the_native_id_comes_from_whoever_assigns_it(
    contract_adapter: AdapterUnderTest,
) -> None:
    """Required where the caller owns the id (Relay's ccid), refused where the back end does."""
    adapter, draft = contract_adapter.adapter, contract_adapter.draft()
    assert (draft.native_id is not None) is adapter.caller_assigns_id
    wrong = dataclasses.replace(draft, native_id=None if adapter.caller_assigns_id else "4242")
    with pytest.raises(UpstreamBadRequest) as caught:
        await adapter.create_customer(wrong)
    assert (caught.value.code, caught.value.field) == ("BAD_USER_INPUT", "nativeId")
    assert contract_adapter.sandbox.app.counter.snapshot() == {}
    created = await adapter.create_customer(draft)
    if adapter.caller_assigns_id:
        assert created.native_id == draft.native_id
    else:
        assert created.native_id, "the back end assigns one"


async def test_creating_a_record_twice_is_a_conflict_that_echoes_nothing(
    contract_adapter: AdapterUnderTest,
) -> None:
    """The second create of one draft finds its key taken (an email, or Relay's ccid)."""
    adapter, draft = contract_adapter.adapter, contract_adapter.draft()
    await adapter.create_customer(draft)
    with pytest.raises(UpstreamConflict) as caught:
        await adapter.create_customer(draft)
    error = caught.value
    assert (error.code, error.retryable) == ("CONFLICT", False)
    contract_adapter.assert_shows_nothing_of(
        error, draft.first_name, draft.last_name, draft.email, draft.native_id
    )


async def test_a_lost_create_answer_is_recovered_without_a_second_create(
    contract_adapter: AdapterUnderTest,
) -> None:
    facts, draft = contract_adapter.facts, contract_adapter.draft()
    contract_adapter.fault(drop_rate=1.0, methods=("POST",), path_prefix=facts.create_prefix)
    made = await contract_adapter.adapter.create_or_recover(draft)
    assert made.recovered is True and matches_draft(made.customer, draft)
    assert contract_adapter.requests()[facts.create_route] == 1
    contract_adapter.fault()
    assert await contract_adapter.adapter.get_customer(made.customer.native_id) == made.customer


async def test_a_create_whose_answer_came_is_not_recovered(
    contract_adapter: AdapterUnderTest,
) -> None:
    draft = contract_adapter.draft()
    made = await contract_adapter.adapter.create_or_recover(draft)
    assert made.recovered is False and matches_draft(made.customer, draft)
