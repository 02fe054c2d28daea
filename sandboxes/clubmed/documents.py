"""The Club Med sandbox's travel-document routes: read and patch, in the object form keyed by
type (docs/backends/clubmed.md#travel-documents)."""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandboxes.clubmed import validation as check
from sandboxes.clubmed.customers import customer_slot
from sandboxes.clubmed.errors import bad_body
from sandboxes.clubmed.parameters import json_object, require_language
from sandboxes.clubmed.records import DOCUMENT_FIELDS, DOCUMENT_KEYS, Record
from sandboxes.clubmed.store import customer_store

_DOCUMENT_NUMBER: Final = re.compile(r"^[A-Z0-9]{5,20}$")


async def get_travel_documents(request: Request) -> JSONResponse:
    """GET /v1/customers/{customer_id}/travel_documents -> 200, the object form
    (docs/backends/clubmed.md#travel-documents)."""
    require_language(request)
    slot = customer_slot(request)
    return JSONResponse(deepcopy(customer_store(request).documents_of(slot)))


def _document(field: str, value: object, current: Record | None) -> Record:
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


def _document_value(at: str, key: str, value: object) -> str:
    if key == "document_number":
        if not isinstance(value, str) or not _DOCUMENT_NUMBER.match(value):
            raise bad_body(at, f"{at} must be 5 to 20 upper-case letters or digits")
        return value
    if key == "expiration_date":
        return check.expiration_date(at, value)
    return check.country_code(at, value)


def _visas(value: object) -> list[Record]:
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
    current = customer_store(request).documents_of(slot)
    changes: Record = {}
    for key, value in body.items():
        if key == "visas":
            changes[key] = _visas(value)
        else:
            changes[key] = None if value is None else _document(key, value, current[key])
    current.update(changes)  # only once every key passed its checks
    return Response(status_code=204)
