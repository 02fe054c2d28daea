"""The transports: the aiohttp one reads answers whole and names failures for what they are
(a refused connection is not a time-out), as httpx's own transport does. A raw asyncio
server on 127.0.0.1 plays the misbehaving back end."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest

from adapters.upstream import GatewayAiohttpTransport, create_transport

pytestmark = pytest.mark.anyio

Serve = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
LIMITS = httpx.Limits(max_connections=10, max_keepalive_connections=10)
KINDS = ["aiohttp", "httpx"]


@asynccontextmanager
async def serving(serve: Serve) -> AsyncIterator[str]:
    """A server on a free port running `serve` per connection; every connection closed after."""
    writers: list[asyncio.StreamWriter] = []

    async def tracked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        await serve(reader, writer)

    server = await asyncio.start_server(tracked, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        for writer in writers:
            writer.close()
        await server.wait_closed()


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    body = b'{"ok":true}'
    writer.write(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
        + f"content-length: {len(body)}\r\n\r\n".encode()
        + body
    )
    await writer.drain()
    writer.close()


async def _hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.close()


async def _say_nothing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    await reader.read()  # until the client gives up and closes
    writer.close()


async def _send(kind: str, url: str, read_timeout: float = 5.0) -> httpx.Response:
    transport = create_transport(kind, LIMITS)
    request = httpx.Request(
        "GET", url, extensions={"timeout": httpx.Timeout(5.0, read=read_timeout).as_dict()}
    )
    try:
        response = await transport.handle_async_request(request)
        await response.aread()
        return response
    finally:
        await transport.aclose()


@pytest.mark.parametrize("kind", KINDS)
async def test_an_answer_is_read_whole(kind: str) -> None:
    async with serving(_answer) as url:
        response = await _send(kind, url)
    assert (response.status_code, response.json()) == (200, {"ok": True})


@pytest.mark.parametrize("kind", KINDS)
async def test_a_refused_connection_is_a_connect_error(kind: str) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(httpx.ConnectError):
        await _send(kind, f"http://127.0.0.1:{port}")


@pytest.mark.parametrize("kind", KINDS)
async def test_a_server_that_hangs_up_is_a_protocol_error(kind: str) -> None:
    async with serving(_hang_up) as url:
        with pytest.raises(httpx.RemoteProtocolError):
            await _send(kind, url)


@pytest.mark.parametrize("kind", KINDS)
async def test_silence_past_the_read_time_out_is_a_read_time_out(kind: str) -> None:
    async with serving(_say_nothing) as url:
        with pytest.raises(httpx.ReadTimeout):
            await _send(kind, url, read_timeout=0.05)


def test_the_transport_is_chosen_by_name() -> None:
    assert isinstance(create_transport("aiohttp", LIMITS), GatewayAiohttpTransport)
    assert isinstance(create_transport("httpx", LIMITS), httpx.AsyncHTTPTransport)
    with pytest.raises(ValueError, match="unknown transport"):
        create_transport("curl", LIMITS)
