"""get_customer and get_customers: every field the back end holds, one read per record."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.errors import UpstreamBadRequest, UpstreamError, UpstreamNotFound
from tests.adapters.contract.conftest import AdapterUnderTest

pytestmark = pytest.mark.anyio


async def test_the_seed_reads_as_the_back_end_holds_it(contract_adapter: AdapterUnderTest) -> None:
    seed = contract_adapter.seed
    read = await contract_adapter.adapter.get_customer(seed.native_id)
    assert read == seed  # every field and known_fields; dates as dates
    assert type(read.birthdate) is date


async def test_an_unknown_id_is_not_found(contract_adapter: AdapterUnderTest) -> None:
    with pytest.raises(UpstreamNotFound) as caught:
        await contract_adapter.adapter.get_customer(contract_adapter.facts.missing_id)
    error = caught.value
    assert (error.code, error.status, error.backend) == ("NOT_FOUND", 404, contract_adapter.backend)
    assert error.retryable is False


async def _read_routes(contract_adapter: AdapterUnderTest) -> set[str]:
    """The routes a read of the seed takes, and the count of a path no route matches."""
    await contract_adapter.adapter.get_customer(contract_adapter.seed.native_id)
    routes = set(contract_adapter.requests()) | {"GET <unmatched>"}
    contract_adapter.reset()
    return routes


@pytest.mark.parametrize(
    "native_id", ["../statuses", "../../v1/customers", "../load-customer-record", "a/b"]
)
async def test_an_id_holding_a_slash_is_not_found_on_no_other_route(
    contract_adapter: AdapterUnderTest, native_id: str
) -> None:
    """An id is one path segment: "/" in it reaches no other route."""
    routes = await _read_routes(contract_adapter)
    with pytest.raises(UpstreamNotFound):
        await contract_adapter.adapter.get_customer(native_id)
    assert set(contract_adapter.requests()) <= routes


@pytest.mark.parametrize("native_id", ["x?y=1", "a b", "%2e%2e"])
async def test_an_id_holding_a_query_reaches_no_other_route(
    contract_adapter: AdapterUnderTest, native_id: str
) -> None:
    """Nor does "?" add a query: the id is one the back end does not hold, or cannot."""
    routes = await _read_routes(contract_adapter)
    with pytest.raises((UpstreamNotFound, UpstreamBadRequest)):
        await contract_adapter.adapter.get_customer(native_id)
    assert set(contract_adapter.requests()) <= routes


async def test_get_customers_answers_each_id_in_its_place(
    contract_adapter: AdapterUnderTest,
) -> None:
    adapter, seed = contract_adapter.adapter, contract_adapter.seed
    created = await contract_adapter.create()
    missing = contract_adapter.facts.missing_id
    results = await adapter.get_customers(
        [seed.native_id, missing, created.native_id, seed.native_id]
    )
    assert results[0] == seed and results[2] == created
    assert isinstance(results[1], UpstreamNotFound) and results[1].code == "NOT_FOUND"
    assert results[3] is results[0]
    assert await adapter.get_customers([]) == []


async def test_get_customers_reads_each_distinct_id_once(
    contract_adapter: AdapterUnderTest,
) -> None:
    adapter = contract_adapter.adapter
    first, second = contract_adapter.seed.native_id, (await contract_adapter.create()).native_id
    await adapter.get_customers([first, second])  # credentials and catalogues fetched
    contract_adapter.reset()
    await adapter.get_customers([first, second])
    distinct = contract_adapter.requests()
    contract_adapter.reset()
    await adapter.get_customers([first, second, first, second, first])
    assert contract_adapter.requests() == distinct  # a repeated id costs nothing
    contract_adapter.reset()
    await adapter.get_customer(first)
    await adapter.get_customer(second)
    assert sum(distinct.values()) <= sum(contract_adapter.requests().values())


async def test_a_failed_id_does_not_fail_its_neighbours(
    contract_adapter: AdapterUnderTest,
) -> None:
    seed, created = contract_adapter.seed, await contract_adapter.create()
    contract_adapter.fault(
        error_rate=1.0, path_prefix=contract_adapter.facts.record_prefix(created.native_id)
    )
    results = await contract_adapter.adapter.get_customers([seed.native_id, created.native_id])
    assert results[0] == seed
    assert isinstance(results[1], UpstreamError) and results[1].code == "UPSTREAM_ERROR"
