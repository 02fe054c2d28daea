"""The Relay adapter: read customers by ccid and create them with the caller's ccid.

Relay has no search or list route (docs/backends/relay.md#overview), no travelers and no travel
documents. A read is one GET, which returns every field Relay holds, loyalty (`ext`) included.
"""

from __future__ import annotations

from typing import Final

from adapters.base import Capability, CustomerAdapter, matches_draft
from adapters.errors import UpstreamBadRequest, UpstreamNotFound
from adapters.model import Backend, Customer, CustomerDraft
from adapters.relay import mapping
from adapters.relay.client import RelayClient, RelaySettings
from adapters.spec import BackendSpec, Resources
from adapters.upstream import Upstream


class RelayAdapter(CustomerAdapter):
    backend = Backend.RELAY
    # No UPDATE: load-customer-record never updates, and Relay's only update path, `onboard`
    # (docs/backends/relay.md#no-update), is an upsert that can also start an SMS welcome
    # experience, i.e. message the customer. So updateCustomer stays UNSUPPORTED (the base class
    # refuses it before anything is sent). No SEARCH: Relay has no search route.
    capabilities = frozenset({Capability.READ, Capability.CREATE, Capability.LOYALTY})
    search_criteria = frozenset()
    caller_assigns_id = True

    def __init__(self, client: RelayClient) -> None:
        self._client = client

    async def ping(self) -> None:
        await self._client.ping()

    async def get_customer(self, native_id: str) -> Customer:
        return mapping.customer_from_json(await self._client.get_customer(native_id))

    async def find_created(self, draft: CustomerDraft) -> Customer | None:
        """The record at the ccid the create sent, when it holds what was sent."""
        if draft.native_id is None:
            return None
        try:
            customer = await self.get_customer(draft.native_id)
        except UpstreamNotFound:
            return None
        return customer if matches_draft(customer, draft) else None

    async def create_customer(self, draft: CustomerDraft) -> Customer:
        """POST load-customer-record (200; a taken ccid is UpstreamConflict), then read back."""
        body = mapping.customer_body(draft)
        try:
            await self._client.load_customer_record(body)
        except UpstreamBadRequest as exc:
            # Relay's field names stay in the adapter: the caller hears its own input's name.
            raise UpstreamBadRequest(
                self.backend,
                exc.message,
                status=exc.status,
                field=mapping.input_field(exc.field),
            ) from exc
        return await self.get_customer(body["ccid"])


def create_adapter(
    settings: RelaySettings, upstream: Upstream, resources: Resources
) -> RelayAdapter:
    return RelayAdapter(RelayClient(upstream, settings, cache=resources.caches.get(Backend.RELAY)))


# How the gateway configures and builds Relay (adapters/registry.py lists it).
SPEC: Final = BackendSpec(
    Backend.RELAY,
    prefix="RELAY",
    settings=RelaySettings,
    adapter=create_adapter,
    secrets=frozenset({"api_key"}),
    credentials=("client_id", "api_key"),
)
