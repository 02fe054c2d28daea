"""The Relay sandbox's API key check ([DOC] docs/backends/relay.md#auth).

Every route wants header `xx-relay-api-key` and the sandbox's client_id in its path, else
401 with Relay's documented message. The check runs in each route, not in a middleware:
the client_id is a path parameter, known once the request is routed (an unknown route stays
a 404).
"""

from __future__ import annotations

from typing import Final

from starlette.requests import Request

from sandboxes.common import credentials
from sandboxes.relay.errors import ApiError

API_KEY_HEADER: Final = "xx-relay-api-key"
UNAUTHORIZED: Final = "The API token does not have authorization to the requested resource"


def authorize(request: Request) -> None:
    """The key must be the sandbox's, and the path's client_id the one it was issued for."""
    if (
        request.headers.get(API_KEY_HEADER) != credentials.RELAY_API_KEY
        or request.path_params.get("client_id") != credentials.RELAY_CLIENT_ID
    ):
        raise ApiError(401, UNAUTHORIZED)
