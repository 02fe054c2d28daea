"""The critical path of each benchmark operation: the minimal upstream calls, hand-written.

A small asyncio client on the adapters' HTTP stack (httpx on the httpx-aiohttp transport)
that makes exactly the calls an operation needs, concurrently wherever data allows, straight
to the sandboxes. Its p50 is the floor the gateway's p50 is compared with; its CPU per
operation is the yardstick of the gateway's.

It sends one of two ways (`--send`): `transport`, as the adapters do (an `httpx.Request`
handed to the transport, orjson decoding: the floor of this stack, and the yardstick of the
targets), or `client`, through `httpx.AsyncClient.get/post` as most hand-written clients
would (URL merging, cookie jar, auth and redirect layers: a heavier, commoner baseline).

    .venv/bin/python -m bench.critical_path --op nodes_50 --sandbox http://127.0.0.1:18100

`--sandbox` is one process's URL, or each back end's (`clubmed=URL,carecloud=URL,...`, as
bench.run passes them when each runs in a process of its own).

bench.peers runs it, with `--seconds`, as the bare client beside two gateways.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import orjson

from adapters.model import Backend
from adapters.upstream import create_transport
from bench.sandbox_urls import SandboxUrls, as_argument, from_argument
from gateway.ids import decode_id
from sandboxes import credentials

Operation = Callable[[], Awaitable[None]]


class Sender:
    """One back end's calls, sent through its AsyncClient or straight to its transport."""

    def __init__(self, base_url: str, send: str) -> None:
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
        self.transport = create_transport("aiohttp", limits)
        self.http = httpx.AsyncClient(base_url=base_url, transport=self.transport)
        self.base_url = base_url
        self.via_client = send == "client"
        self.headers: dict[str, str] = {}
        self.json_headers: dict[str, str] = {}

    async def call(self, method: str, url: str, body: Any = None, **params: Any) -> Any:
        if self.via_client:
            response = await self.http.request(method, url, params=params or None, json=body)
            response.raise_for_status()
            return response.json() if response.content else None
        request = httpx.Request(
            method,
            self.base_url + url,
            params=params or None,
            content=None if body is None else orjson.dumps(body),
            headers=self.headers if body is None else self.json_headers,
        )
        response = await self.transport.handle_async_request(request)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {url}: {response.status_code}")
        return orjson.loads(response.content) if response.content else None

    def keep_headers(self) -> None:
        """The client's headers, once logged in, for the transport's requests."""
        self.headers = dict(self.http.headers.multi_items())
        self.json_headers = {**self.headers, "content-type": "application/json"}

    async def aclose(self) -> None:
        await self.http.aclose()


class Upstreams:
    """Authenticated clients of the Club Med and CareCloud sandboxes, tokens fetched once."""

    def __init__(self, sandboxes: SandboxUrls, send: str) -> None:
        self.cm = Sender(f"{sandboxes[Backend.CLUBMED]}/clubmed", send)
        self.cc = Sender(f"{sandboxes[Backend.CARECLOUD]}/carecloud", send)
        self.clubmed = self.cm.http
        self.carecloud = self.cc.http

    async def login(self) -> None:
        token = (
            await self.clubmed.post(
                "/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": credentials.CLUBMED_CLIENT_ID,
                    "client_secret": credentials.CLUBMED_CLIENT_SECRET,
                },
            )
        ).json()["access_token"]
        self.clubmed.headers.update(
            {
                "authorization": f"Bearer {token}",
                "x-api-key": credentials.CLUBMED_API_KEY,
                "accept-language": "en-US",
            }
        )
        login = await self.carecloud.post(
            "/users/actions/login",
            json={
                "user_external_application_id": credentials.CARECLOUD_USER_EXTERNAL_APPLICATION_ID,
                "login": credentials.CARECLOUD_LOGIN,
                "password": credentials.CARECLOUD_PASSWORD,
            },
        )
        self.carecloud.headers["authorization"] = f"Bearer {login.json()['data']['bearer_token']}"
        self.cm.keep_headers()
        self.cc.keep_headers()

    async def aclose(self) -> None:
        await self.cm.aclose()
        await self.cc.aclose()


def _interleave(first: list[Any], second: list[Any], n: int) -> list[tuple[int, Any]]:
    merged: list[tuple[int, Any]] = []
    for i in range(max(len(first), len(second))):
        merged += [(0, first[i])] if i < len(first) else []
        merged += [(1, second[i])] if i < len(second) else []
    return merged[:n]


