"""`capabilities` say what the adapter does: each one declared works, each one absent is
refused as Unsupported before anything is sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from adapters.base import Capability
from adapters.errors import InvalidCredentials
from adapters.model import CustomerFilter, CustomerPatch, PageRequest
from adapters.relationships import LoginType, PasswordLogin
from tests.adapters.contract.conftest import AdapterUnderTest

pytestmark = pytest.mark.anyio

Probe = Callable[[], Awaitable[object]]


def _probes(contract_adapter: AdapterUnderTest, customer_id: str) -> dict[Capability, Probe]:
    """One call per capability that is an operation, on the seed or `customer_id`."""
    adapter, seed = contract_adapter.adapter, contract_adapter.seed
    smiths = CustomerFilter(last_name=seed.last_name)
    return {
        Capability.SEARCH: lambda: adapter.search(smiths, PageRequest()),
        Capability.READ: lambda: adapter.get_customer(seed.native_id),
        Capability.CREATE: lambda: adapter.create_customer(contract_adapter.draft()),
        Capability.UPDATE: lambda: adapter.update_customer(
            customer_id, CustomerPatch(first_name="P")
        ),
        Capability.TRAVELERS: lambda: adapter.list_travelers(seed.native_id),
        Capability.TRAVEL_DOCUMENTS: lambda: adapter.list_travel_documents(seed.native_id),
        Capability.RELATIONSHIPS: lambda: adapter.list_purchases(seed.native_id, PageRequest()),
        Capability.CREDENTIALS: lambda: _refused(
            adapter.verify_credentials(PasswordLogin(LoginType.EMAIL, "nobody@example.com", "x"))
        ),
    }


async def _refused(call: Awaitable[object]) -> None:
    """A verification of wrong credentials, where the back end verifies them."""
    try:
        await call
    except InvalidCredentials:
        return
    raise AssertionError("wrong credentials were accepted")


@pytest.mark.parametrize(
    "capability", [c for c in Capability if c is not Capability.LOYALTY], ids=lambda c: c.name
)
async def test_a_capability_is_what_the_adapter_does(
    contract_adapter: AdapterUnderTest, capability: Capability
) -> None:
    created = await contract_adapter.create()
    probe = _probes(contract_adapter, created.native_id)[capability]
    if await contract_adapter.lacks(capability, probe):
        return
    await probe()


async def test_loyalty_is_read_where_it_is_a_capability(
    contract_adapter: AdapterUnderTest,
) -> None:
    read = await contract_adapter.adapter.get_customer(contract_adapter.seed.native_id)
    assert "loyalty" in read.known_fields
    assert (read.loyalty is not None) is contract_adapter.adapter.supports(Capability.LOYALTY)
