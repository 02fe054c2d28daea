"""What serving a GraphQL request over HTTP costs above executing it (issue 19, "serve lighter").

    .venv/bin/python -m bench.view_cost [--requests 5000]

In one process, without a network or an ASGI server, for `{ __typename }` (a document that
asks nothing of any back end) and for the benchmark's search of 20 customers with their
fields (its back-end answers replayed from memory, as bench.graphql_floor does):

- **execute**: `Schema.execute` alone, with a fresh context: parsing (cached), validation
  (cached), the schema's extensions and execution;
- **app**: the whole ASGI app driven directly (scope, body, collected answer): Starlette's
  middleware, the bearer token's check, Strawberry's view with the gateway's additions, the
  context, execution and the JSON answer.

The difference is what the HTTP layer above execution costs per request: the most a thinner
endpoint than Strawberry's view could save. uvicorn's own share is not in either figure
(BENCHMARKS.md, "Serving with granian").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.types import ASGIApp, Message

from bench.cpu_time import cpu_seconds_per_call
from bench.graphql_floor import Floor, replay
from bench.operations import OPERATIONS
from bench.run import SECRET, mint_token
from gateway.app import create_app
from gateway.cli import sandbox_variables
from gateway.config import Settings, load_settings
from gateway.schema import create_schema
from gateway.state import gateway_state
from sandboxes import BackgroundServer, SandboxConfig, create_sandbox_app

QUESTIONS = {
    "typename": "{ __typename }",
    "search_fields_only": OPERATIONS["search_fields_only"],
}


def asgi_post(app: ASGIApp, body: bytes, token: str) -> Callable[[], Awaitable[int]]:
    """A POST /graphql of `body` straight into `app`; returns the answer's status.

    Not httpx.ASGITransport: its request and response objects (about 30 us of CPU, see
    bench.upstream_layer) would count as the app's, in a figure of 0.1-0.2 ms."""
    headers = [
        (b"host", b"bench"),
        (b"content-type", b"application/json"),
        (b"accept", b"application/json"),
        (b"authorization", f"Bearer {token}".encode()),
        (b"content-length", str(len(body)).encode()),
    ]

    async def post() -> int:
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "root_path": "",
            "query_string": b"",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        sent = False
        status = 0

        async def receive() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)
        return status

    return post


async def cpu_ms(run: Callable[[], Awaitable[Any]], requests: int) -> float:
    return await cpu_seconds_per_call(run, requests) * 1000


async def measure(sandbox_url: str, requests: int) -> dict[str, dict[str, float]]:
    settings = load_settings(
        {"GATEWAY_JWT_SECRET": SECRET, **sandbox_variables(sandbox_url, Settings())}
    )
    app = create_app(settings)
    token = mint_token(SECRET)
    figures: dict[str, dict[str, float]] = {}
    # The app's own lifespan: its state (adapters, verifier) as `serve` builds it.
    async with app.router.lifespan_context(app):
        adapters = gateway_state(app).adapters
        floor = Floor(create_schema(settings), settings, adapters)
        for adapter in adapters.values():
            replay(adapter)
        for name, query in QUESTIONS.items():
            post = asgi_post(app, json.dumps({"query": query}).encode(), token)
            assert await post() == 200, f"{name}: the app did not answer 200"

            async def execute(query: str = query) -> Any:
                return await floor.execute(query, {})

            on_app: list[float] = []
            alone: list[float] = []
            for _ in range(3):
                on_app.append(await cpu_ms(post, requests))
                alone.append(await cpu_ms(execute, requests))
            app_ms, execute_ms = statistics.median(on_app), statistics.median(alone)
            figures[name] = {
                "app_cpu_ms": round(app_ms, 3),
                "execute_cpu_ms": round(execute_ms, 3),
                "http_layer_cpu_ms": round(app_ms - execute_ms, 3),
            }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=5000, help="requests timed per figure")
    args = parser.parse_args()
    with BackgroundServer(create_sandbox_app(SandboxConfig(customers=2000, seed=42))) as sandbox:
        figures = asyncio.run(measure(sandbox.url, args.requests))
    print(f"{'question':22s} {'app ms':>8s} {'execute ms':>11s} {'HTTP layer ms':>14s}")
    for name, row in figures.items():
        print(
            f"{name:22s} {row['app_cpu_ms']:8.3f} {row['execute_cpu_ms']:11.3f} "
            f"{row['http_layer_cpu_ms']:14.3f}"
        )


if __name__ == "__main__":
    main()
