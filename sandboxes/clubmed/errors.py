"""What every Club Med sandbox route shares: the error body, headers, query and path values.

Club Med's error body is not public (BACKENDS.md §1.6); [INF] this one is ours, as
CONTRACT.md fixes it: `{"code": "<UPPER_SNAKE>", "message": "...", "field": "<name>"}`, with
`field` only when one input is at fault. A message never echoes a submitted value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

INVALID_FILTER: Final = "INVALID_FILTER"
INVALID_PARAMETER: Final = "INVALID_PARAMETER"
INVALID_BODY: Final = "INVALID_BODY"
UNAUTHORIZED: Final = "UNAUTHORIZED"
FORBIDDEN: Final = "FORBIDDEN"
NOT_FOUND: Final = "NOT_FOUND"
ALREADY_EXISTS: Final = "ALREADY_EXISTS"
METHOD_NOT_ALLOWED: Final = "METHOD_NOT_ALLOWED"

# A language tag (BCP 47, loosely): "fr", "en-US", "zh-Hant-TW".
_LANGUAGE_TAG: Final = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(eq=False)
class ApiError(Exception):
    """An error answer; routes raise it, `api_error_handler` renders it."""

    status: int
    code: str
    message: str
    field: str | None = None

    def response(self) -> JSONResponse:
        body: dict[str, str] = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        return JSONResponse(body, status_code=self.status, headers=headers)


def bad_body(field: str | None, message: str) -> ApiError:
    return ApiError(400, INVALID_BODY, message, field)


def bad_parameter(field: str, message: str) -> ApiError:
    return ApiError(400, INVALID_PARAMETER, message, field)


def unauthorized(message: str) -> ApiError:
    return ApiError(401, UNAUTHORIZED, message)


def forbidden() -> ApiError:
    # Club Med's 403 is "customer mismatch or issuer mismatch" ([DOC] BACKENDS.md §1.2).
    return ApiError(403, FORBIDDEN, "This customer is not in the scope of the caller's issuer")


def not_found() -> ApiError:
    return ApiError(404, NOT_FOUND, "The customer was not found")


async def api_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (no route, wrong method) in the sandbox's error body."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return ApiError(405, METHOD_NOT_ALLOWED, "This method is not allowed here").response()
    if exc.status_code == 404:
        return ApiError(404, NOT_FOUND, "No such route").response()
    return ApiError(exc.status_code, "HTTP_ERROR", str(exc.detail)).response()


def require_language(request: Request) -> str:
    """The `accept-language` tag (the first entry of a list), or a 400 naming the header."""
    raw = request.headers.get("accept-language")
    if raw is None or not raw.strip():
        raise bad_parameter("accept-language", "The accept-language header is required")
    first = raw.split(",", 1)[0].split(";", 1)[0].strip()
    if not _LANGUAGE_TAG.match(first):
        raise bad_parameter("accept-language", "accept-language must be a language tag")
    return first


def is_language_tag(value: str) -> bool:
    return bool(_LANGUAGE_TAG.match(value))


def customer_id_param(request: Request) -> str:
    """The path's customer_id: digits, else 400 (CONTRACT.md "Ids")."""
    customer_id: str = request.path_params["customer_id"]
    if not customer_id.isascii() or not customer_id.isdigit():
        raise bad_parameter("customer_id", "customer_id must be made of digits")
    return customer_id


def int_param(request: Request, name: str, default: int, low: int, high: int | None) -> int:
    """An integer query parameter within [low, high], else 400 INVALID_PARAMETER."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise bad_parameter(name, f"{name} must be an integer")
    value = int(raw)
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise bad_parameter(name, f"{name} must be {bound}")
    return value


def bool_param(request: Request, name: str) -> bool:
    """`true` or `false` (absent: false), else 400."""
    raw = request.query_params.get(name)
    if raw is None or raw == "false":
        return False
    if raw == "true":
        return True
    raise bad_parameter(name, f"{name} must be true or false")


async def json_object(request: Request) -> dict[str, Any]:
    """The request's JSON object, or a 400 INVALID_BODY naming the body."""
    try:
        body = await request.json()
    except ValueError:
        raise bad_body("body", "The body is not valid JSON") from None
    if not isinstance(body, dict):
        raise bad_body("body", "The body must be a JSON object")
    return body


def no_content() -> Response:
    return Response(status_code=204)
