"""What the adapter tests share: an `Upstream` for a sandbox's URL, as the gateway builds one.

The tests' Upstream sends over httpx's own transport, with no breaker and no retry (a bare
client's policy), so the sandboxes' counters see exactly the calls an adapter makes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx

from adapters.model import Backend
from adapters.upstream import Upstream


class NotingTransport(httpx.AsyncBaseTransport):
    """httpx's own transport, awaiting `note(request)` before each request goes out."""

    def __init__(self, note: Callable[[httpx.Request], Awaitable[None]]) -> None:
        self.note = note
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await self.note(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@asynccontextmanager
async def upstream_for(
    backend: Backend,
    url: str,
    *,
    timeouts: float = 5.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[Upstream]:
    """An Upstream for `url` over `transport` (httpx's own by default), closed after."""
    upstream = Upstream(
        backend,
        transport or httpx.AsyncHTTPTransport(),
        base_url=url,
        timeout=httpx.Timeout(timeouts),
    )
    try:
        yield upstream
    finally:
        await upstream.aclose()
