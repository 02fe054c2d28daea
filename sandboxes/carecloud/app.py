"""A faithful simulator of CareCloud's Enterprise REST API, over an in-memory store.

Its base URL stands for `https://{project}/webservice/rest-api/enterprise-interface/v1.0`
([DOC] BACKENDS.md §2.1): the routes are served at its root (`/customers`,
`/users/actions/login`, ...). Auth in `sandbox_auth`, customers here, sub-resources in
`sandbox_subresources`, actions in `sandbox_actions`, the OpenAPI document at
`/openapi.json`. Where the seed and BACKENDS.md [DOC] lines disagree, this follows [DOC]:

- PUT /customers/{id} takes `{"customer": {"personal_information": ...}}` (the seed's
  example omits `customer`: refused with 400 `required`), answers 204, replaces the whole
  personal_information (omitted fields are deleted, except `store_id` and the password)
  and bumps `last_change` (seconds: two PUTs in one second keep the same value).
- An email already taken is a 400 with reason `already_exists`, never a 409.
- There is no DELETE /customers/{id}: 405 with `error_data.http_method`.
- gender is 1..5 or null; `consents[]` wins over the deprecated `agreement` when both come.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from adapters.model import Backend
from sandboxes.carecloud import actions, subresources
from sandboxes.carecloud.actions import CustomerLogins
from sandboxes.carecloud.auth import RequireCredentials, Sessions, login
from sandboxes.carecloud.customers import (
    create_customer,
    get_customer,
    list_customers,
    replace_customer,
)
from sandboxes.carecloud.errors import ApiError, api_error_handler, http_error_handler
from sandboxes.carecloud.openapi import openapi_document
from sandboxes.carecloud.records import RecordStore
from sandboxes.carecloud.seed import SEED_CUSTOMERS, SEED_RECORDS, SEED_SOCIAL_CREDENTIALS
from sandboxes.carecloud.store import CustomerStore
from sandboxes.common.config import SandboxConfig
from sandboxes.common.instrument import SandboxApp


async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(openapi_document())


def _routes() -> list[BaseRoute]:
    return [
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/users/actions/login", login, methods=["POST"]),
        *actions.routes(),
        Route("/customers", list_customers, methods=["GET"]),
        Route("/customers", create_customer, methods=["POST"]),
        Route("/customers/{customer_id}", get_customer, methods=["GET"]),
        Route("/customers/{customer_id}", replace_customer, methods=["PUT"]),
        *subresources.routes(),
    ]


def _load_seed(store: CustomerStore, records: RecordStore, logins: CustomerLogins) -> None:
    for customer in SEED_CUSTOMERS:
        info = dict(customer["personal_information"])
        slot, customer_id = store.add(customer["customer_id"], info, customer["last_change"])
        for segment, items in SEED_RECORDS.get(customer_id, {}).items():
            records.set_items(slot, segment, items)
    for credentials, customer_id in SEED_SOCIAL_CREDENTIALS.items():
        owner = store.slot_of(customer_id)
        assert owner is not None
        logins.social[credentials] = owner


def create_app(config: SandboxConfig) -> SandboxApp:
    """The sandbox with the seed's examples and `config.customers` generated people."""
    store = CustomerStore(config)
    records = RecordStore(store)
    logins = CustomerLogins()
    _load_seed(store, records, logins)
    sessions = Sessions(config.token_ttl_seconds)
    app = Starlette(
        routes=_routes(),
        middleware=[Middleware(RequireCredentials, sessions=sessions)],
        exception_handlers={ApiError: api_error_handler, HTTPException: http_error_handler},
    )
    # Unknown paths are 404s, not redirects to a slash-less twin.
    app.router.redirect_slashes = False
    app.state.store = store
    app.state.records = records
    app.state.logins = logins
    app.state.sessions = sessions
    return SandboxApp(Backend.CARECLOUD, app)
