"""Travelers and travel documents, where the back end has them."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.base import Capability
from adapters.errors import Unsupported, UpstreamNotFound
from adapters.model import TravelDocumentPatch, TravelDocumentType, TravelerDraft
from tests.adapters.contract.conftest import AdapterUnderTest

pytestmark = pytest.mark.anyio
PASSPORT = TravelDocumentPatch(
    type=TravelDocumentType.PASSPORT,
    number="XX123456",
    expiration_date=date(2030, 7, 1),
    issuing_country="FR",
)


async def test_travelers_added_are_listed(contract_adapter: AdapterUnderTest) -> None:
    adapter, created = contract_adapter.adapter, await contract_adapter.create()
    jane = TravelerDraft("Jane", "Doe", date(1990, 3, 12))
    if await contract_adapter.lacks(
        Capability.TRAVELERS, lambda: adapter.add_traveler(created.native_id, jane)
    ):
        return
    assert await adapter.list_travelers(created.native_id) == []
    added = await adapter.add_traveler(created.native_id, jane)
    assert (added.first_name, added.last_name, added.birthdate) == (
        "Jane",
        "Doe",
        date(1990, 3, 12),
    )
    assert (added.backend, added.customer_native_id) == (
        contract_adapter.backend,
        created.native_id,
    )
    bob = await adapter.add_traveler(created.native_id, TravelerDraft("Bob", "Doe"))
    assert bob.birthdate is None and bob.native_id != added.native_id
    assert await adapter.list_travelers(created.native_id) == [added, bob]
    assert sum(contract_adapter.writes().values()) == 2  # one write per traveler


async def test_travelers_of_many_customers(contract_adapter: AdapterUnderTest) -> None:
    """One answer per id, in order; where the back end has no travelers, Unsupported in each."""
    adapter, created = contract_adapter.adapter, await contract_adapter.create()
    ids = [created.native_id, contract_adapter.facts.missing_id, created.native_id]
    if not adapter.supports(Capability.TRAVELERS):
        found = await adapter.list_travelers_many(ids)
        assert [type(f) for f in found] == [Unsupported] * 3
        assert contract_adapter.sandbox.app.counter.snapshot() == {}
        return
    added = await adapter.add_traveler(created.native_id, TravelerDraft("Jane", "Doe"))
    found = await adapter.list_travelers_many(ids)
    assert found[0] == [added] and found[2] is found[0]
    assert isinstance(found[1], UpstreamNotFound)


async def test_travel_documents_added_are_listed(contract_adapter: AdapterUnderTest) -> None:
    adapter, created = contract_adapter.adapter, await contract_adapter.create()
    if await contract_adapter.lacks(
        Capability.TRAVEL_DOCUMENTS,
        lambda: adapter.update_travel_documents(created.native_id, [PASSPORT]),
    ):
        return
    assert await adapter.list_travel_documents(created.native_id) == []
    [passport] = await adapter.update_travel_documents(created.native_id, [PASSPORT])
    assert (passport.type, passport.number) == (TravelDocumentType.PASSPORT, "XX123456")
    assert (passport.expiration_date, passport.issuing_country) == (date(2030, 7, 1), "FR")
    assert passport.customer_native_id == created.native_id
    assert await adapter.list_travel_documents(created.native_id) == [passport]


async def test_travel_documents_of_many_customers(contract_adapter: AdapterUnderTest) -> None:
    """One answer per id, in order; where the back end has no documents, Unsupported in each."""
    adapter, created = contract_adapter.adapter, await contract_adapter.create()
    ids = [created.native_id, contract_adapter.facts.missing_id, created.native_id]
    if not adapter.supports(Capability.TRAVEL_DOCUMENTS):
        found = await adapter.list_travel_documents_many(ids)
        assert [type(f) for f in found] == [Unsupported] * 3
        assert contract_adapter.sandbox.app.counter.snapshot() == {}
        return
    documents = await adapter.update_travel_documents(created.native_id, [PASSPORT])
    found = await adapter.list_travel_documents_many(ids)
    assert found[0] == documents and found[2] is found[0]
    assert isinstance(found[1], UpstreamNotFound)


async def test_a_document_patch_changes_only_the_keys_it_names(
    contract_adapter: AdapterUnderTest,
) -> None:
    adapter, created = contract_adapter.adapter, await contract_adapter.create()
    if await contract_adapter.lacks(
        Capability.TRAVEL_DOCUMENTS, lambda: adapter.list_travel_documents(created.native_id)
    ):
        return
    [passport] = await adapter.update_travel_documents(created.native_id, [PASSPORT])
    renewed = TravelDocumentPatch(
        passport.native_id, expiration_date=date(2035, 1, 31), issuing_country=None
    )
    [after] = await adapter.update_travel_documents(created.native_id, [renewed])
    assert (after.native_id, after.type, after.number) == (
        passport.native_id,
        passport.type,
        passport.number,
    )
    assert (after.expiration_date, after.issuing_country) == (date(2035, 1, 31), None)


async def test_no_document_to_change_costs_a_list(contract_adapter: AdapterUnderTest) -> None:
    adapter, created = contract_adapter.adapter, await contract_adapter.create()
    if await contract_adapter.lacks(
        Capability.TRAVEL_DOCUMENTS,
        lambda: adapter.update_travel_documents(created.native_id, []),
    ):
        return
    listed = await adapter.list_travel_documents(created.native_id)
    cost = contract_adapter.requests()
    contract_adapter.reset()
    assert await adapter.update_travel_documents(created.native_id, []) == listed
    assert contract_adapter.requests() == cost
