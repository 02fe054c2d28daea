"""The HTTP transports under every back end's `Upstream`, and the choice between them.

Measured on this machine (see BENCHMARKS.md): fanning out 1 + 20 concurrent GETs to a
loopback back end costs several times less CPU through the aiohttp transport for httpx
(httpx-aiohttp) than through httpx's own transport, with the same httpx types above it.
So the gateway uses it; `GATEWAY_UPSTREAM_TRANSPORT=httpx` switches back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport

__all__ = ["GatewayAiohttpTransport", "create_transport"]


class GatewayAiohttpTransport(AiohttpTransport):
    """httpx-aiohttp, reading each answer whole, its failures mapped to what they are.

    A back end answers JSON of a page at most, and the gateway reads every body whole: so
    the body is read here in one `read()`, not streamed through httpx's and httpx-aiohttp's
    iterator layers (a tenth of a fan-out's CPU, py-spy, BENCHMARKS.md). aiohttp's
    exceptions are mapped here (`_mapped_errors`) rather than by httpx-aiohttp, which maps
    every `ClientConnectionError` to `httpx.ConnectTimeout`: a refused connection or a
    server that hung up would read as a time-out.
    """

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(self.client, aiohttp.ClientSession):
            self.client = self.get_client()
        content = await request.aread()  # a JSON or form body: already in memory
        timeout = request.extensions.get("timeout", {})
        with _mapped_errors():
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


def _httpx_error(error: aiohttp.ClientError) -> type[httpx.TransportError] | None:
    """The httpx exception an aiohttp one stands for (None: not a transport failure)."""
    if isinstance(error, aiohttp.SocketTimeoutError):  # no byte within the read time-out
        return httpx.ReadTimeout
    if isinstance(error, aiohttp.ServerTimeoutError):  # no connection in time (pool included)
        return httpx.ConnectTimeout
    if isinstance(error, aiohttp.ClientConnectorError):  # refused, unreachable, no such host
        return httpx.ConnectError
    if isinstance(error, aiohttp.ServerDisconnectedError):  # hung up before answering
        return httpx.RemoteProtocolError
    if isinstance(error, aiohttp.ClientConnectionError):
        # What httpx-aiohttp maps it to (a reset connection, say): kept as it was.
        return httpx.ConnectTimeout
    if isinstance(error, aiohttp.ClientPayloadError):  # the body broke off
        return httpx.ReadError
    if isinstance(error, aiohttp.InvalidUrlClientError | aiohttp.NonHttpUrlClientError):
        return httpx.UnsupportedProtocol
    if isinstance(error, aiohttp.ClientHttpProxyError):
        return httpx.ProxyError
    return None


@contextlib.contextmanager
def _mapped_errors() -> Iterator[None]:
    try:
        yield
    except aiohttp.ClientError as error:
        mapped = _httpx_error(error)
        if mapped is None:
            raise
        raise mapped(str(error)) from error


def create_transport(kind: str, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
    """The transport named by `kind`: "aiohttp" (default) or "httpx"."""
    if kind == "httpx":
        return httpx.AsyncHTTPTransport(limits=limits)
    if kind == "aiohttp":
        return GatewayAiohttpTransport(limits=limits, trust_env=False)
    raise ValueError(f"unknown transport {kind!r}")
