"""The CareCloud sandbox's customer routes: GET and POST /customers, GET and PUT
/customers/{customer_id} ([DOC] docs/backends/carecloud.md#routes,
docs/backends/carecloud.md#customer-record)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandboxes.carecloud.dates import now_text, parse_filter_date
from sandboxes.carecloud.envelope import data, sort_key
from sandboxes.carecloud.errors import (
    ALREADY_EXISTS,
    INVALID_VALUE_FORMAT,
    NOT_ALLOWED_VALUE,
    REQUIRED,
    ApiError,
    InvalidParam,
    bad_request,
    invalid,
    not_found,
)
from sandboxes.carecloud.parameters import (
    json_object,
    list_param,
    paging,
    required_object,
    required_text,
)
from sandboxes.carecloud.store import Criteria, CustomerStore, RecordStore, customer_store, fold
from sandboxes.carecloud.validation import (
    password_problem,
    personal_information,
    property_record,
    social_credentials,
)

# customer_ids[] takes up to 1000 ids ([DOC] docs/backends/carecloud.md#routes).
MAX_CUSTOMER_IDS = 1000
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
        # Digits with the international prefix and no "+"; matched exactly
        # ([DOC] docs/backends/carecloud.md#customer-record).
        phone=query.get("phone") or None,
        birthdate=born,
        customer_source_id=query.get("customer_source_id") or None,
        emails=frozenset(map(fold, emails)) if emails else None,
        customer_ids=frozenset(ids) if ids else None,
    )


async def list_customers(request: Request) -> JSONResponse:
    store = customer_store(request)
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


def customer_slot(request: Request) -> int:
    """The slot of the path's customer, or a 404 naming it."""
    store = customer_store(request)
    customer_id = request.path_params["customer_id"]
    slot = store.slot_of(customer_id)
    if slot is None:
        raise not_found("customers", customer_id)
    return slot


async def get_customer(request: Request) -> JSONResponse:
    return data(customer_store(request).record(customer_slot(request)))


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
    """POST /customers -> 201 {"data": {"customer_id"}}
    ([DOC] docs/backends/carecloud.md#routes)."""
    state = request.app.state
    body = await json_object(request)
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
    slot = customer_slot(request)
    body = await json_object(request)
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
