"""What the CareCloud sandbox's routes read of a request: query parameters (numbers, flags,
arrays, the paging window) and the JSON body's required members, each refused with a 400
naming it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from sandboxes.carecloud.errors import INVALID_VALUE_FORMAT, NOT_ALLOWED_VALUE, REQUIRED, invalid
from sandboxes.common import parameters


async def json_object(request: Request) -> dict[str, Any]:
    """The request's JSON object, or a 400 naming the body."""
    return await parameters.json_object(
        request, lambda why: invalid("body", INVALID_VALUE_FORMAT, why)
    )


def required_object(body: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = body.get(name)
    if value is None:
        raise invalid(name, REQUIRED, f"The parameter {name} is required")
    if not isinstance(value, dict):
        raise invalid(name, INVALID_VALUE_FORMAT, f"The parameter {name} must be an object")
    return value


def required_text(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None or value == "":
        raise invalid(name, REQUIRED, f"The parameter {name} is required")
    if not isinstance(value, str):
        raise invalid(name, INVALID_VALUE_FORMAT, f"The parameter {name} must be a string")
    return value


def int_param(request: Request, name: str, default: int, minimum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(name, INVALID_VALUE_FORMAT, f"{name} must be an integer", raw) from None
    if value < minimum:
        raise invalid(name, NOT_ALLOWED_VALUE, f"{name} must be at least {minimum}", raw)
    return value


def bool_param(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise invalid(name, INVALID_VALUE_FORMAT, f"{name} must be true or false", raw)


def list_param(request: Request, name: str) -> list[str]:
    """An array filter: `name[]=a&name[]=b` ([DOC] docs/backends/carecloud.md#conventions); `name=a`
    is taken too."""
    return [
        v
        for v in request.query_params.getlist(f"{name}[]") + request.query_params.getlist(name)
        if v
    ]


@dataclass(frozen=True, slots=True)
class Paging:
    count: int
    offset: int
    sort_field: str | None
    descending: bool


def paging(request: Request, sortable: Iterable[str] | None) -> Paging:
    """count (default 100, min 1; no maximum is documented), offset, sort_field/direction.

    `sortable` lists the first-level fields a list may be sorted by; None = any field.
    """
    count = int_param(request, "count", 100, 1)
    offset = int_param(request, "offset", 0, 0)
    sort_field = request.query_params.get("sort_field") or None
    if sort_field is not None and sortable is not None and sort_field not in sortable:
        raise invalid("sort_field", NOT_ALLOWED_VALUE, "This field cannot be sorted by", sort_field)
    direction = (request.query_params.get("sort_direction") or "ASC").upper()
    if direction not in ("ASC", "DESC"):
        raise invalid("sort_direction", NOT_ALLOWED_VALUE, "Use ASC or DESC", direction)
    return Paging(count, offset, sort_field, direction == "DESC")
