"""The sandboxes in one app: /clubmed, /carecloud and /relay (or those asked for), each with
its /openapi.json, counters and fault knobs (/<backend>/_sandbox/...).
"""

from __future__ import annotations

import importlib
from collections.abc import Collection

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from adapters.model import Backend
from sandboxes.common.config import SandboxConfig
from sandboxes.common.instrument import SandboxApp


def create_backend_sandbox(backend: Backend, config: SandboxConfig) -> SandboxApp:
    """One back end's simulator: `sandboxes.<backend>.create_app`, imported by its name."""
    module = importlib.import_module(f"sandboxes.{backend.value}")
    sandbox: SandboxApp = module.create_app(config)
    return sandbox


def create_sandbox_app(
    config: SandboxConfig | None = None, backends: Collection[Backend] = tuple(Backend)
) -> Starlette:
    """The simulators of `backends` (all three by default), each under /<backend>."""
    config = config or SandboxConfig()
    sandboxes = {b: create_backend_sandbox(b, config) for b in Backend if b in backends}

    async def index(request: Request) -> JSONResponse:
        return JSONResponse(
            {
                backend.value: {
                    "base_url": f"/{backend.value}",
                    "openapi": f"/{backend.value}/openapi.json",
                }
                for backend in sandboxes
            }
        )

    app = Starlette(
        routes=[
            Route("/", index),
            *(Mount(f"/{b.value}", app=sandbox) for b, sandbox in sandboxes.items()),
        ]
    )
    app.state.sandboxes = sandboxes
    return app
