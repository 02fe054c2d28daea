"""search: windows of one result list, items that agree with a full read, and refusals
that `search_refusal` announces."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from adapters.base import Capability
from adapters.errors import Unsupported
from adapters.model import CUSTOMER_FIELDS, Backend, Customer, CustomerFilter, PageRequest
from tests.adapters.contract.backends import unique
from tests.adapters.contract.conftest import AdapterUnderTest

pytestmark = pytest.mark.anyio

POPULATION = 5
# Per back end: a last name POPULATION records share, made once (the sandboxes live for
# the session).
_populations: dict[Backend, str] = {}


async def _population(contract_adapter: AdapterUnderTest) -> str:
    backend = contract_adapter.backend
    if backend not in _populations:
        last_name = unique("Paging")
        await asyncio.gather(
            *(
                contract_adapter.create(first_name=f"P{'abcde'[n]}", last_name=last_name)
                for n in range(POPULATION)
            )
        )
        _populations[backend] = last_name
    return _populations[backend]


@pytest.mark.parametrize(
    "offset, limit", [(0, 2), (2, 2), (4, 2), (1, 3), (0, 5), (3, 10), (5, 2), (9, 1)]
)
async def test_search_windows(contract_adapter: AdapterUnderTest, offset: int, limit: int) -> None:
    adapter = contract_adapter.adapter
    smiths = CustomerFilter(last_name="Smith")
    if await contract_adapter.lacks(
        Capability.SEARCH, lambda: adapter.search(smiths, PageRequest())
    ):
        return
    last_name = await _population(contract_adapter)
    everyone = await adapter.search(CustomerFilter(last_name=last_name), PageRequest(0, 100))
    assert len(everyone.items) == POPULATION and everyone.total in (POPULATION, None)
    page = await adapter.search(CustomerFilter(last_name=last_name), PageRequest(offset, limit))
    assert page.items == everyone.items[offset : offset + limit]
    assert page.offset == offset and page.total in (POPULATION, None)
    assert page.has_more is (offset + limit < POPULATION)


async def test_a_search_item_agrees_with_the_full_read(contract_adapter: AdapterUnderTest) -> None:
    """Each field an item knows holds what a read holds; a field it does not know, nothing."""
    adapter, created = contract_adapter.adapter, await contract_adapter.create()
    mine = CustomerFilter(last_name=created.last_name)
    if await contract_adapter.lacks(Capability.SEARCH, lambda: adapter.search(mine, PageRequest())):
        return
    [item] = (await adapter.search(mine, PageRequest())).items
    assert item.native_id == created.native_id and item.known_fields <= CUSTOMER_FIELDS
    for name in item.known_fields:
        assert getattr(item, name) == getattr(created, name), name
    for name in CUSTOMER_FIELDS - item.known_fields:
        assert getattr(item, name) in (None, ()), name


def _filter_of(seed: Customer, criteria: tuple[str, ...]) -> CustomerFilter:
    """A filter of the seed's own values for `criteria` (its first phone's number)."""
    every = CustomerFilter(
        first_name=seed.first_name,
        last_name=seed.last_name,
        email=seed.email,
        phone=seed.phones[0].number if seed.phones else None,
        birthdate=seed.birthdate,
        membership_number=seed.membership_number,
    )
    return dataclasses.replace(every, **dict.fromkeys(every.criteria() - set(criteria)))


@pytest.mark.parametrize(
    "criteria",
    [
        ("first_name",),
        ("last_name",),
        ("email",),
        ("phone",),
        ("birthdate",),
        ("membership_number",),
        ("last_name", "membership_number"),
        ("first_name", "last_name", "birthdate"),
        ("first_name", "last_name", "birthdate", "membership_number"),
        ("first_name", "last_name", "email", "phone", "birthdate", "membership_number"),
    ],
    ids="+".join,
)
async def test_search_refusal_agrees_with_search(
    contract_adapter: AdapterUnderTest, criteria: tuple[str, ...]
) -> None:
    """What `search_refusal` refuses, `search` refuses unsent; what it does not, finds the seed."""
    adapter, seed = contract_adapter.adapter, contract_adapter.seed
    filter = _filter_of(seed, criteria)
    refusal = adapter.search_refusal(filter)
    if refusal is None:
        page = await adapter.search(filter, PageRequest(0, 100))
        assert seed.native_id in [c.native_id for c in page.items]
        return
    contract_adapter.reset()
    with pytest.raises(Unsupported):
        await adapter.search(filter, PageRequest())
    assert contract_adapter.sandbox.app.counter.snapshot() == {}


async def test_an_empty_filter_is_refused_unsent(contract_adapter: AdapterUnderTest) -> None:
    """A search needs a criterion: none would list a whole back end (CareCloud answers all)."""
    adapter = contract_adapter.adapter
    assert adapter.search_refusal(CustomerFilter()) is not None
    contract_adapter.reset()
    with pytest.raises(Unsupported):
        await adapter.search(CustomerFilter(), PageRequest())
    assert contract_adapter.sandbox.app.counter.snapshot() == {}
