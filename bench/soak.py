"""Soak: moderate load with faults on, for a bounded time; memory must stay flat, and
unhandled exceptions and gateway 5xx must stay at zero.

    .venv/bin/python -m bench.soak [--seconds 120] [--concurrency 8]

The sandboxes answer 5% 500s, drop 2% of connections mid-body, send 2% malformed bodies,
and add 5-15 ms per call. Every 10 s it prints the gateway's RSS, requests so far, and the
counts that must be zero; at the end a verdict. Figures go to bench/results/soak-<date>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import random
import time
from pathlib import Path
from typing import Any

import httpx

from bench.operations import prepare
from bench.run import CLI, RESULTS, ROOT, SECRET, gateway_env, process
from bench.sandbox_urls import one_process
from gateway.auth import mint_token

FAULTS = {
    "latency_ms": 5,
    "jitter_ms": 10,
    "error_rate": 0.05,
    "drop_rate": 0.02,
    "malformed_rate": 0.02,
}
READS = ("search_profile_travelers", "customer_everything", "nodes_50", "search_fields_only")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def drive(
    url: str, token: str, bodies: dict[str, str], seconds: float, workers: int, pid: int
) -> dict[str, Any]:
    stats: dict[str, Any] = {
        "requests": 0,
        "http_5xx": 0,
        "internal_errors": 0,
        "upstream_errors": 0,
        "transport_errors": 0,
        "memory_mb": [],
    }
    deadline = time.monotonic() + seconds
    names = [*READS, *READS, "update_customer"]  # mostly reads, some writes
    headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}

    async def worker(client: httpx.AsyncClient, rng: random.Random) -> None:
        while time.monotonic() < deadline:
            try:
                response = await client.post("/graphql", content=bodies[rng.choice(names)])
            except httpx.TransportError:
                stats["transport_errors"] += 1
                continue
            stats["requests"] += 1
            if response.status_code >= 500:
                stats["http_5xx"] += 1
                continue
            for error in response.json().get("errors") or ():
                code = error.get("extensions", {}).get("code")
                if code == "INTERNAL":
                    stats["internal_errors"] += 1
                elif code and code.startswith("UPSTREAM"):
                    stats["upstream_errors"] += 1

    async def sample() -> None:
        started = time.monotonic()
        while time.monotonic() < deadline:
            stats["memory_mb"].append((round(time.monotonic() - started), round(rss_mb(pid), 1)))
            t, mb = stats["memory_mb"][-1]
            print(
                f"t={t:4d}s rss={mb:6.1f} MB requests={stats['requests']} "
                f"5xx={stats['http_5xx']} internal={stats['internal_errors']}",
                flush=True,
            )
            await asyncio.sleep(10)

    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
        await asyncio.gather(sample(), *(worker(client, random.Random(i)) for i in range(workers)))
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--sandbox-port", type=int, default=18200)
    parser.add_argument("--gateway-port", type=int, default=18001)
    args = parser.parse_args()
    sandbox_url = f"http://127.0.0.1:{args.sandbox_port}"
    gateway_url = f"http://127.0.0.1:{args.gateway_port}"
    token = mint_token(SECRET)
    env = gateway_env(one_process(sandbox_url))
    sandbox_cmd = [
        *CLI,
        "sandbox",
        "--port",
        str(args.sandbox_port),
        "--customers",
        str(args.customers),
    ]
    gateway_cmd = [*CLI, "serve", "--port", str(args.gateway_port)]
    with (
        process(sandbox_cmd, {}, f"{sandbox_url}/"),
        process(gateway_cmd, env, f"{gateway_url}/healthz") as gateway,
    ):
        bodies = prepare(gateway_url, token)
        for backend in ("clubmed", "carecloud", "relay"):
            httpx.put(f"{sandbox_url}/{backend}/_sandbox/faults", json=FAULTS)
        stats = asyncio.run(
            drive(gateway_url, token, bodies, args.seconds, args.concurrency, gateway.pid)
        )
    memory = [mb for _, mb in stats["memory_mb"]]
    half = max(len(memory) // 2, 1)
    stats["memory_growth_second_half_mb"] = round(memory[-1] - memory[half - 1], 1) if memory else 0
    verdict = stats["http_5xx"] == 0 and stats["internal_errors"] == 0
    stats.update(
        verdict="pass" if verdict else "FAIL",
        faults=FAULTS,
        settings=vars(args),
        date=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"soak-{datetime.date.today().isoformat()}.json"
    out.write_text(json.dumps(stats, indent=2) + "\n")
    print(json.dumps({k: v for k, v in stats.items() if k != "memory_mb"}, indent=2))
    print(f"written to {out.relative_to(ROOT)}")
    raise SystemExit(0 if verdict else 1)


if __name__ == "__main__":
    main()
