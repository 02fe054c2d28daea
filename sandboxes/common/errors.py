"""How every sandbox answers an error: in its own back end's body.

A route raises its back end's error (a `SandboxError` subclass in `<backend>/errors.py`,
shaped as that vendor documents it, or as the sandbox chose where it does not), and the
app's handler answers with that error's `response()`. Starlette's own 404 and 405 (no such
route, a wrong method) are answered in the same body, through the back end's `unrouted`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

ExceptionHandler = Callable[[Request, Exception], Awaitable[Response]]


class SandboxError(Exception):
    """An error answer of one back end's sandbox; its `response` is the vendor's body."""

    def response(self) -> Response:
        raise NotImplementedError


async def answer(request: Request, exc: Exception) -> Response:
    """The exception handler of every `SandboxError`: the error's own answer."""
    assert isinstance(exc, SandboxError)
    return exc.response()


def unrouted_handler(
    unrouted: Callable[[Request, HTTPException], SandboxError],
) -> ExceptionHandler:
    """The exception handler of Starlette's own 404/405, in the back end's error body."""

    async def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return unrouted(request, exc).response()

    return handler
