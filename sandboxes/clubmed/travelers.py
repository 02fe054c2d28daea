"""The Club Med sandbox's travelers routes: list and add (docs/backends/clubmed.md#travelers)."""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse

from sandboxes.clubmed import validation as check
from sandboxes.clubmed.customers import customer_slot
from sandboxes.clubmed.errors import bad_body
from sandboxes.clubmed.parameters import json_object, require_language
from sandboxes.clubmed.records import Record, traveler
from sandboxes.clubmed.store import customer_store

MAX_TRAVELERS: Final = 20  # [INF] a bound of ours, so a runaway client meets a 400
# [INF] The POST takes the writable keys GET renders (docs/backends/clubmed.md#travelers),
# checked as the profile's are; the address validated as a created profile's is.
TRAVELER_KEYS: Final = (
    "first_name",
    "last_name",
    "birthdate",
    "civility",
    "email",
    "phones",
    "address",
    "identity",
)


async def list_travelers(request: Request) -> JSONResponse:
    """GET /v1/customers/{customer_id}/travelers -> 200 [traveler] (birthdate yyyymmdd)."""
    require_language(request)
    slot = customer_slot(request)
    return JSONResponse([traveler(t) for t in customer_store(request).travelers_of(slot)])


def _new_traveler(body: dict[str, Any], number: int) -> Record:
    check.unknown(None, body, TRAVELER_KEYS)
    found: Record = {"id": f"traveler-{number}"}
    for key in ("first_name", "last_name"):
        if check.is_empty(body.get(key)):
            raise bad_body(key, f"{key} is required")
        found[key] = check.name(key, body[key])
    raw = body.get("birthdate")
    # The seed's example sends yyyy-mm-dd, the GET answers yyyymmdd
    # ([DOC] docs/backends/clubmed.md#travelers): both taken.
    if check.is_empty(raw):
        found["birthdate"] = None
    else:
        found["birthdate"] = check.birthdate("birthdate", raw, dashed_too=True)
    for key in ("civility", "email", "identity"):
        value = body.get(key)
        found[key] = None if check.is_empty(value) else check.PROFILE_CHECKERS[key](key, value)
    phones = body.get("phones")
    found["phones"] = [] if check.is_empty(phones) else check.phones("phones", phones)
    address = body.get("address")
    found["address"] = None if address is None else check.patch_address("address", address, None)
    check.check_address(found["address"])
    return found


async def create_traveler(request: Request) -> JSONResponse:
    """POST /v1/customers/{customer_id}/travelers -> 200 (the seed says 200, not 201)."""
    require_language(request)
    slot = customer_slot(request)
    body = await json_object(request)
    travelers = customer_store(request).travelers_of(slot)
    if len(travelers) >= MAX_TRAVELERS:
        raise bad_body(None, f"A customer has at most {MAX_TRAVELERS} travelers")
    created = _new_traveler(body, len(travelers) + 1)
    travelers.append(created)
    return JSONResponse(traveler(created))
