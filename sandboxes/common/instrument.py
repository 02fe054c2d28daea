"""What every sandbox has around its own routes: counters, faults and their control routes.

GET    /_sandbox/counters   {"GET /v1/customers": 3, ...}
DELETE /_sandbox/counters   reset them (204)
GET    /_sandbox/faults     the current FaultSettings
PUT    /_sandbox/faults     replace them (a JSON object of FaultSettings fields; {} = none)
"""

from __future__ import annotations

import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from adapters.model import Backend
from sandboxes.common.counters import RequestCounter
from sandboxes.common.faults import CONTROL_PREFIX, FaultInjection, FaultSettings


class SandboxApp:
    """One back end's simulator: its Starlette app behind a request counter and faults."""

    def __init__(self, backend: Backend, app: Starlette, *, fault_seed: int = 7) -> None:
        self.backend = backend
        self.app = app
        app.router.routes.extend(_control_routes(self))
        self.faults = FaultInjection(app, seed=fault_seed)
        self.counter = RequestCounter(self.faults, app.router.routes)

    @property
    def state(self):  # type: ignore[no-untyped-def]
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
