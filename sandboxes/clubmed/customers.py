"""The Club Med sandbox's customer routes: search, v2 profile, create, profile PATCH."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandboxes.clubmed import validation as check
from sandboxes.clubmed.auth import caller
from sandboxes.clubmed.errors import (
    ALREADY_EXISTS,
    INVALID_FILTER,
    ApiError,
    bad_body,
    bad_parameter,
    forbidden,
    not_found,
)
from sandboxes.clubmed.filter import FilterError, parse
from sandboxes.clubmed.parameters import (
    bool_param,
    customer_id_param,
    int_param,
    json_object,
    require_language,
)
from sandboxes.clubmed.records import Record, profile, search_item
from sandboxes.clubmed.store import CustomerStore, customer_store

MAX_LIMIT: Final = 100
DEFAULT_LIMIT: Final = 20
_OFFER_CODE: Final = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# [INF] `identity_number` {number, type}: the create's `identity` holds the names
# (docs/backends/clubmed.md#routes), so the identity number goes beside it (CONTRACT.md).
CREATE_KEYS: Final = (
    "email",
    "identity",
    "phones",
    "address",
    "locale",
    "birth_city",
    "identity_number",
)
IDENTITY_KEYS: Final = (
    "first_name",
    "last_name",
    "second_name",
    "birthdate",
    "gender",
    "civility",
)
PATCH_KEYS: Final = (*check.PROFILE_CHECKERS, "address")


def may_touch(request: Request, slot: int) -> bool:
    """Whether the caller's issuer may read and write this customer."""
    client = caller(request)
    return client.sees_all or customer_store(request).owners.get(slot) == client.client_id


def customer_slot(request: Request) -> int:
    """The slot of the path's customer: 400 not digits, 404 unknown, 403 another issuer's."""
    slot = customer_store(request).slot_of(customer_id_param(request))
    if slot is None:
        raise not_found()
    if not may_touch(request, slot):
        raise forbidden()
    return slot


# --- GET /v1/customers -------------------------------------------------------------------


def _offer_code(request: Request) -> None:
    """offer_code narrows offers, not customers: checked, then ignored (CONTRACT.md)."""
    raw = request.query_params.get("offer_code")
    if raw is not None and not _OFFER_CODE.match(raw):
        raise bad_parameter("offer_code", "offer_code must be 1 to 32 letters, digits, _ or -")


def _page_response(matches: Sequence[Record], limit: int, page: int) -> JSONResponse:
    """200 when this page holds every match; else 206 with Content-Range
    ([DOC] docs/backends/clubmed.md#paging)."""
    start = (page - 1) * limit
    items = matches[start : start + limit]
    body = [search_item(r) for r in items]
    if len(items) == len(matches):
        return JSONResponse(body)
    total = len(matches)
    # [INF] Content-Range as RFC 9110 §14.4 with the item type as unit, 0-based, inclusive.
    span = f"{start}-{start + len(items) - 1}" if items else "*"
    headers = {"Accept-Ranges": "customers", "Content-Range": f"customers {span}/{total}"}
    return JSONResponse(body, status_code=206, headers=headers)


