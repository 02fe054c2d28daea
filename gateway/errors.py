"""GraphQL errors: one code per failure, set once here, and everything else masked.

Adapters raise `adapters.errors.UpstreamError`s, which carry their own `extensions` (code and
back end); graphql-core copies those onto the GraphQL error. The gateway's own refusals are
`GatewayError`s below; refusals made before GraphQL runs are `Refusal`s. Any other exception
is a bug: `mask_unexpected` turns it into INTERNAL with a request id that the operator finds
in the logs, never a stack trace. Every GraphQL error the gateway builds is `graphql_error`'s.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Collection, Mapping, Sequence
from typing import Any, ClassVar

from cross_web import HTTPException
from graphql import GraphQLError, Node, Source

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


class IdentityStoreUnavailable(GatewayError):
    """The store of stewards' decisions and person ids did not answer (docs/fleet.md)."""

    code = "IDENTITY_STORE_UNAVAILABLE"


class Refusal(HTTPException):
    """An HTTP refusal before GraphQL runs (size, media type, method), with its code.

    A subclass of the HTTP exception Strawberry's view raises, so that both leave the view
    the same way; Strawberry's own carry no code, and the view gives them one by status.
    """

    def __init__(
        self,
        status: int,
        message: str,
        code: str = "BAD_USER_INPUT",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status, message)
        self.code = code
        self.headers = headers


KNOWN_ERRORS = (GatewayError, UpstreamError)


def graphql_error(
    message: str,
    code: str,
    /,
    *,
    nodes: Node | Collection[Node] | None = None,
    source: Source | None = None,
    positions: Collection[int] | None = None,
    path: Collection[str | int] | None = None,
    original_error: Exception | None = None,
    extensions: Mapping[str, object] | None = None,
    **entries: object,
) -> GraphQLError:
    """A GraphQL error with `extensions.code`: the one way the gateway builds one.

    Its extensions are `extensions` (another error's, passed on whole) and `entries`, with
    `code` over any code among them.
    """
    return GraphQLError(
        message,
        nodes,
        source,
        positions,
        path,
        original_error,
        {**(extensions or {}), **entries, "code": code},
    )


def error_body(message: str, code: str, **entries: object) -> dict[str, Any]:
    """A response body holding one error, for a refusal made before GraphQL runs."""
    return {"errors": [graphql_error(message, code, extensions=entries).formatted]}


def mask_unexpected(errors: Sequence[GraphQLError], request_id: str) -> list[GraphQLError]:
    """Give every error a code; replace unexpected exceptions by INTERNAL."""
    masked: list[GraphQLError] = []
    for error in errors:
        original = error.original_error
        if original is None or (error.path is None and not isinstance(original, KNOWN_ERRORS)):
            # Syntax, validation and variable-coercion errors (no path: nothing executed): the
            # caller's document or variables are wrong. Over a limit, the error has its code
            # from where it was raised (gateway/limits.py).
            extensions = error.extensions or {}
            code = str(extensions.get("code") or "BAD_USER_INPUT")
            masked.append(_copy(error, error.message, code, extensions))
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
            masked.append(_copy(error, "internal error", "INTERNAL", {"requestId": request_id}))
    return masked


def _copy(
    error: GraphQLError, message: str, code: str, extensions: Mapping[str, object]
) -> GraphQLError:
    return graphql_error(
        message,
        code,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )
