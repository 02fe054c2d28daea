"""What every sandbox has around its own routes: its OpenAPI document, its error body for
unrouted requests, counters, faults and their control routes.

GET    /openapi.json        the OpenAPI document of the API the sandbox simulates
GET    /_sandbox/counters   {"GET /v1/customers": 3, ...}
DELETE /_sandbox/counters   reset them (204)
GET    /_sandbox/faults     the current FaultSettings
PUT    /_sandbox/faults     replace them (a JSON object of FaultSettings fields; {} = none)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import State
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from adapters.model import Backend
from sandboxes.common.counters import RequestCounter
from sandboxes.common.errors import SandboxError, answer, unrouted_handler
from sandboxes.common.faults import CONTROL_PREFIX, FaultInjection, FaultSettings


class SandboxApp:
    """One back end's simulator: its Starlette app behind a request counter and faults.

    `routes` are the API's; `unrouted` renders Starlette's own 404/405 as the back end's
    error; `openapi()` is the document served at /openapi.json; `middleware` runs in front
    of the routes (the back end's credential checks).
    """

    def __init__(
        self,
        backend: Backend,
        routes: Sequence[BaseRoute],
        *,
        unrouted: Callable[[Request, HTTPException], SandboxError],
        openapi: Callable[[], dict[str, Any]],
        middleware: Sequence[Middleware] = (),
        fault_seed: int = 7,
    ) -> None:
        self.backend = backend

        async def openapi_document(request: Request) -> JSONResponse:
            return JSONResponse(openapi())

        self.app = Starlette(
            routes=[Route("/openapi.json", openapi_document, methods=["GET"]), *routes],
            middleware=middleware,
            exception_handlers={SandboxError: answer, HTTPException: unrouted_handler(unrouted)},
        )
        self.app.router.routes.extend(_control_routes(self))
        # Unknown paths are 404s, not redirects to a slash-less twin.
        self.app.router.redirect_slashes = False
        self.faults = FaultInjection(self.app, seed=fault_seed)
        self.counter = RequestCounter(self.faults, self.app.router.routes)

    @property
    def state(self) -> State:
        """The inner app's state, where the sandbox keeps its store."""
        return self.app.state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.counter(scope, receive, send)


def _control_routes(sandbox: SandboxApp) -> list[Route]:
    async def counters(request: Request) -> Response:
        if request.method == "DELETE":
            sandbox.counter.reset()
            return Response(status_code=204)
        return JSONResponse(sandbox.counter.snapshot())

    async def faults(request: Request) -> Response:
        if request.method == "PUT":
            try:
                body = json.loads(await request.body() or b"{}")
                if not isinstance(body, dict):
                    raise ValueError("a JSON object is expected")
                sandbox.faults.settings = FaultSettings.from_json(body)
            except (ValueError, TypeError) as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(sandbox.faults.settings.to_json())

    return [
        Route(f"{CONTROL_PREFIX}/counters", counters, methods=["GET", "DELETE"]),
        Route(f"{CONTROL_PREFIX}/faults", faults, methods=["GET", "PUT"]),
    ]
