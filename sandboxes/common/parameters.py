"""What every sandbox reads of a request the same way: its JSON object body, and its path
below the back end's mount."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.types import Scope

from sandboxes.common.errors import SandboxError


async def json_object(request: Request, refuse: Callable[[str], SandboxError]) -> dict[str, Any]:
    """The request's JSON object; else `refuse(why)` is raised, the back end's 400."""
    try:
        body = await request.json()
    except ValueError:
        raise refuse("The body is not valid JSON") from None
    if not isinstance(body, dict):
        raise refuse("The body must be a JSON object")
    return body


def local_path(scope: Scope) -> str:
    """The request's path below its back end's mount: `/v1/customers`, not `/clubmed/v1/...`."""
    path: str = scope["path"][len(scope.get("root_path", "")) :]
    return path or "/"
