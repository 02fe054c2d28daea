"""Failures as the contract names them: one code each, `retryable` as documented, the back
end named, and no personal value of the request in what an error shows."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from adapters.base import Capability, CustomerAdapter
from adapters.errors import (
    UpstreamBadRequest,
    UpstreamError,
    UpstreamMalformed,
    UpstreamNotFound,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from adapters.model import (
    CustomerPatch,
    TravelDocumentPatch,
    TravelDocumentType,
    TravelerDraft,
)
from tests.adapters.contract.conftest import AdapterUnderTest, personal_values

pytestmark = pytest.mark.anyio

Operation = Callable[[CustomerAdapter, str], Awaitable[object]]
PASSPORT = TravelDocumentPatch(type=TravelDocumentType.PASSPORT, number="XX123456")

# Every operation on one customer, and the capability it needs.
OPERATIONS: dict[str, tuple[Capability, Operation]] = {
    "get_customer": (Capability.READ, lambda a, i: a.get_customer(i)),
    "update_customer": (
        Capability.UPDATE,
        lambda a, i: a.update_customer(i, CustomerPatch(first_name="X")),
    ),
    "list_travelers": (Capability.TRAVELERS, lambda a, i: a.list_travelers(i)),
    "add_traveler": (Capability.TRAVELERS, lambda a, i: a.add_traveler(i, TravelerDraft("A", "B"))),
    "list_travel_documents": (Capability.TRAVEL_DOCUMENTS, lambda a, i: a.list_travel_documents(i)),
    "update_travel_documents": (
        Capability.TRAVEL_DOCUMENTS,
        lambda a, i: a.update_travel_documents(i, [PASSPORT]),
    ),
}


@pytest.mark.parametrize("operation", OPERATIONS)
async def test_every_operation_on_a_missing_customer_is_not_found(
    contract_adapter: AdapterUnderTest, operation: str
) -> None:
    capability, call = OPERATIONS[operation]
    adapter, missing = contract_adapter.adapter, contract_adapter.facts.missing_id
    if await contract_adapter.lacks(capability, lambda: call(adapter, missing)):
        return
    with pytest.raises(UpstreamNotFound) as caught:
        await call(adapter, missing)
    error = caught.value
    assert (error.code, error.status, error.retryable) == ("NOT_FOUND", 404, False)
    contract_adapter.assert_shows_nothing_of(error, missing)


# A fault on every read, and what it must become: (fault, error class, code, retryable).
READ_FAULTS: dict[str, tuple[dict[str, Any], type[UpstreamError], str, bool]] = {
    "5xx": ({"error_rate": 1.0}, UpstreamError, "UPSTREAM_ERROR", True),
    "unreadable body": ({"malformed_rate": 1.0}, UpstreamMalformed, "UPSTREAM_ERROR", False),
    "dropped mid-body": ({"drop_rate": 1.0}, UpstreamError, "UPSTREAM_ERROR", True),
    "time-out": (
        {"hang_rate": 1.0, "hang_seconds": 1.0},
        UpstreamTimeout,
        "UPSTREAM_TIMEOUT",
        False,
    ),
}


@pytest.mark.parametrize("fault", READ_FAULTS)
async def test_a_failing_read_is_the_documented_error(
    contract_adapter: AdapterUnderTest, fault: str
) -> None:
    settings, cls, code, retryable = READ_FAULTS[fault]
    seed = contract_adapter.seed
    contract_adapter.fault(methods=("GET",), **settings)
    # Only the time-out needs an adapter that waits less than the sandbox hangs.
    timeouts = 0.2 if "hang_rate" in settings else 5.0
    async with contract_adapter.elsewhere(timeouts=timeouts) as adapter:
        with pytest.raises(UpstreamError) as caught:
            await adapter.get_customer(seed.native_id)
    error = caught.value
    assert type(error) is cls and (error.code, error.retryable) == (code, retryable)
    assert error.extensions == {"code": code, "backend": contract_adapter.backend.name}
    contract_adapter.assert_shows_nothing_of(error, *personal_values(seed))


async def test_a_5xx_says_its_status(contract_adapter: AdapterUnderTest) -> None:
    contract_adapter.fault(error_rate=1.0, methods=("GET",))
    with pytest.raises(UpstreamError) as caught:
        await contract_adapter.adapter.get_customer(contract_adapter.seed.native_id)
    assert caught.value.status == 500


async def test_a_failing_batch_answers_an_error_in_each_place(
    contract_adapter: AdapterUnderTest,
) -> None:
    ids = [contract_adapter.seed.native_id, contract_adapter.facts.missing_id]
    contract_adapter.fault(error_rate=1.0, methods=("GET",))
    results = await contract_adapter.adapter.get_customers(ids)
    assert [(type(r), getattr(r, "status", None)) for r in results] == [(UpstreamError, 500)] * 2


async def test_ping_answers_while_the_back_end_does(contract_adapter: AdapterUnderTest) -> None:
    await contract_adapter.adapter.ping()
    contract_adapter.fault(error_rate=1.0)
    with pytest.raises(UpstreamError) as caught:
        await contract_adapter.adapter.ping()
    assert caught.value.code == "UPSTREAM_ERROR"


async def test_a_back_end_that_is_down_is_unavailable(contract_adapter: AdapterUnderTest) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    seed = contract_adapter.seed
    async with contract_adapter.elsewhere(url) as adapter:
        for call in (adapter.ping, lambda: adapter.get_customer(seed.native_id)):
            with pytest.raises(UpstreamUnavailable) as caught:
                await call()
            error = caught.value
            assert (error.code, error.retryable) == ("UPSTREAM_UNAVAILABLE", True)
            contract_adapter.assert_shows_nothing_of(error, *personal_values(seed))


async def test_a_refused_create_shows_nothing_it_was_sent(
    contract_adapter: AdapterUnderTest,
) -> None:
    draft = dataclasses.replace(contract_adapter.draft(), email="not-an-email")
    with pytest.raises(UpstreamBadRequest) as caught:
        await contract_adapter.adapter.create_customer(draft)
    error = caught.value
    assert (error.code, error.field, error.retryable) == ("BAD_USER_INPUT", "email", False)
    contract_adapter.assert_shows_nothing_of(
        error, draft.email, draft.first_name, draft.last_name, draft.native_id
    )


async def test_a_refused_update_shows_nothing_it_was_sent(
    contract_adapter: AdapterUnderTest,
) -> None:
    adapter, created = contract_adapter.adapter, await contract_adapter.create()
    patch = CustomerPatch(email="not-an-email", last_name="Secretname")
    if await contract_adapter.lacks(
        Capability.UPDATE, lambda: adapter.update_customer(created.native_id, patch)
    ):
        return
    with pytest.raises(UpstreamBadRequest) as caught:
        await adapter.update_customer(created.native_id, patch)
    error = caught.value
    assert (error.code, error.field, error.retryable) == ("BAD_USER_INPUT", "email", False)
    contract_adapter.assert_shows_nothing_of(
        error, "not-an-email", "Secretname", *personal_values(created)
    )
    assert await adapter.get_customer(created.native_id) == created  # nothing written
