"""Client CPU of one dataloader-style fan-out (1 + 20 concurrent GETs) per HTTP stack.

    .venv/bin/python -m bench.transport [--rounds 300]

Serves a small JSON route with uvicorn on 127.0.0.1 in another process, then, for each
stack, runs `rounds` fan-outs and prints the client's CPU time per fan-out (median of 5
runs, thread CPU time of the client's event loop only) and its ratio to raw aiohttp.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine

import aiohttp
import httpx

from adapters.upstream import create_transport

SERVER = """
import sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
BODY = b'[' + b','.join([b'{"id": "123", "first_name": "Tom", "last_name": "Smith"}'] * 8) + b']'
async def item(request):
    return Response(BODY, media_type="application/json")
app = Starlette(routes=[Route("/items/{id}", item)])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""

FanOut = Callable[[], Awaitable[None]]


async def _measure(fan_out: FanOut, rounds: int) -> float:
    for _ in range(20):  # warm the pool up
        await fan_out()
    start = time.thread_time()
    for _ in range(rounds):
        await fan_out()
    return (time.thread_time() - start) / rounds * 1000


async def _httpx(base: str, kind: str, rounds: int) -> float:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(
        base_url=base, transport=create_transport(kind, limits), trust_env=False
    ) as client:

        async def fan_out() -> None:
            (await client.get("/items/0")).json()
            responses = await asyncio.gather(*(client.get(f"/items/{i}") for i in range(20)))
            for response in responses:
                response.json()

        return await _measure(fan_out, rounds)


async def _aiohttp(base: str, rounds: int) -> float:
    async with aiohttp.ClientSession(base) as session:

        async def get(i: int) -> None:
            async with session.get(f"/items/{i}") as response:
                await response.json()

        async def fan_out() -> None:
            await get(0)
            await asyncio.gather(*(get(i) for i in range(20)))

        return await _measure(fan_out, rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--port", type=int, default=18931)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(args.port)])
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/items/0")
                break
            except httpx.TransportError:
                time.sleep(0.05)
        stacks: dict[str, Callable[[], Coroutine[None, None, float]]] = {
            "httpx (default transport)": lambda: _httpx(base, "httpx", args.rounds),
            "httpx + httpx-aiohttp transport": lambda: _httpx(base, "aiohttp", args.rounds),
            "aiohttp alone": lambda: _aiohttp(base, args.rounds),
        }
        results = {
            name: statistics.median(asyncio.run(run()) for _ in range(5))
            for name, run in stacks.items()
        }
    finally:
        server.terminate()
        server.wait()
    floor = results["aiohttp alone"]
    print(f"client CPU per fan-out of 1 + 20 GETs, median of 5 x {args.rounds} fan-outs")
    for name, ms in results.items():
        print(f"  {name:34s} {ms:7.2f} ms   {ms / floor:5.1f}x aiohttp")


if __name__ == "__main__":
    main()
