"""GraphQL errors: one code per failure, set once here, and everything else masked.

Adapters raise `adapters.errors.UpstreamError`s, which carry their own `extensions` (code and
back end); graphql-core copies those onto the GraphQL error. The gateway's own refusals are
`GatewayError`s below. Any other exception is a bug: `mask_unexpected` turns it into
INTERNAL with a request id that the operator finds in the logs, never a stack trace.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Sequence
from typing import ClassVar

from graphql import GraphQLError

from adapters.errors import UpstreamError

logger = logging.getLogger("gateway.errors")


class GatewayError(Exception):
    """A refusal of the gateway's own, with a stable `extensions.code`."""

    code: ClassVar[str] = "INTERNAL"

    def __init__(self, message: str, **extensions: object) -> None:
        super().__init__(message)
        self.message = message
        self.extensions: dict[str, object] = {"code": self.code, **extensions}


class BadUserInput(GatewayError):
    code = "BAD_USER_INPUT"


class NotFound(GatewayError):
    code = "NOT_FOUND"


class Unsupported(GatewayError):
    code = "UNSUPPORTED"


class Forbidden(GatewayError):
    code = "FORBIDDEN"


class Unauthenticated(GatewayError):
    code = "UNAUTHENTICATED"


class QueryTooComplex(GatewayError):
    code = "QUERY_TOO_COMPLEX"


class RateLimited(GatewayError):
    """Too many wrong secrets for one login value; `retryAfter` says when to try again."""

    code = "RATE_LIMITED"


KNOWN_ERRORS = (GatewayError, UpstreamError)


def mask_unexpected(errors: Sequence[GraphQLError], request_id: str) -> list[GraphQLError]:
    """Give every error a code; replace unexpected exceptions by INTERNAL."""
    masked: list[GraphQLError] = []
    for error in errors:
        original = error.original_error
        if original is None or (error.path is None and not isinstance(original, KNOWN_ERRORS)):
            # Syntax, validation and variable-coercion errors (no path: nothing executed): the
            # caller's document or variables are wrong, or over one of the limits (Strawberry's
            # limiters give no code of their own).
            code = (error.extensions or {}).get("code") or _code_of_refusal(error.message)
            extensions = {**(error.extensions or {}), "code": code}
            masked.append(_copy(error, error.message, extensions))
        elif isinstance(original, KNOWN_ERRORS) or (error.extensions or {}).get("code"):
            masked.append(error)
        else:
            # The type and the frames only: an exception's message may hold a caller's value.
            logger.error(
                "unexpected %s at %s (request %s)\n%s",
                type(original).__name__,
                error.path,
                request_id,
                "".join(traceback.format_tb(original.__traceback__)),
            )
            extensions = {"code": "INTERNAL", "requestId": request_id}
            masked.append(_copy(error, "internal error", extensions))
    return masked


_LIMIT_MESSAGES = (
    re.compile(r"exceeds maximum operation depth"),
    re.compile(r"aliases found\. Allowed"),
    re.compile(r"Document contains more than \d+ tokens"),
)


def _code_of_refusal(message: str) -> str:
    if any(pattern.search(message) for pattern in _LIMIT_MESSAGES):
        return "QUERY_TOO_COMPLEX"
    return "BAD_USER_INPUT"


def _copy(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )
