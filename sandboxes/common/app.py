"""All three sandboxes in one app: /clubmed, /carecloud and /relay, each with its
/openapi.json, counters and fault knobs (/<backend>/_sandbox/...).
"""

from __future__ import annotations

import importlib

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


def create_sandbox_app(config: SandboxConfig | None = None) -> Starlette:
    config = config or SandboxConfig()
    sandboxes = {backend: create_backend_sandbox(backend, config) for backend in Backend}

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
