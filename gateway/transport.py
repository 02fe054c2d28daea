"""The HTTP transport under every back end's httpx client.

Measured on this machine (see BENCHMARKS.md): fanning out 1 + 20 concurrent GETs to a
loopback back end costs several times less CPU through the aiohttp transport for httpx
(httpx-aiohttp) than through httpx's default transport, with the same httpx API above it.
So the gateway uses it; `GATEWAY_UPSTREAM_TRANSPORT=httpx` switches back.
"""

from __future__ import annotations

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport
from httpx_aiohttp.transport import map_aiohttp_exceptions


class GatewayAiohttpTransport(AiohttpTransport):
    """httpx-aiohttp, reading each answer whole, with truer exception mapping.

    A back end answers JSON of a page at most, and the gateway reads every body whole: so
    the body is read here in one `read()`, not streamed through httpx's and httpx-aiohttp's
    iterator layers (a tenth of a fan-out's CPU, py-spy, BENCHMARKS.md). httpx-aiohttp maps
    every aiohttp `ClientConnectionError` to `httpx.ConnectTimeout`, so a refused connection
    or a server that hung up would read as a time-out: they are mapped to what they are.
    """

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self._exchange(request)
        except httpx.ConnectTimeout as exc:
            cause = exc.__cause__
            if isinstance(cause, aiohttp.ClientConnectorError) and not isinstance(
                cause, TimeoutError
            ):
                raise httpx.ConnectError(str(exc), request=request) from cause
            if isinstance(cause, aiohttp.ServerDisconnectedError):
                raise httpx.RemoteProtocolError(str(exc), request=request) from cause
            raise

    async def _exchange(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(self.client, aiohttp.ClientSession):
            self.client = self.get_client()
        content = await request.aread()  # a JSON or form body: already in memory
        timeout = request.extensions.get("timeout", {})
        with map_aiohttp_exceptions():
            async with self.client.request(
                request.method,
                str(request.url),
                headers=request.headers.multi_items(),
                data=content or None,
                allow_redirects=False,
                auto_decompress=False,  # httpx decodes, as for its own transport
                compress=False,
                timeout=aiohttp.ClientTimeout(
                    sock_connect=timeout.get("connect"),
                    sock_read=timeout.get("read"),
                    connect=timeout.get("pool"),
                ),
            ) as answer:
                body = await answer.read()
        extensions = {"http_version": b"HTTP/1.1"}
        if answer.reason:
            extensions["reason_phrase"] = answer.reason.encode()
        return httpx.Response(
            answer.status,
            headers=answer.raw_headers,
            content=body,
            request=request,
            extensions=extensions,
        )


def create_transport(kind: str, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    """The transport named by `kind`: "aiohttp" (default) or "httpx"."""
    if kind == "httpx":
        return httpx.AsyncHTTPTransport(limits=limits)
    if kind == "aiohttp":
        return GatewayAiohttpTransport(limits=limits, trust_env=False)
    raise ValueError(f"unknown transport {kind!r}")
