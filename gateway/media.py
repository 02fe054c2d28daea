"""The media types of GraphQL over HTTP, and a refusal answered in the one the caller prefers."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse

from gateway.errors import error_body

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def negotiate(accept: str) -> str:
    """The response media type for an Accept header: graphql-response+json when preferred."""
    best, best_q = JSON, -1.0
    for position, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media in (GRAPHQL_RESPONSE, JSON, "application/*", "*/*") and q > best_q:
            chosen = GRAPHQL_RESPONSE if media == GRAPHQL_RESPONSE else JSON
            best, best_q = chosen, q - position * 1e-6
    return best


def refusal_response(
    accept: str,
    status: int,
    message: str,
    code: str,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A refusal made before GraphQL runs: one error with its code, in the negotiated type."""
    return JSONResponse(
        error_body(message, code), status_code=status, headers=headers, media_type=negotiate(accept)
    )
