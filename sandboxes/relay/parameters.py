"""What the Relay sandbox's routes read of a request: the path's ccid and the JSON body, each
refused with a 400 naming it."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from sandboxes.common import parameters
from sandboxes.relay.errors import invalid
from sandboxes.relay.validation import ID_MAX


def ccid_param(request: Request) -> str:
    """The path's ccid: at most 100 characters ([DOC] docs/backends/relay.md#customer-record), else
    400."""
    ccid: str = request.path_params["ccid"]
    if len(ccid) > ID_MAX:
        raise invalid("ccid", f"ccid is longer than {ID_MAX} characters")
    return ccid


async def json_object(request: Request) -> dict[str, Any]:
    """The request body as a JSON object, or a 400."""
    return await parameters.json_object(request, lambda why: invalid("body", why))
