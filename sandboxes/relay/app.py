"""A faithful simulator of Relay Network's customer data (CDM) API, over an in-memory store.

Its base URL stands for `https://api.relayzone.com/platform/v3/api` ([DOC] BACKENDS.md §3.1):
the routes are served at its root. It serves the two routes the gateway uses, and
`/openapi.json`:

- `GET /cdm/client/{client_id}/customer/{ccid}` -> 200 the customer, fields never set left
  out ([INF] Relay asks consumers to be tolerant readers, §3.3); 404 unknown; 400 a ccid
  over 100 characters.
- `POST /cdm/client/{client_id}/load-customer-record` -> 200 "successfully loaded" (never
  201: BACKENDS.md §0 #6), 409 when the ccid exists (it never updates: the upsert is
  `onboard`, §0 #7, not simulated), 400 naming the offending field.
- Every route wants header `xx-relay-api-key` and the sandbox's client_id in the path, else
  401 with Relay's documented message. 500s come from the shared fault middleware.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from adapters.model import Backend
from sandboxes.common.config import SandboxConfig
from sandboxes.common.credentials import RELAY_API_KEY, RELAY_CLIENT_ID
from sandboxes.common.instrument import SandboxApp
from sandboxes.relay.openapi import openapi_document
from sandboxes.relay.store import CustomerStore
from sandboxes.relay.validation import (
    ID_MAX,
    ApiError,
    api_error_handler,
    invalid,
    json_object,
    load_body,
)

API_KEY_HEADER = "xx-relay-api-key"
UNAUTHORIZED = "The API token does not have authorization to the requested resource"


def _authorize(request: Request) -> None:
    """The key must be the sandbox's, and the path's client_id the one it was issued for."""
    if (
        request.headers.get(API_KEY_HEADER) != RELAY_API_KEY
        or request.path_params.get("client_id") != RELAY_CLIENT_ID
    ):
        raise ApiError(401, UNAUTHORIZED)


def _store(request: Request) -> CustomerStore:
    store: CustomerStore = request.app.state.store
    return store


async def get_customer(request: Request) -> JSONResponse:
    _authorize(request)
    ccid = request.path_params["ccid"]
    if len(ccid) > ID_MAX:
        raise invalid("ccid", f"ccid is longer than {ID_MAX} characters")
    record = _store(request).get(ccid)
    if record is None:
        raise ApiError(404, "Customer not found")
    return JSONResponse(record)


async def load_customer_record(request: Request) -> JSONResponse:
    _authorize(request)
    _group, record = load_body(await json_object(request))
    if not _store(request).add(record):
        raise ApiError(409, "A customer with this ccid already exists")
    return JSONResponse({"message": f"Customer {record['ccid']} successfully loaded"})


async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(openapi_document())


async def http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Unrouted paths and wrong methods, in the same `{"message"}` body."""
    assert isinstance(exc, HTTPException)
    return JSONResponse({"message": exc.detail}, status_code=exc.status_code)


def _routes() -> list[BaseRoute]:
    return [
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/cdm/client/{client_id}/customer/{ccid}", get_customer, methods=["GET"]),
        Route(
            "/cdm/client/{client_id}/load-customer-record",
            load_customer_record,
            methods=["POST"],
        ),
    ]


def create_app(config: SandboxConfig) -> SandboxApp:
    """The sandbox with the seed's example and `config.customers` generated people."""
    app = Starlette(
        routes=_routes(),
        exception_handlers={ApiError: api_error_handler, HTTPException: http_error_handler},
    )
    # Unknown paths are 404s, not redirects to a slash-less twin.
    app.router.redirect_slashes = False
    app.state.store = CustomerStore(config)
    return SandboxApp(Backend.RELAY, app)
