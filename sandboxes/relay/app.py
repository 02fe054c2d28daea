"""A faithful simulator of Relay Network's customer data (CDM) API, over an in-memory store.

Its base URL stands for `https://api.relayzone.com/platform/v3/api`
([DOC] docs/backends/relay.md#base-url): the routes are served at its root. It serves the two routes
the gateway uses, and `/openapi.json`:

- `GET /cdm/client/{client_id}/customer/{ccid}` -> 200 the customer, fields never set left
  out ([INF] Relay asks consumers to be tolerant readers, docs/backends/relay.md#customer-record);
  404 unknown; 400 a ccid over 100 characters.
- `POST /cdm/client/{client_id}/load-customer-record` -> 200 "successfully loaded" (never
  201: docs/backends/relay.md#create), 409 when the ccid exists (it never updates: the upsert is
  `onboard`, docs/backends/relay.md#no-update, not simulated), 400 naming the offending field.
- Every route wants header `xx-relay-api-key` and the sandbox's client_id in the path, else
  401 with Relay's documented message (`auth.py`). 500s come from the shared fault middleware.

The routes are in `customers.py`, the checks of a loaded record in `validation.py`, the
error body in `errors.py`, the OpenAPI document in `openapi.py`.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from adapters.model import Backend
from sandboxes.common import SandboxApp, SandboxConfig
from sandboxes.relay.customers import get_customer, load_customer_record
from sandboxes.relay.errors import unrouted
from sandboxes.relay.openapi import openapi_document
from sandboxes.relay.store import CustomerStore


def _routes() -> list[BaseRoute]:
    return [
        Route("/cdm/client/{client_id}/customer/{ccid}", get_customer, methods=["GET"]),
        Route(
            "/cdm/client/{client_id}/load-customer-record",
            load_customer_record,
            methods=["POST"],
        ),
    ]


def create_app(config: SandboxConfig | None = None) -> SandboxApp:
    """The sandbox with the seed's example and `config.customers` generated people."""
    config = config or SandboxConfig()
    sandbox = SandboxApp(Backend.RELAY, _routes(), unrouted=unrouted, openapi=openapi_document)
    sandbox.state.store = CustomerStore(config)
    return sandbox
