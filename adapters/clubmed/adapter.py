"""The Club Med adapter: search, read, create and update customers, travelers, documents.

A search item carries the membership number, names, birthdate, email and phones; the rest
(middle name, address, loyalty, consents...) needs the v2 profile, one call per customer.
Writes answer without the record (201 with ids, 204), so each is followed by a read back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from adapters.base import Capability, CustomerAdapter
from adapters.clubmed import mapping, travel
from adapters.clubmed.client import MAX_PAGE_SIZE, ClubMedClient, ClubMedSettings
from adapters.clubmed.filter import filter_expression
from adapters.errors import Unsupported, UpstreamBadRequest
from adapters.model import (
    Backend,
    Customer,
    CustomerDraft,
    CustomerFilter,
    CustomerPatch,
    Page,
    PageRequest,
    TravelDocument,
    TravelDocumentPatch,
    Traveler,
    TravelerDraft,
)
from adapters.spec import BackendSpec, Resources
from adapters.upstream import Upstream


class ClubMedAdapter(CustomerAdapter):
    backend = Backend.CLUBMED
    capabilities = frozenset(
        {
            Capability.SEARCH,
            Capability.READ,
            Capability.CREATE,
            Capability.UPDATE,
            Capability.TRAVELERS,
            Capability.TRAVEL_DOCUMENTS,
            Capability.LOYALTY,
        }
    )
    search_criteria = frozenset(
        {"first_name", "last_name", "email", "phone", "birthdate", "membership_number"}
    )
    caller_assigns_id = False

    def __init__(self, client: ClubMedClient) -> None:
        self._client = client

    async def ping(self) -> None:
        await self._client.ping()

    async def search(self, filter: CustomerFilter, page: PageRequest) -> Page[Customer]:
        refusal = self.search_refusal(filter)
        if refusal is not None:
            raise Unsupported(self.backend, refusal)
        expression = filter_expression(filter)
        window = await self._client.search(expression, page.offset, page.limit)
        items = tuple(mapping.customer_from_search(raw) for raw in window.items)
        if window.total is not None:
            has_more = page.offset + len(items) < window.total
        else:
            has_more = len(items) >= min(page.limit, MAX_PAGE_SIZE) > 0
        return Page(items, page.offset, window.total, has_more)

    async def get_customer(self, native_id: str) -> Customer:
        raw = await self._client.get_profile(native_id)
        return mapping.customer_from_profile(native_id, raw)

    async def create_customer(self, draft: CustomerDraft) -> Customer:
        if draft.native_id is not None:
            raise UpstreamBadRequest(
                self.backend, "Club Med assigns customer ids", field="nativeId"
            )
        customer_id = await self._client.create_customer(
            mapping.create_body(draft), force_address=draft.force_address
        )
        return await self.get_customer(customer_id)

    async def update_customer(self, native_id: str, patch: CustomerPatch) -> Customer:
        """PATCH only what changes (nothing when nothing does), then read back."""
        body = mapping.patch_body(patch)
        if body:
            await self._client.patch_profile(native_id, body)
        return await self.get_customer(native_id)

    async def list_travelers(self, customer_native_id: str) -> list[Traveler]:
        found = await self._client.list_travelers(customer_native_id)
        return [travel.traveler_from(customer_native_id, raw) for raw in found]

    async def add_traveler(self, customer_native_id: str, draft: TravelerDraft) -> Traveler:
        raw = await self._client.add_traveler(customer_native_id, travel.traveler_body(draft))
        return travel.traveler_from(customer_native_id, raw)

    async def list_travel_documents(self, customer_native_id: str) -> list[TravelDocument]:
        raw = await self._client.get_travel_documents(customer_native_id)
        return travel.documents_from(customer_native_id, raw)

    async def update_travel_documents(
        self, customer_native_id: str, documents: Sequence[TravelDocumentPatch]
    ) -> list[TravelDocument]:
        """PATCH in object form, then read back. The current documents are read first when
        the visas change (the list is replaced whole) or a new passport, id card or licence
        comes (one of each: replacing the one held needs its id)."""
        travel.check_new_documents(documents)
        visas: list[dict[str, object]] = []
        if travel.touches_visas(documents) or travel.adds_single_documents(documents):
            current = await self._client.get_travel_documents(customer_native_id, fresh=True)
            travel.refuse_replacing(customer_native_id, documents, current)
            visas = travel.current_visas(current)
        body = travel.documents_patch_body(documents, visas)
        if body:
            await self._client.patch_travel_documents(customer_native_id, body)
        return await self.list_travel_documents(customer_native_id)


def create_adapter(
    settings: ClubMedSettings, upstream: Upstream, resources: Resources
) -> ClubMedAdapter:
    client = ClubMedClient(
        upstream, settings, tokens=resources.tokens, cache=resources.caches.get(Backend.CLUBMED)
    )
    return ClubMedAdapter(client)


# How the gateway configures and builds Club Med (adapters/registry.py lists it).
SPEC: Final = BackendSpec(
    Backend.CLUBMED,
    prefix="CLUBMED",
    settings=ClubMedSettings,
    adapter=create_adapter,
    secrets=frozenset({"client_secret", "api_key"}),
    credentials=("client_id", "client_secret", "api_key"),
    urls=("base_url", "token_url"),
    tuning=frozenset({"refresh_margin_seconds", "force_address"}),
)
