"""The Club Med sandbox's error answers.

Club Med's error body is not public (docs/backends/clubmed.md#errors); [INF] this one is ours, as
the contract with the adapter (adapters/clubmed/CONTRACT.md) fixes it:
`{"code": "<UPPER_SNAKE>", "message": "...", "field": "<name>"}`, with `field` only when one input
is at fault. A message never echoes a submitted value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from sandboxes.common import SandboxError

INVALID_FILTER: Final = "INVALID_FILTER"
INVALID_PARAMETER: Final = "INVALID_PARAMETER"
INVALID_BODY: Final = "INVALID_BODY"
UNAUTHORIZED: Final = "UNAUTHORIZED"
FORBIDDEN: Final = "FORBIDDEN"
NOT_FOUND: Final = "NOT_FOUND"
ALREADY_EXISTS: Final = "ALREADY_EXISTS"
METHOD_NOT_ALLOWED: Final = "METHOD_NOT_ALLOWED"


@dataclass(eq=False)
class ApiError(SandboxError):
    """An error answer in the sandbox's body; routes raise it, the app answers it."""

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
    # Club Med's 403 is "customer mismatch or issuer mismatch"
    # ([DOC] docs/backends/clubmed.md#auth).
    return ApiError(403, FORBIDDEN, "This customer is not in the scope of the caller's issuer")


def not_found() -> ApiError:
    return ApiError(404, NOT_FOUND, "The customer was not found")


def unrouted(request: Request, exc: HTTPException) -> ApiError:
    """Starlette's own 404/405 (no route, wrong method) in the sandbox's error body."""
    if exc.status_code == 405:
        return ApiError(405, METHOD_NOT_ALLOWED, "This method is not allowed here")
    if exc.status_code == 404:
        return ApiError(404, NOT_FOUND, "No such route")
    return ApiError(exc.status_code, "HTTP_ERROR", str(exc.detail))
