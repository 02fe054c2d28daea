"""A CareCloud customer's related records: the sub-resource lists, and the property and
interest records' writes.

Lists page with count/offset and tell `total_items` ([DOC] docs/backends/carecloud.md#conventions),
except segment, property and interest records (docs/backends/carecloud.md#sub-resources), read
whole. Property and interest records are written with PUT, which replaces the record: the PUT
carries the record as read with the patch on top. No write lock is needed (unlike the customer's own
PUT): what the PUT carries beyond the caller's change is the record's key (property_id, which the
record id is made of), which no other writer can change.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from adapters.carecloud import records
from adapters.carecloud.client import CareCloudClient
from adapters.carecloud.mapping import tier_from
from adapters.carecloud.records import Route
from adapters.carecloud.statuses import StatusCatalog
from adapters.errors import UpstreamBadRequest, UpstreamNotFound
from adapters.model import Backend, Keep, Page, PageRequest
from adapters.relationships import (
    CustomerProperty,
    Interest,
    InterestDraft,
    InterestPatch,
    PropertyDraft,
    PropertyPatch,
    StatusRecord,
)

R = TypeVar("R")
BACKEND = Backend.CARECLOUD


class RelatedRecords:
    def __init__(self, client: CareCloudClient, statuses: StatusCatalog) -> None:
        self._client = client
        self._statuses = statuses

    async def page(self, route: Route[R], customer_id: str, page: PageRequest) -> Page[R]:
        """One window of a paged list; `total` counts all the customer's records."""
        found, total = await self._client.list_page(
            customer_id, route.segment, route.key, count=page.limit, offset=page.offset
        )
        items = tuple(route.read(raw, customer_id) for raw in found[: max(page.limit, 0)])
        return Page(items, page.offset, total, page.offset + len(items) < total)

    async def whole(self, route: Route[R], customer_id: str, *, fresh: bool = False) -> list[R]:
        """Every record of an unpaged list; `fresh`: not from the entity cache (a write is
        built on them)."""
        found = await self._client.list_unpaged(customer_id, route.segment, route.key, fresh=fresh)
        return [route.read(raw, customer_id) for raw in found]

    async def status_records(self, customer_id: str, page: PageRequest) -> Page[StatusRecord]:
        """Status records with their status's name, from the cached status catalogue, and
        the tier that name reads as (the mapping Loyalty.tier uses)."""
        found = await self.page(records.STATUS_RECORDS, customer_id, page)
        names = await self._statuses.names({r.status_id for r in found.items if r.status_id})
        named = tuple(_named(r, names.get(r.status_id or "")) for r in found.items)
        return dataclasses.replace(found, items=named)

    # --- property records --------------------------------------------------------------

    async def _property(
        self, customer_id: str, record_id: str, *, fresh: bool = False
    ) -> CustomerProperty:
        for found in await self.whole(records.PROPERTIES, customer_id, fresh=fresh):
            if found.native_id == record_id:
                return found
        raise UpstreamNotFound(BACKEND, "property record not found", status=404)

    async def add_property(self, customer_id: str, draft: PropertyDraft) -> CustomerProperty:
        body = {
            "property_id": draft.property_id,
            "property_value": records.property_value_json(draft.value),
        }
        record_id = await self._client.add_record(
            customer_id, records.PROPERTIES.segment, "property_record", body
        )
        return await self._property(customer_id, record_id)

    async def update_property(
        self, customer_id: str, record_id: str, patch: PropertyPatch
    ) -> CustomerProperty:
        held = await self._property(customer_id, record_id, fresh=True)
        if isinstance(patch.value, Keep):
            return held
        body: dict[str, Any] = {
            "property_id": held.property_id,
            "property_value": records.property_value_json(patch.value),
        }
        await self._client.replace_record(
            customer_id, records.PROPERTIES.segment, record_id, "property_record", body
        )
        return await self._property(customer_id, record_id)

    async def delete_property(self, customer_id: str, record_id: str) -> None:
        await self._client.delete_record(customer_id, records.PROPERTIES.segment, record_id)

    # --- interest records --------------------------------------------------------------

    async def _interest(self, customer_id: str, record_id: str, *, fresh: bool = False) -> Interest:
        for found in await self.whole(records.INTERESTS, customer_id, fresh=fresh):
            if found.native_id == record_id:
                return found
        raise UpstreamNotFound(BACKEND, "interest record not found", status=404)

    async def add_interest(self, customer_id: str, draft: InterestDraft) -> Interest:
        body = {"interest_id": draft.interest_id, "customer_id": customer_id}
        record_id = await self._client.add_record(
            customer_id, records.INTERESTS.segment, "interest_record", body
        )
        return await self._interest(customer_id, record_id)

    async def update_interest(
        self, customer_id: str, record_id: str, patch: InterestPatch
    ) -> Interest:
        if patch.interest_id is None:
            raise UpstreamBadRequest(
                BACKEND, "an interest record needs its interest", field="interestId"
            )
        held = await self._interest(customer_id, record_id, fresh=True)
        if not isinstance(patch.interest_id, str) or patch.interest_id == held.interest_id:
            return held
        body = {"interest_id": patch.interest_id, "customer_id": customer_id}
        await self._client.replace_record(
            customer_id, records.INTERESTS.segment, record_id, "interest_record", body
        )
        return await self._interest(customer_id, record_id)

    async def delete_interest(self, customer_id: str, record_id: str) -> None:
        await self._client.delete_record(customer_id, records.INTERESTS.segment, record_id)


def _named(record: StatusRecord, name: str | None) -> StatusRecord:
    return dataclasses.replace(record, status_name=name, tier=tier_from(name))