def operations(up: Upstreams, ids: list[str]) -> dict[str, Operation]:
    cm, cc = up.cm, up.cc

    async def searches() -> tuple[list[Any], list[Any]]:
        found, cared = await asyncio.gather(
            cm.call("GET", "/v1/customers", filter='last_name=="Smith"', limit=20, page=1),
            cc.call("GET", "/customers", last_name="Smith", count=20, offset=0),
        )
        return found, cared["data"]["customers"]

    async def search_profile_travelers() -> None:
        found, cared = await searches()
        clubmed_ids = [c["id"] for side, c in _interleave(found, cared, 20) if side == 0]
        await asyncio.gather(
            *(cm.call("GET", f"/v2/customers/{i}/profile") for i in clubmed_ids),
            *(cm.call("GET", f"/v1/customers/{i}/travelers") for i in clubmed_ids),
        )

    async def search_fields_only() -> None:
        await searches()

    async def search_clubmed_profile_travelers() -> None:
        # Club Med alone, a page of 10 (bench.peers: what GraphQL Mesh can be asked too).
        found = await cm.call("GET", "/v1/customers", filter='last_name=="Smith"', limit=10, page=1)
        await asyncio.gather(
            *(cm.call("GET", f"/v2/customers/{c['id']}/profile") for c in found),
            *(cm.call("GET", f"/v1/customers/{c['id']}/travelers") for c in found),
        )

    async def customer_everything() -> None:
        i = ids[0]
        await asyncio.gather(
            cm.call("GET", f"/v2/customers/{i}/profile"),
            cm.call("GET", f"/v1/customers/{i}/travelers"),
            cm.call("GET", f"/v1/customers/{i}/travel_documents"),
        )

    async def nodes_50() -> None:
        await asyncio.gather(*(cm.call("GET", f"/v2/customers/{i}/profile") for i in ids[:50]))

    async def create_customer() -> None:
        body = {"identity": {"first_name": "Bench", "last_name": "Mark", "birthdate": "19900312"}}
        created = await cm.call("POST", "/v1/customers", body)
        await cm.call("GET", f"/v2/customers/{created['id']}/profile")

    async def update_customer() -> None:
        await cm.call("PATCH", f"/v1/customers/{ids[1]}/profile", {"first_name": "Benchy"})
        await cm.call("GET", f"/v2/customers/{ids[1]}/profile")

    return {
        "search_profile_travelers": search_profile_travelers,
        "customer_everything": customer_everything,
        "nodes_50": nodes_50,
        "search_fields_only": search_fields_only,
        "search_clubmed_profile_travelers": search_clubmed_profile_travelers,
        "create_customer": create_customer,
        "update_customer": update_customer,
    }


async def _run(
    op_name: str,
    sandboxes: SandboxUrls,
    ids: list[str],
    levels: list[int],
    ops: int,
    send: str,
    seconds: float = 0.0,
) -> dict[str, Any]:
    """The client's figures at each level: `ops` operations in all, or, when `seconds` is
    set, as many as its workers finish in that time (each ends the one it has begun)."""
    up = Upstreams(sandboxes, send)
    await up.login()
    op = operations(up, ids)[op_name]
    for _ in range(5):
        await op()
    counters = [
        f"{sandboxes[b]}/{b}/_sandbox/counters" for b in (Backend.CLUBMED, Backend.CARECLOUD)
    ]
    for url in counters:
        await up.clubmed.delete(url)
    await op()
    calls = 0
    for url in counters:
        counts = (await up.clubmed.get(url)).json()
        calls += sum(n for key, n in counts.items() if "/_sandbox" not in key)
    result: dict[str, Any] = {"calls": calls}
    for concurrency in levels:
        latencies: list[float] = []
        per_worker = max(ops // concurrency, 5)
        deadline = time.perf_counter() + seconds

        async def worker(
            latencies: list[float] = latencies,
            per_worker: int = per_worker,
            deadline: float = deadline,
        ) -> None:
            done = 0
            while time.perf_counter() < deadline if seconds else done < per_worker:
                started = time.perf_counter()
                await op()
                latencies.append((time.perf_counter() - started) * 1000)
                done += 1

        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        ordered = sorted(latencies)
        result[str(concurrency)] = {
            "p50_ms": round(statistics.median(latencies), 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
            "cpu_s_per_1000": round(cpu / len(latencies) * 1000, 3),
            "operations": len(latencies),
            "requests_per_second": round(len(latencies) / wall, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    await up.aclose()
    return result


def measure_critical_path(
    op_name: str,
    sandboxes: SandboxUrls,
    bodies: dict[str, str],
    levels: list[int],
    ops: int = 200,
    send: str = "transport",
) -> dict[Any, Any]:
    """Runs the client in its own process (so its CPU is its own) and returns its figures."""
    ids = [decode_id(i).native_id for i in json.loads(bodies["nodes_50"])["variables"]["ids"]]
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.critical_path",
            "--op",
            op_name,
            "--sandbox",
            as_argument(sandboxes),
            "--levels",
            ",".join(map(str, levels)),
            "--ops",
            str(ops),
            "--ids",
            ",".join(ids),
            "--send",
            send,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    raw = json.loads(output)
    return {"calls": raw["calls"], **{int(k): v for k, v in raw.items() if k != "calls"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--op", required=True)
    parser.add_argument(
        "--sandbox", required=True, type=from_argument, help="URL, or clubmed=URL,carecloud=URL"
    )
    parser.add_argument("--levels", default="1,10,50")
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--ids", required=True)
    parser.add_argument("--send", choices=("transport", "client"), default="transport")
    parser.add_argument(
        "--seconds", type=float, default=0.0, help="run each level this long instead of --ops"
    )
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    result = asyncio.run(
        _run(args.op, args.sandbox, args.ids.split(","), levels, args.ops, args.send, args.seconds)
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
