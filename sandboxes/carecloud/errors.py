"""The CareCloud sandbox's error answers, in CareCloud's documented body.

[DOC] docs/backends/carecloud.md#errors, CC-spec `responses/_index.yaml`
(docs/backends/carecloud.md#sources):
`{"error": {"type", "exception", "title", "detail", "error_data"}}`, where a 400 lists
`invalid_params[{name, reason, value?, message}]`, a 404 names `{resource_name, resource_id}`, a 405
`{http_method}` and a 403 `{invalid_resource_name, interface}`. CareCloud never answers 409
(docs/backends/carecloud.md#errors).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from sandboxes.common import SandboxError

# The generic `reason` values of invalid_params ([DOC] docs/backends/carecloud.md#errors).
ALREADY_EXISTS = "already_exists"
REQUIRED = "required"
NOT_ALLOWED_VALUE = "not_allowed_value"
INVALID_VALUE_FORMAT = "invalid_value_format"
NOT_FOUND = "not_found"


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
class ApiError(SandboxError):
    """An error answer in CareCloud's documented body; routes raise it, the app answers it."""

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
    # [DOC] CC-spec `responses/_index.yaml#Forbidden` (docs/backends/carecloud.md#sources) puts the
    # exception name in `type`.
    return ApiError(
        403,
        "interface_not_allowed_exception",
        f"{interface} interface is not allowed for this resource",
        f'Resource name "{resource_name}" is not allowed in {interface} interface',
        {"invalid_resource_name": resource_name, "interface": interface},
        type="interface_not_allowed_exception",
    )


def unrouted(request: Request, exc: HTTPException) -> ApiError:
    """Starlette's own 404/405 (no route, wrong method) in CareCloud's body."""
    if exc.status_code == 405:
        return ApiError(
            405,
            "method_not_allowed_exception",
            "Method not allowed",
            f"The method {request.method} is not allowed for this resource",
            {"http_method": request.method},
        )
    if exc.status_code == 404:
        name = request.url.path.rstrip("/").rsplit("/", 1)[-1] or "/"
        return not_found(name, None)
    return ApiError(exc.status_code, "http_exception", str(exc.detail), str(exc.detail))
