"""update_customer: a patch (KEEP keeps, None clears, an address key by key), read back."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from adapters.base import Capability
from adapters.model import AddressPatch, CustomerPatch
from tests.adapters.contract.conftest import AdapterUnderTest

pytestmark = pytest.mark.anyio


async def test_left_out_keeps_and_none_clears(contract_adapter: AdapterUnderTest) -> None:
    adapter, created = contract_adapter.adapter, await contract_adapter.create()
    clear = CustomerPatch(birthdate=None, gender=None, email=None, phones=None, address=None)
    if await contract_adapter.lacks(
        Capability.UPDATE, lambda: adapter.update_customer(created.native_id, clear)
    ):
        return
    cleared = await adapter.update_customer(created.native_id, clear)
    assert (cleared.birthdate, cleared.gender, cleared.email) == (None, None, None)
    assert (cleared.phones, cleared.addresses) == ((), ())
    assert (cleared.first_name, cleared.last_name, cleared.locale) == (
        created.first_name,
        created.last_name,
        created.locale,
    )
    renamed = await adapter.update_customer(created.native_id, CustomerPatch(first_name="Zed"))
    assert renamed == dataclasses.replace(cleared, first_name="Zed")
    assert await adapter.get_customer(created.native_id) == renamed


async def test_a_value_sets_and_the_rest_is_kept(contract_adapter: AdapterUnderTest) -> None:
    adapter, created = contract_adapter.adapter, await contract_adapter.create()
    patch = CustomerPatch(last_name="Patched", birthdate=date(1985, 12, 31))
    if await contract_adapter.lacks(
        Capability.UPDATE, lambda: adapter.update_customer(created.native_id, patch)
    ):
        return
    updated = await adapter.update_customer(created.native_id, patch)
    assert updated == dataclasses.replace(
        created, last_name="Patched", birthdate=date(1985, 12, 31)
    )


async def test_an_address_patch_changes_only_the_keys_it_names(
    contract_adapter: AdapterUnderTest,
) -> None:
    adapter, created = contract_adapter.adapter, await contract_adapter.create()
    patch = CustomerPatch(address=AddressPatch(city="Lyon", line2=None, postal_code="69001"))
    if await contract_adapter.lacks(
        Capability.UPDATE, lambda: adapter.update_customer(created.native_id, patch)
    ):
        return
    updated = await adapter.update_customer(created.native_id, patch)
    [before] = created.addresses
    moved = dataclasses.replace(before, city="Lyon", line2=None, postal_code="69001")
    assert updated == dataclasses.replace(created, addresses=(moved,))


async def test_an_empty_patch_writes_nothing(contract_adapter: AdapterUnderTest) -> None:
    adapter, created = contract_adapter.adapter, await contract_adapter.create()
    if await contract_adapter.lacks(
        Capability.UPDATE, lambda: adapter.update_customer(created.native_id, CustomerPatch())
    ):
        return
    assert await adapter.update_customer(created.native_id, CustomerPatch()) == created
    assert contract_adapter.writes() == {}
