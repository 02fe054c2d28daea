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

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from adapters.carecloud import sandbox_actions, sandbox_subresources
from adapters.carecloud.sandbox_actions import CustomerLogins
from adapters.carecloud.sandbox_auth import RequireCredentials, Sessions, login
from adapters.carecloud.sandbox_http import (
    ALREADY_EXISTS,
    INVALID_VALUE_FORMAT,
    NOT_ALLOWED_VALUE,
    REQUIRED,
    ApiError,
    InvalidParam,
    api_error_handler,
    bad_request,
    data,
    http_error_handler,
    invalid,
    json_body,
    list_param,
    not_found,
    now_text,
    paging,
    parse_filter_date,
    required_object,
    required_text,
    sort_key,
)
from adapters.carecloud.sandbox_openapi import openapi_document
from adapters.carecloud.sandbox_records import RecordStore
from adapters.carecloud.sandbox_seed import SEED_CUSTOMERS, SEED_RECORDS, SEED_SOCIAL_CREDENTIALS
from adapters.carecloud.sandbox_store import Criteria, CustomerStore, fold
from adapters.carecloud.sandbox_subresources import property_record
from adapters.carecloud.sandbox_validation import (
    password_problem,
    personal_information,
    social_credentials,
)
from adapters.model import Backend
from adapters.sandbox.config import SandboxConfig
from adapters.sandbox.instrument import SandboxApp

MAX_CUSTOMER_IDS = 1000  # customer_ids[] takes up to 1000 ids ([DOC] BACKENDS.md §2.4)
SORTABLE_CUSTOMER_FIELDS = ("customer_id", "last_change", "state")


def _criteria(request: Request) -> Criteria:
    query = request.query_params
    born = None
    if query.get("birthdate"):
        born = parse_filter_date(query["birthdate"])
        if born is None:
            raise invalid(
                "birthdate",
                INVALID_VALUE_FORMAT,
                "Use YYYY-MM-DD or DD.MM.YYYY",
                query["birthdate"],
            )
    ids = list_param(request, "customer_ids")
    if len(ids) > MAX_CUSTOMER_IDS:
        raise invalid(
            "customer_ids", NOT_ALLOWED_VALUE, f"At most {MAX_CUSTOMER_IDS} ids", len(ids)
        )
    emails = list_param(request, "email_list")
    return Criteria(
        first_name=fold(query["first_name"]) if query.get("first_name") else None,
        last_name=fold(query["last_name"]) if query.get("last_name") else None,
        email=fold(query["email"]) if query.get("email") else None,
        # Digits with the international prefix and no "+"; matched exactly ([DOC] §2.3).
        phone=query.get("phone") or None,
        birthdate=born,
        customer_source_id=query.get("customer_source_id") or None,
        emails=frozenset(map(fold, emails)) if emails else None,
        customer_ids=frozenset(ids) if ids else None,
    )


async def list_customers(request: Request) -> JSONResponse:
    store: CustomerStore = request.app.state.store
    window = paging(request, SORTABLE_CUSTOMER_FIELDS)
    slots = store.search(_criteria(request))
    if window.sort_field == "customer_id":
        slots = sorted(slots, key=store.customer_id, reverse=window.descending)
    elif window.sort_field is not None:
        field = window.sort_field
        slots = sorted(
            slots, key=lambda s: sort_key(store.record(s)[field]), reverse=window.descending
        )
    chosen = slots[window.offset : window.offset + window.count]
    return data({"customers": [store.record(s) for s in chosen], "total_items": len(slots)})


def _slot(request: Request) -> int:
    customer_id = request.path_params["customer_id"]
    slot = request.app.state.store.slot_of(customer_id)
    if slot is None:
        raise not_found("customers", customer_id)
    return int(slot)


async def get_customer(request: Request) -> JSONResponse:
    return data(request.app.state.store.record(_slot(request)))


