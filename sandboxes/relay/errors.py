"""The Relay sandbox's error answers.

Relay documents its 400s only as "Invalid request" with "additional information" in the
body (docs/backends/relay.md#errors); the sandbox answers `{"message": "<what is wrong>", "field":
"<dotted path>"}`, e.g. `customer.addresses[0].state_province`, and `{"message"}` for the
other statuses (401 with Relay's documented message, 404, 409).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from sandboxes.common import SandboxError


@dataclass(eq=False)
class ApiError(SandboxError):
    """An error answer in the sandbox's body; routes raise it, the app answers it."""

    status: int
    message: str
    field: str | None = None

    def response(self) -> JSONResponse:
        body: dict[str, str] = {"message": self.message}
        if self.field is not None:
            body["field"] = self.field
        return JSONResponse(body, status_code=self.status)


def invalid(field: str, message: str) -> ApiError:
    return ApiError(400, message, field)


def unrouted(request: Request, exc: HTTPException) -> ApiError:
    """Unrouted paths and wrong methods, in the same `{"message"}` body."""
    return ApiError(exc.status_code, str(exc.detail))
