"""Upstream failures, one tree for every back end.

Each class declares the GraphQL `code` it becomes and whether the request may be sent again
(`retryable`: the upstream policy retries an idempotent read whose attempt failed with a
retryable error, never a write); an instance may say otherwise (a 501 is not retried, a 503
is). Messages are short, for humans, and never carry personal data, credentials or an upstream
body: only the back end's name, the operation, and the status.

    UpstreamError                     UPSTREAM_ERROR (5xx, a broken connection)
    ├── UpstreamBadRequest            BAD_USER_INPUT (400)
    ├── UpstreamUnauthenticated       UNAUTHENTICATED (401 after one token refresh)
    ├── InvalidCredentials            INVALID_CREDENTIALS (a customer's secret was refused)
    ├── UpstreamForbidden             FORBIDDEN (403)
    ├── UpstreamNotFound              NOT_FOUND (404)
    ├── UpstreamConflict              CONFLICT (409, or a concurrent change seen by an adapter)
    ├── UpstreamTimeout               UPSTREAM_TIMEOUT (connect/read/pool time-out)
    ├── UpstreamUnavailable           UPSTREAM_UNAVAILABLE (connection refused, breaker open)
    ├── UpstreamMalformed             UPSTREAM_ERROR (a body we cannot read)
    └── Unsupported                   UNSUPPORTED (the back end cannot do this; nothing sent)
"""

from __future__ import annotations

from typing import Any, ClassVar

from adapters.model import Backend

__all__ = [
    "RETRY_STATUSES",
    "InvalidCredentials",
    "Unsupported",
    "UpstreamBadRequest",
    "UpstreamConflict",
    "UpstreamError",
    "UpstreamForbidden",
    "UpstreamMalformed",
    "UpstreamNotFound",
    "UpstreamTimeout",
    "UpstreamUnauthenticated",
    "UpstreamUnavailable",
    "error_for_status",
]


class UpstreamError(Exception):
    """A back end failed to do what was asked."""

    code: ClassVar[str] = "UPSTREAM_ERROR"
    # Whether sending the request again may succeed; an instance may differ from its class.
    retryable: bool = True
    default_message: ClassVar[str] = "the back end failed"

    def __init__(
        self,
        backend: Backend,
        message: str | None = None,
        *,
        status: int | None = None,
        field: str | None = None,
        reason: str | None = None,
        answer_lost: bool = False,
        retryable: bool | None = None,
    ) -> None:
        self.backend = backend
        if retryable is not None:
            self.retryable = retryable
        self.status = status
        # The request may have reached the back end and been done: only its answer is
        # missing (a time-out or broken connection after it went out). A write that fails so
        # is never sent again; a create looks for what it made (CustomerAdapter.create).
        self.answer_lost = answer_lost
        # The name of the offending input field, when the back end says (never its value).
        self.field = field
        # A back end's machine-readable reason in upper snake case, e.g. `ALREADY_EXISTS`.
        self.reason = reason
        self.message = message or self.default_message
        super().__init__(f"{backend.value}: {self.message}")

    @property
    def extensions(self) -> dict[str, object]:
        """What the GraphQL error carries: a stable code, the back end, never a body."""
        extensions: dict[str, object] = {"code": self.code, "backend": self.backend.name}
        if self.field is not None:
            extensions["field"] = self.field
        if self.reason is not None:
            extensions["reason"] = self.reason
        return extensions

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.backend.value!r}, {self.message!r})"


class UpstreamBadRequest(UpstreamError):
    code = "BAD_USER_INPUT"
    retryable = False
    default_message = "the back end rejected the input"


class UpstreamUnauthenticated(UpstreamError):
    code = "UNAUTHENTICATED"
    retryable = False
    default_message = "the back end refused the gateway's credentials"


class InvalidCredentials(UpstreamError):
    """A customer's password, social token or auth token identifies no customer.

    Not UNAUTHENTICATED: the gateway's own credentials were accepted; the customer's were
    not. The message never holds what was sent.
    """

    code = "INVALID_CREDENTIALS"
    retryable = False
    default_message = "the customer's credentials were not accepted"


class UpstreamForbidden(UpstreamError):
    code = "FORBIDDEN"
    retryable = False
    default_message = "the back end forbids this access"


class UpstreamNotFound(UpstreamError):
    code = "NOT_FOUND"
    retryable = False
    default_message = "not found"


class UpstreamConflict(UpstreamError):
    code = "CONFLICT"
    retryable = False
    default_message = "the record changed or already exists"

    def __init__(
        self,
        backend: Backend,
        message: str | None = None,
        *,
        existing: str | None = None,
        **details: Any,
    ) -> None:
        super().__init__(backend, message, **details)
        # The native id of the record in the way (the passport a new one would replace):
        # not in `extensions`, since a caller knows only global ids (the gateway makes one).
        self.existing = existing


class UpstreamTimeout(UpstreamError):
    code = "UPSTREAM_TIMEOUT"
    # The time the caller gave is spent, or the back end is too slow to be asked twice.
    retryable = False
    default_message = "the back end did not answer in time"


class UpstreamUnavailable(UpstreamError):
    code = "UPSTREAM_UNAVAILABLE"
    default_message = "the back end is unavailable"


class UpstreamMalformed(UpstreamError):
    code = "UPSTREAM_ERROR"
    # The same question would get the same unreadable answer.
    retryable = False
    default_message = "the back end sent a body the gateway cannot read"


class Unsupported(UpstreamError):
    code = "UNSUPPORTED"
    retryable = False
    default_message = "this back end does not support the operation"


# The `reason` of a record that exists already (upper snake case: adapters/upstream/send.py).
ALREADY_EXISTS = "ALREADY_EXISTS"

# The statuses worth asking again (an idempotent read only). 500 too: Relay documents it as
# "Please retry your request" ([DOC] docs/backends/relay.md#errors and the seed), and CareCloud's
# 429 asks for back-off with jitter (docs/backends/carecloud.md#conventions).
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

_BY_STATUS: dict[int, type[UpstreamError]] = {
    400: UpstreamBadRequest,
    401: UpstreamUnauthenticated,
    403: UpstreamForbidden,
    404: UpstreamNotFound,
    409: UpstreamConflict,
    422: UpstreamBadRequest,
    # CareCloud documents 429 (rate limit) without numbers: the back end is there but busy.
    429: UpstreamUnavailable,
}


def error_for_status(
    backend: Backend,
    status: int,
    *,
    operation: str,
    field: str | None = None,
    reason: str | None = None,
) -> UpstreamError:
    """The error for an unexpected HTTP status; `operation` names what was asked."""
    cls = _BY_STATUS.get(status, UpstreamError)
    if reason == ALREADY_EXISTS:
        # Club Med and CareCloud answer a taken email with 400 (docs/errors.md#conflict), Relay a
        # taken ccid with 409: one code for "it exists already", whatever the back end.
        cls = UpstreamConflict
    return cls(
        backend,
        f"{operation} failed with HTTP {status}",
        status=status,
        field=field,
        reason=reason,
        retryable=status in RETRY_STATUSES,
    )
