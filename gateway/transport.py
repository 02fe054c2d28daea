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


class GatewayAiohttpTransport(AiohttpTransport):
    """httpx-aiohttp with truer exception mapping.

    httpx-aiohttp maps every aiohttp `ClientConnectionError` to `httpx.ConnectTimeout`, so a
    refused connection or a server that hung up would read as a time-out. They are not.
    """

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await super().handle_async_request(request)
        except httpx.ConnectTimeout as exc:
            cause = exc.__cause__
            if isinstance(cause, aiohttp.ClientConnectorError) and not isinstance(
                cause, TimeoutError
            ):
                raise httpx.ConnectError(str(exc), request=request) from cause
            if isinstance(cause, aiohttp.ServerDisconnectedError):
                raise httpx.RemoteProtocolError(str(exc), request=request) from cause
            raise


def create_transport(kind: str, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    """The transport named by `kind`: "aiohttp" (default) or "httpx"."""
    if kind == "httpx":
        return httpx.AsyncHTTPTransport(limits=limits)
    if kind == "aiohttp":
        return GatewayAiohttpTransport(limits=limits, trust_env=False)
    raise ValueError(f"unknown transport {kind!r}")
