"""Requests counted per back end and route template, for tests and benchmarks."""

from __future__ import annotations

from collections import Counter

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send


class RequestCounter:
    """ASGI middleware counting each request as "METHOD /route/{template}".

    The count is taken before anything else runs, so a request answered by an injected
    fault counts too: it reached the back end. Unrouted paths count as "METHOD <unmatched>".
    """

    def __init__(self, app: ASGIApp, routes: list[BaseRoute]) -> None:
        self.app = app
        self.routes = routes
        self.counts: Counter[str] = Counter()
        # Requests that carried a W3C `traceparent` header, and the last such header.
        self.traced: Counter[str] = Counter()
        self.last_traceparent: str | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            key = f"{scope['method']} {self._template(scope)}"
            self.counts[key] += 1
            for name, value in scope["headers"]:
                if name == b"traceparent":
                    self.traced[key] += 1
                    self.last_traceparent = value.decode("latin-1")
        await self.app(scope, receive, send)

    def _template(self, scope: Scope) -> str:
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is not Match.NONE:
                return getattr(route, "path", "<unmatched>")
        return "<unmatched>"

    def snapshot(self) -> dict[str, int]:
        return dict(self.counts)

    def total(self, method: str | None = None, prefix: str = "") -> int:
        """Requests whose key starts with "METHOD prefix" (any method when None)."""
        return sum(
            n
            for key, n in self.counts.items()
            if key.partition(" ")[2].startswith(prefix)
            and (method is None or key.startswith(method + " "))
        )

    def reset(self) -> None:
        self.counts.clear()
        self.traced.clear()
        self.last_traceparent = None
