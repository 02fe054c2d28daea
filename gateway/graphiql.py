"""GraphiQL, development mode only, served whole by the gateway: no CDN, no network.

The page is `static/graphiql.html` (opening on two project examples), its scripts and styles
the pinned npm files in `static/graphiql/` (versions, hashes and licences in LICENSES.txt).
The page asks `/graphiql/token` for the development token on load and again after a 401, so
a tab opened before a restart keeps working. That route exists only where the gateway made
its own development token: where callers' keys are configured it answers 404.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from gateway.state import gateway_state

STATIC: Final = Path(__file__).parent / "static"
ASSETS: Final = STATIC / "graphiql"


@cache
def _page() -> bytes:
    return (STATIC / "graphiql.html").read_bytes()


def graphiql_page() -> HTMLResponse:
    """The page, read once; it holds no token (it asks for one), so any cache may keep it."""
    return HTMLResponse(_page())


async def development_token(request: Request) -> Response:
    token = gateway_state(request.app).development_token
    if not token:
        return JSONResponse({"error": "no development token: callers' keys are set"}, 404)
    return JSONResponse({"token": token}, headers={"cache-control": "no-store"})


def graphiql_routes() -> list[BaseRoute]:
    """The assets and the token route, beside /graphql (whose GET answers the page)."""
    return [
        Mount("/graphiql/static", app=StaticFiles(directory=ASSETS), name="graphiql-static"),
        Route("/graphiql/token", development_token),
    ]