async def search_customers(request: Request) -> JSONResponse:
    """GET /v1/customers?filter=...&limit&page&offer_code (no accept-language needed)."""
    limit = int_param(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    page = int_param(request, "page", 1, 1, None)
    _offer_code(request)
    try:
        criteria = parse(request.query_params.get("filter", ""))
    except FilterError as error:
        raise ApiError(400, INVALID_FILTER, str(error), "filter") from None
    client = caller(request)
    visible = None if client.sees_all else (lambda slot: may_touch(request, slot))
    return _page_response(customer_store(request).search(criteria, visible), limit, page)


# --- GET /v2/customers/{customer_id}/profile ---------------------------------------------


async def get_profile(request: Request) -> JSONResponse:
    require_language(request)
    date_format = request.query_params.get("date_format", "Ymd")
    if date_format not in ("Ymd", "Y-m-d"):
        raise bad_parameter("date_format", "date_format must be Ymd or Y-m-d")
    slot = customer_slot(request)
    return JSONResponse(profile(customer_store(request).record(slot), date_format == "Y-m-d"))


# --- POST /v1/customers ------------------------------------------------------------------


def _identity(body: dict[str, Any]) -> dict[str, Any]:
    identity = body.get("identity")
    if not isinstance(identity, dict):
        raise bad_body("identity", "identity is required and must be an object")
    check.unknown("identity", identity, IDENTITY_KEYS)
    found: dict[str, Any] = {}
    for key in IDENTITY_KEYS:
        at, value = f"identity.{key}", identity.get(key)
        if check.is_empty(value):
            if key in check.REQUIRED_NAMES:
                raise bad_body(at, f"{at} is required")
            found[key] = None
        else:
            found[key] = check.PROFILE_CHECKERS[key](at, value)
    return found


def _new_record(body: dict[str, Any], force_address: bool) -> Record:
    check.unknown(None, body, CREATE_KEYS)
    identity = _identity(body)
    values: dict[str, Any] = {}
    for key in ("email", "phones", "locale", "birth_city"):
        raw = body.get(key)
        values[key] = None if check.is_empty(raw) else check.PROFILE_CHECKERS[key](key, raw)
    raw_address = body.get("address")
    address = None if raw_address is None else check.patch_address("address", raw_address, None)
    if not force_address:
        check.check_address(address)
    raw_number = body.get("identity_number")
    number = None if check.is_empty(raw_number) else check.identity("identity_number", raw_number)
    return {
        "email": values["email"],
        "gender": identity["gender"],
        "civility": identity["civility"],
        "first_name": identity["first_name"],
        "second_name": identity["second_name"],
        "third_name": None,
        "last_name": identity["last_name"],
        "birth_city": values["birth_city"],
        "birth_country_code": None,
        "birthdate": identity["birthdate"],
        "phones": values["phones"] or [],
        "address": address,
        "identity": number,
        "loyalty_program": {
            "status": "NONE",
            "previous_status": None,
            "is_platinum_for_life": False,
            "points": 0,
        },
        "locale": values["locale"],
        "optins": [],
        "customer_type": "CLIENT",
        "customer_status": "PROSPECT",
        "blacklisted": False,
    }


def _refuse_taken_email(store: CustomerStore, email: str | None, slot: int | None) -> None:
    if email is None:
        return
    owner = store.email_owner(email)
    if owner is not None and owner != slot:
        raise ApiError(400, ALREADY_EXISTS, "This email is already used by a customer", "email")


async def create_customer(request: Request) -> JSONResponse:
    """POST /v1/customers?force_address= -> 201 {id, gm_number, email, identity, locale}."""
    require_language(request)
    force_address = bool_param(request, "force_address")
    record = _new_record(await json_object(request), force_address)
    store = customer_store(request)
    _refuse_taken_email(store, record["email"], None)
    created = store.create(record, caller(request).client_id)
    body = {
        "id": created["id"],
        "gm_number": created["gm_number"],
        "email": created["email"],
        "identity": {"first_name": created["first_name"], "last_name": created["last_name"]},
        "locale": created["locale"],
    }
    return JSONResponse(body, status_code=201)


# --- PATCH /v1/customers/{customer_id}/profile -------------------------------------------


def _patched(current: Record, body: dict[str, Any]) -> dict[str, Any]:
    """The changed fields of a PATCH body, checked: absent kept, null or "" cleared."""
    check.unknown(None, body, PATCH_KEYS)
    changes: dict[str, Any] = {}
    for key, value in body.items():
        if key == "address":
            empty = check.is_empty(value)
            changes[key] = None if empty else check.patch_address(key, value, current[key])
        elif check.is_empty(value):
            if key in check.REQUIRED_NAMES:
                raise bad_body(key, f"{key} cannot be cleared")
            changes[key] = [] if key == "phones" else None
        else:
            changes[key] = check.PROFILE_CHECKERS[key](key, value)
    return changes


async def patch_profile(request: Request) -> Response:
    """PATCH /v1/customers/{customer_id}/profile -> 204 (no address validation on PATCH)."""
    require_language(request)
    slot = customer_slot(request)
    store = customer_store(request)
    changes = _patched(store.record(slot), await json_object(request))
    if "email" in changes:
        _refuse_taken_email(store, changes["email"], slot)
    store.writable(slot).update(changes)
    store.index(slot)
    return Response(status_code=204)