def _autologin_and_password(body: dict[str, Any]) -> str | None:
    autologin = body.get("autologin")
    if autologin is None:
        raise invalid("autologin", REQUIRED, "autologin is required")
    if not isinstance(autologin, bool):
        raise invalid("autologin", INVALID_VALUE_FORMAT, "autologin is a boolean", autologin)
    password = body.get("password")
    if password is None:
        if autologin:
            raise invalid("password", REQUIRED, "password is required when autologin is true")
        return None
    problem = password_problem(password)
    if problem is not None:
        raise bad_request(problem)
    return str(password)


def _property_records(body: dict[str, Any], customer_id: str) -> list[dict[str, Any]]:
    raw = body.get("property_records")
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise invalid(
            "property_records", INVALID_VALUE_FORMAT, "property_records is a list of objects"
        )
    return [property_record(customer_id, r) for r in raw]


def _social(body: dict[str, Any]) -> tuple[str, str] | None:
    found = social_credentials(body.get("social_network_credentials"))
    if isinstance(found, ApiError):
        raise found
    return found


def _refuse_taken_email(store: CustomerStore, info: dict[str, Any], slot: int | None) -> None:
    email = info.get("email")
    if email and store.email_taken(email, other_than=slot):
        raise bad_request(
            InvalidParam("email", ALREADY_EXISTS, "This email is already registered", email)
        )


async def create_customer(request: Request) -> JSONResponse:
    """POST /customers -> 201 {"data": {"customer_id"}} ([DOC] BACKENDS.md §2.4)."""
    state = request.app.state
    body = await json_body(request)
    customer = required_object(body, "customer")
    source = required_object(body, "customer_source")
    source_id = required_text(source, "customer_source_id")
    password = _autologin_and_password(body)
    social = _social(body)
    now = now_text()
    info = personal_information(customer.get("personal_information"), previous=None, now=now)
    _refuse_taken_email(state.store, info, None)
    properties = _property_records(body, "")
    slot, customer_id = state.store.add(None, info, now)
    records: RecordStore = state.records
    records.set_items(
        slot,
        "customer-source-records",
        [
            {
                "customer_source_record_id": records.new_id("customer-source-records"),
                "customer_source_id": source_id,
                "external_id": source.get("external_id"),
                "last_change": now,
            }
        ],
    )
    for item in properties:  # their ids name the customer, known only now
        item["property_record_id"] = f"{item['property_id']}:{customer_id}"
    records.set_items(slot, "property-records", properties)
    if password is not None:
        state.logins.set_password(slot, password)
    if social is not None:
        state.logins.social[social] = slot
    return data({"customer_id": customer_id}, 201)


async def replace_customer(request: Request) -> Response:
    """PUT /customers/{id} -> 204: a full replace of personal_information."""
    state = request.app.state
    slot = _slot(request)
    body = await json_body(request)
    customer = required_object(body, "customer")
    password = body.get("password")
    if password is not None and (problem := password_problem(password)) is not None:
        raise bad_request(problem)
    social = _social(body)
    now = now_text()
    previous = state.store.record(slot)["personal_information"]
    info = personal_information(customer.get("personal_information"), previous=previous, now=now)
    _refuse_taken_email(state.store, info, slot)
    properties = _property_records(body, request.path_params["customer_id"])
    state.store.replace(slot, info, now)
    if password is not None:
        state.logins.set_password(slot, str(password))
    if social is not None:
        state.logins.social[social] = slot
    if properties:
        items = state.records.writable(slot, "property-records")
        ids = {p["property_record_id"] for p in properties}
        items[:] = [i for i in items if i["property_record_id"] not in ids] + properties
    return Response(status_code=204)


async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(openapi_document())


def _routes() -> list[BaseRoute]:
    return [
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/users/actions/login", login, methods=["POST"]),
        *sandbox_actions.routes(),
        Route("/customers", list_customers, methods=["GET"]),
        Route("/customers", create_customer, methods=["POST"]),
        Route("/customers/{customer_id}", get_customer, methods=["GET"]),
        Route("/customers/{customer_id}", replace_customer, methods=["PUT"]),
        *sandbox_subresources.routes(),
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
