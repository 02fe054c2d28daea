"""What the gateway's upstream layer adds to one call, above a bare request (issue 19).

    .venv/bin/python -m bench.upstream_layer [--calls 20000]

Both send one GET of a small JSON profile to a transport that answers at once from memory
(no network, no server), so only the client side's CPU is counted:

- **bare**: an `httpx.Request` built by hand, the transport's answer read, orjson decoding:
  what the critical-path client of bench.run does per call;
- **Upstream.send_json**: the adapters' path (`adapters/upstream/send.py`): the call's
  context, headers and deadline, the policy (breaker, bulkhead, retry loop), the answer's
  status check, decoding and the check of its shape.

Prints the CPU per call of each (median of three runs) and their difference.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
from collections.abc import Awaitable, Callable

import httpx
import orjson

from adapters.model import Backend
from adapters.upstream.policy import Policy
from adapters.upstream.send import Upstream
from bench.cpu_time import cpu_seconds_per_call

BASE = "http://127.0.0.1:1"
PATH = "/v2/customers/123/profile"
BODY = orjson.dumps(
    {
        "id": "123",
        "first_name": "Tom",
        "last_name": "Smith",
        "address": {"city": "Paris", "country_code": "FR"},
        "phones": [{"number": "0623456789", "type": "MOBILE"}],
    }
)


class AnswersAtOnce(httpx.AsyncBaseTransport):
    """Answers every request 200 with BODY, from memory."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=BODY, headers={"content-type": "application/json"})


async def cpu_us(call: Callable[[], Awaitable[object]], calls: int) -> float:
    return await cpu_seconds_per_call(call, calls) * 1e6


async def measure(calls: int) -> dict[str, float]:
    transport = AnswersAtOnce()
    headers = {"accept": "*/*", "accept-language": "en-US", "authorization": "Bearer token"}

    async def bare() -> object:
        request = httpx.Request("GET", f"{BASE}{PATH}", headers=headers)
        response = await transport.handle_async_request(request)
        await response.aread()
        await response.aclose()
        return orjson.loads(response.content)

    upstream = Upstream(Backend.CLUBMED, transport, base_url=BASE, policy=Policy(Backend.CLUBMED))

    async def layered() -> object:
        return await upstream.send_json(
            "GET", PATH, operation="clubmed.get_profile", headers={"accept-language": "en-US"}
        )

    figures: dict[str, list[float]] = {"bare": [], "upstream": []}
    for _ in range(3):
        figures["bare"].append(await cpu_us(bare, calls))
        figures["upstream"].append(await cpu_us(layered, calls))
    return {name: round(statistics.median(values), 1) for name, values in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=20000, help="calls timed per figure")
    args = parser.parse_args()
    figures = asyncio.run(measure(args.calls))
    print(f"bare request         {figures['bare']:6.1f} us of CPU per call")
    print(f"Upstream.send_json   {figures['upstream']:6.1f} us of CPU per call")
    print(f"the layer adds       {figures['upstream'] - figures['bare']:6.1f} us per call")


if __name__ == "__main__":
    main()
