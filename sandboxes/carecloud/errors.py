"""What every CareCloud sandbox route shares: the error body, paging, sorting, parsing.

The error body is CareCloud's documented one ([DOC] BACKENDS.md §2.2, CC-spec
`responses/_index.yaml`): `{"error": {"type", "exception", "title", "detail", "error_data"}}`,
where a 400 lists `invalid_params[{name, reason, value?, message}]`, a 404 names
`{resource_name, resource_id}`, a 405 `{http_method}` and a 403 `{invalid_resource_name,
interface}`. CareCloud never answers 409 (BACKENDS.md §0 #1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

# The generic `reason` values of invalid_params ([DOC] BACKENDS.md §2.2).
ALREADY_EXISTS = "already_exists"
REQUIRED = "required"
NOT_ALLOWED_VALUE = "not_allowed_value"
INVALID_VALUE_FORMAT = "invalid_value_format"
NOT_FOUND = "not_found"

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def now_text() -> str:
    """A CareCloud datetime: project-local time without offset; the sandbox's project is UTC."""
    return datetime.now(UTC).strftime(DATETIME_FORMAT)


@dataclass(frozen=True, slots=True)
class InvalidParam:
    name: str
    reason: str
    message: str
    value: object = None

    def to_json(self) -> dict[str, object]:
        body: dict[str, object] = {"name": self.name, "reason": self.reason}
        if self.value is not None:
            body["value"] = self.value if isinstance(self.value, str) else str(self.value)
        body["message"] = self.message
        return body


@dataclass(eq=False)
class ApiError(Exception):
    """An error answer in CareCloud's documented body; routes raise it, a handler renders it."""

    status: int
    exception: str
    title: str
    detail: str
    error_data: dict[str, object] = field(default_factory=dict)
    type: str = "about:blank"

    def response(self) -> JSONResponse:
        error = {
            "type": self.type,
            "exception": self.exception,
            "title": self.title,
            "detail": self.detail,
            "error_data": self.error_data,
        }
        return JSONResponse({"error": error}, status_code=self.status)


def bad_request(*params: InvalidParam) -> ApiError:
    return ApiError(
        400,
        "bad_request_exception",
        "Bad request",
        "; ".join(p.message for p in params),
        {"invalid_params": [p.to_json() for p in params]},
    )


def invalid(name: str, reason: str, message: str, value: object = None) -> ApiError:
    """A 400 naming one parameter."""
    return bad_request(InvalidParam(name, reason, message, value))


def not_found(resource_name: str, resource_id: str | None) -> ApiError:
    return ApiError(
        404,
        "not_found_exception",
        "Resource not found",
        f'The resource "{resource_name}" was not found',
        {"resource_name": resource_name, "resource_id": resource_id},
    )


def unauthorized(detail: str) -> ApiError:
    return ApiError(401, "unauthorized_exception", "Unauthorized", detail, {})


def interface_not_allowed(resource_name: str, interface: str) -> ApiError:
    # [DOC] CC-spec responses/_index.yaml#Forbidden puts the exception name in `type`.
    return ApiError(
        403,
        "interface_not_allowed_exception",
        f"{interface} interface is not allowed for this resource",
        f'Resource name "{resource_name}" is not allowed in {interface} interface',
        {"invalid_resource_name": resource_name, "interface": interface},
        type="interface_not_allowed_exception",
    )


async def api_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (no route, wrong method) in CareCloud's body."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return ApiError(
            405,
            "method_not_allowed_exception",
            "Method not allowed",
            f"The method {request.method} is not allowed for this resource",
            {"http_method": request.method},
        ).response()
    if exc.status_code == 404:
        name = request.url.path.rstrip("/").rsplit("/", 1)[-1] or "/"
        return not_found(name, None).response()
    return ApiError(exc.status_code, "http_exception", str(exc.detail), str(exc.detail)).response()


def data(payload: object, status_code: int = 200) -> JSONResponse:
    """CareCloud's envelope: every body is {"data": ...} ([DOC] BACKENDS.md §2.1)."""
    return JSONResponse({"data": payload}, status_code=status_code)


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, or a 400 naming the body."""
    try:
        body = await request.json()
    except ValueError:
        raise invalid("body", INVALID_VALUE_FORMAT, "The body is not valid JSON") from None
    if not isinstance(body, dict):
        raise invalid("body", INVALID_VALUE_FORMAT, "The body must be a JSON object")
    return body


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


# --- query strings ---------------------------------------------------------------------


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
    """An array filter: `name[]=a&name[]=b` ([DOC] BACKENDS.md §2.1); `name=a` is taken too."""
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


def page_of(items: Sequence[dict[str, Any]], key: str, window: Paging | None) -> JSONResponse:
    """A list body `{"data": {key: [...], "total_items": N}}`, sorted and windowed."""
    if window is None:
        return data({key: list(items), "total_items": len(items)})
    ordered = list(items)
    if window.sort_field is not None:
        name = window.sort_field
        if ordered and name not in ordered[0]:
            raise invalid("sort_field", NOT_ALLOWED_VALUE, "This field cannot be sorted by", name)
        ordered.sort(key=lambda item: sort_key(item.get(name)), reverse=window.descending)
    chosen = ordered[window.offset : window.offset + window.count]
    return data({key: chosen, "total_items": len(items)})


def sort_key(value: object) -> tuple[int, str]:
    """Sort None first, then by text (numbers zero-padded so 9 < 10)."""
    if value is None:
        return (0, "")
    if isinstance(value, bool | int | float):
        return (1, f"{float(value):030.6f}")
    return (2, str(value))


# --- dates -----------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DOTTED_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")


def parse_iso_date(value: str) -> date | None:
    if not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_filter_date(value: str) -> date | None:
    """The birthdate filter takes YYYY-MM-DD or DD.MM.YYYY ([DOC] BACKENDS.md §2.1)."""
    dotted = _DOTTED_DATE.match(value)
    if dotted:
        day, month, year = dotted.groups()
        value = f"{year}-{month}-{day}"
    return parse_iso_date(value)


def parse_datetime(value: object) -> datetime | None:
    """A CareCloud datetime `YYYY-MM-DD HH:MM:SS` (requests may use a "T"), as naive UTC."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.replace("T", " "), DATETIME_FORMAT)
    except ValueError:
        return None


def validity(item: Mapping[str, Any], now: datetime) -> bool:
    """Whether `valid_from <= now <= valid_to` (either bound may be absent or a date)."""
    start = _bound(item.get("valid_from"), end=False)
    stop = _bound(item.get("valid_to"), end=True)
    return (start is None or start <= now) and (stop is None or now <= stop)


def _bound(value: object, *, end: bool) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    if len(value) == 10:
        value += " 23:59:59" if end else " 00:00:00"
    return parse_datetime(value)


Predicate = Callable[[Mapping[str, Any]], bool]
