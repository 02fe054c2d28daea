"""The Relay sandbox's customer routes: retrieve a customer, load a customer record
([DOC] docs/backends/relay.md)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from sandboxes.relay.auth import authorize
from sandboxes.relay.errors import ApiError
from sandboxes.relay.parameters import ccid_param, json_object
from sandboxes.relay.store import customer_store
from sandboxes.relay.validation import load_body


async def get_customer(request: Request) -> JSONResponse:
    """GET /cdm/client/{client_id}/customer/{ccid} -> 200 the customer, 404 unknown."""
    authorize(request)
    record = customer_store(request).get(ccid_param(request))
    if record is None:
        raise ApiError(404, "Customer not found")
    return JSONResponse(record)


async def load_customer_record(request: Request) -> JSONResponse:
    """POST /cdm/client/{client_id}/load-customer-record -> 200, 409 when the ccid exists."""
    authorize(request)
    _group, record = load_body(await json_object(request))
    if not customer_store(request).add(record):
        raise ApiError(409, "A customer with this ccid already exists")
    return JSONResponse({"message": f"Customer {record['ccid']} successfully loaded"})
