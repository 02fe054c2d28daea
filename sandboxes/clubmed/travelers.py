"""The Club Med sandbox's travelers and travel-document routes (BACKENDS.md §1.5, §0 #8, #9)."""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandboxes.clubmed import validation as check
from sandboxes.clubmed.customers import customer_slot
from sandboxes.clubmed.errors import bad_body, json_object, no_content, require_language
from sandboxes.clubmed.records import DOCUMENT_FIELDS, DOCUMENT_KEYS, Record, traveler
from sandboxes.clubmed.store import CustomerStore

MAX_TRAVELERS: Final = 20  # [INF] a bound of ours, so a runaway client meets a 400
TRAVELER_KEYS: Final = ("first_name", "last_name", "birthdate")
_DOCUMENT_NUMBER: Final = re.compile(r"^[A-Z0-9]{5,20}$")


def _store(request: Request) -> CustomerStore:
    store: CustomerStore = request.app.state.store
    return store


async def list_travelers(request: Request) -> JSONResponse:
    """GET /v1/customers/{customer_id}/travelers -> 200 [traveler] (birthdate yyyymmdd)."""
    require_language(request)
    slot = customer_slot(request)
    return JSONResponse([traveler(t) for t in _store(request).travelers_of(slot)])


def _new_traveler(body: dict[str, Any], number: int) -> Record:
    check.unknown(None, body, TRAVELER_KEYS)
    found: Record = {"id": f"traveler-{number}"}
    for key in ("first_name", "last_name"):
        if check.is_empty(body.get(key)):
            raise bad_body(key, f"{key} is required")
        found[key] = check.name(key, body[key])
    raw = body.get("birthdate")
    # The seed's example sends yyyy-mm-dd, the GET answers yyyymmdd ([DOC] §0 #9): both taken.
    if check.is_empty(raw):
        found["birthdate"] = None
    else:
        found["birthdate"] = check.birthdate("birthdate", raw, dashed_too=True)
    return found


async def create_traveler(request: Request) -> JSONResponse:
    """POST /v1/customers/{customer_id}/travelers -> 200 (the seed says 200, not 201)."""
    require_language(request)
    slot = customer_slot(request)
    body = await json_object(request)
    travelers = _store(request).travelers_of(slot)
    if len(travelers) >= MAX_TRAVELERS:
        raise bad_body(None, f"A customer has at most {MAX_TRAVELERS} travelers")
    created = _new_traveler(body, len(travelers) + 1)
    travelers.append(created)
    return JSONResponse(traveler(created))


async def get_travel_documents(request: Request) -> JSONResponse:
    """GET /v1/customers/{customer_id}/travel_documents -> 200, the object form (§0 #8)."""
    require_language(request)
    slot = customer_slot(request)
    return JSONResponse(deepcopy(_store(request).documents_of(slot)))


def _document(field: str, value: Any, current: Record | None) -> Record:
    """`current` (or a new document) patched key by key; it must keep a document_number."""
    if not isinstance(value, dict):
        raise bad_body(field, f"{field} must be an object or null")
    check.unknown(field, value, DOCUMENT_FIELDS)
    document = dict(current) if current is not None else dict.fromkeys(DOCUMENT_FIELDS)
    for key, sub in value.items():
        document[key] = None if check.is_empty(sub) else _document_value(f"{field}.{key}", key, sub)
    if document["document_number"] is None:
        raise bad_body(f"{field}.document_number", f"{field}.document_number is required")
    return document


def _document_value(at: str, key: str, value: Any) -> str:
    if key == "document_number":
        if not isinstance(value, str) or not _DOCUMENT_NUMBER.match(value):
            raise bad_body(at, f"{at} must be 5 to 20 upper-case letters or digits")
        return value
    if key == "expiration_date":
        return check.expiration_date(at, value)
    return check.country_code(at, value)


def _visas(value: Any) -> list[Record]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise bad_body("visas", "visas must be a list")
    return [_document(f"visas[{n}]", visa, None) for n, visa in enumerate(value)]


async def patch_travel_documents(request: Request) -> Response:
    """PATCH .../travel_documents -> 204: a key left out is kept, null removes (CONTRACT.md)."""
    require_language(request)
    slot = customer_slot(request)
    body = await json_object(request)
    check.unknown(None, body, (*DOCUMENT_KEYS, "visas"))
    current = _store(request).documents_of(slot)
    changes: Record = {}
    for key, value in body.items():
        if key == "visas":
            changes[key] = _visas(value)
        else:
            changes[key] = None if value is None else _document(key, value, current[key])
    current.update(changes)  # only once every key passed its checks
    return no_content()
