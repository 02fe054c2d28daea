"""Relay Network's customer data (CDM) API: routes and auth. The only module that calls it.

The base URL (the `Upstream`'s) is `https://api.relayzone.com/platform/v3/api`, or a
sandbox's root ([DOC] docs/backends/relay.md#base-url). Every route carries the client_id in its
path and the API key in header `xx-relay-api-key`. Error bodies are undocumented
(docs/backends/relay.md#errors): when one has a `field` (the sandbox's `{"message", "field"}`), it
becomes the error's field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import quote

import httpx
import orjson

from adapters.model import Backend
from adapters.relay.auth import RelayApiKey
from adapters.spec import required
from adapters.upstream import CachedRecords, Entry, ResponseCache, Upstream

BACKEND: Final = Backend.RELAY
# A ccid no caller can have loaded: `ping` reads it and expects 404.
PING_CCID: Final = "customer-gateway-readiness-probe"
# The entity cache's entry of a customer: the body of GET .../customer/{ccid}.
CUSTOMER: Final = Entry("customer")


@dataclass(frozen=True, slots=True)
class RelaySettings:
    """How the gateway reaches one Relay client.

    The credentials have no default: a deployment gives its own (RELAY_CLIENT_ID, ...).
    """

    base_url: str | None = None
    client_id: str | None = None
    api_key: str | None = field(default=None, repr=False)
    # Each customer belongs to one product group; "default" is the documented example.
    product_group_id: str = "default"
    # Seconds the entity cache keeps a record's reads (issue 17, docs/api.md#entity-cache);
    # 0: off, every read goes upstream.
    cache_ttl: float = 0.0


def error_detail(response: httpx.Response) -> tuple[str | None, str | None]:
    """(field, None) of an error body that names its field; Relay gives no reason codes."""
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return None, None
    named = body.get("field") if isinstance(body, dict) else None
    return (named if isinstance(named, str) and named else None), None


def _segment(value: str) -> str:
    """A path value as one segment: never a way to reach another route."""
    return quote(value, safe="")


class RelayClient:
    def __init__(
        self, upstream: Upstream, settings: RelaySettings, *, cache: ResponseCache | None = None
    ) -> None:
        self._settings = settings
        self._prefix = f"/cdm/client/{_segment(required(settings.client_id, 'client_id'))}"
        self._upstream = upstream.copy_with(
            credentials=RelayApiKey(required(settings.api_key, "api_key")),
            error_detail=error_detail,
        )
        # Customers through the entity cache (issue 17).
        self._records = CachedRecords(self._upstream, cache)

    def _customer_url(self, ccid: str) -> str:
        return f"{self._prefix}/customer/{_segment(ccid)}"

    async def get_customer(self, ccid: str) -> dict[str, Any]:
        """GET /cdm/client/{client_id}/customer/{ccid} -> the customer object."""
        operation = "relay.get_customer"

        def customer(body: object) -> dict[str, Any]:
            if not isinstance(body, dict) or not isinstance(body.get("ccid"), str):
                raise self._upstream.malformed(operation, "customer")
            return body

        return await self._records.get_json(
            ccid, CUSTOMER, self._customer_url(ccid), operation=operation, check=customer
        )

    async def load_customer_record(self, customer: Mapping[str, Any]) -> None:
        """POST load-customer-record -> 200 ([DOC] docs/backends/relay.md#create); 409 when the ccid
        exists."""
        body = {"product_group_id": self._settings.product_group_id, "customer": dict(customer)}
        # The caller chooses the ccid: whatever the cache held under it goes (none, normally).
        async with self._records.writing(str(customer.get("ccid", ""))):
            await self._upstream.send(
                "POST",
                f"{self._prefix}/load-customer-record",
                operation="relay.load_customer_record",
                json=body,
            )

    async def ping(self) -> None:
        """Read a ccid that cannot exist: a 404 proves the route and the key (a 401 raises).

        Relay has no health route; a 200 (someone loaded that ccid after all) proves as much,
        when its body is a customer: a back end answering what cannot be read is not ready.
        """
        operation = "relay.ping"

        def readable(response: httpx.Response) -> None:
            if response.status_code == 200 and not isinstance(
                self._upstream.decode(response, operation), dict
            ):
                raise self._upstream.malformed(operation, "customer")

        await self._upstream.exchange(
            "GET",
            self._customer_url(PING_CCID),
            operation=operation,
            read=readable,
            expect=(200, 404),
        )
