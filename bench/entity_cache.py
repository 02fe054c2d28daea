"""The entity cache (issue 17): the customer-by-id operation at a realistic hit ratio, with
the cache off, in memory and in Redis, in one run.

    .venv/bin/python -m bench.entity_cache [--latency-ms 20] [--customers 100000]
        [--seconds 5] [--repeat 0.8] [--concurrency 1,10]

Starts the sandboxes (a set latency per call) and three gateways of one worker on 127.0.0.1:
the cache off (the default), every back end's CACHE_TTL at 300 s in memory, and the same in
Redis (Debian's redis-server on a free port; that gateway is left out without one). The
operation is bench/operations.py's `customer_everything` on Club Med customers (profile,
travelers and travel documents: 3 upstream calls uncached). Each concurrency level replays
one sequence of ids, the same for every gateway, drawn so that `--repeat` of the reads ask
for an id read before (any of them alike) and the others for a new one; each level has ids
of its own, so every cache starts it cold. wrk (one thread, bench/wrk_sequence.lua) sends the
sequence in order. Each row prints requests/s, p50/p95, upstream calls per operation (the
sandboxes' counters), gateway CPU per 1,000 operations and the share of answers the cache
served whole. Figures go to bench/results/<date>-entity-cache.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.operations import OPERATIONS
from bench.run import (
    CLI,
    RESULTS,
    ROOT,
    SECRET,
    Target,
    ensure_wrk,
    gateway_env,
    gateway_pids,
    measure_row,
    process,
    set_faults,
    wrk_figures,
)
from bench.sandbox_urls import one_process
from gateway.auth import mint_token
from sandboxes.common.people import LAST_NAMES

REDIS_PASSWORD = "benchmark-redis-password"
FIND = """query ($last: String!, $after: String) {
  customers(filter: {lastName: $last}, backends: [CLUBMED], first: 100, after: $after) {
    edges { node { id } } pageInfo { endCursor hasNextPage } } }"""
CACHED = {f"{prefix}_CACHE_TTL": "300" for prefix in ("CLUBMED", "CARECLOUD", "RELAY")}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def redis_server() -> Iterator[str | None]:
    """Debian's redis-server on loopback (no persistence), its URL; None when not installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = free_port()
    with tempfile.TemporaryDirectory() as directory:
        server = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(port), "--requirepass",
             REDIS_PASSWORD, "--save", "", "--appendonly", "no", "--dir", directory],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            server.terminate()
            server.wait(timeout=10)


def club_med_ids(url: str, token: str, wanted: int) -> list[str]:
    """`wanted` distinct Club Med customers' ids, found by searches through the gateway."""
    found: dict[str, None] = {}
    headers = {"authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
        for last in LAST_NAMES:
            after = None
            while len(found) < wanted:
                variables = {"last": last, "after": after}
                body = http.post("/graphql", json={"query": FIND, "variables": variables}).json()
                page = body["data"]["customers"]
                found.update(dict.fromkeys(edge["node"]["id"] for edge in page["edges"]))
                if not page["pageInfo"]["hasNextPage"]:
                    break
                after = page["pageInfo"]["endCursor"]
            if len(found) >= wanted:
                return list(found)[:wanted]
    raise SystemExit(f"only {len(found)} Club Med customers found: use more --customers")


def sequence(ids: list[str], length: int, repeat: float, seed: int) -> list[str]:
    """`length` reads: each asks for an id read before with probability `repeat` (any of
    them alike), else for the next new one of `ids`."""
    draw = random.Random(seed)
    fresh = iter(ids)
    seen: list[str] = []
    reads = []
    for _ in range(length):
        if seen and draw.random() < repeat:
            reads.append(draw.choice(seen))
        else:
            seen.append(next(fresh))
            reads.append(seen[-1])
    return reads


def bodies_file(directory: Path, name: str, reads: list[str]) -> Path:
    path = directory / f"{name}.jsonl"
    query = OPERATIONS["customer_everything"]
    path.write_text(
        "".join(json.dumps({"query": query, "variables": {"id": id}}) + "\n" for id in reads)
    )
    return path


def run_sequence(
    wrk: str, url: str, bodies: Path, token: str, concurrency: int, seconds: float
) -> dict[str, Any]:
    """wrk POSTing the bodies of `bodies` (one per line) in order."""
    script = ROOT / "bench" / "wrk_sequence.lua"
    env = {"BENCH_BODIES": str(bodies), "BENCH_TOKEN": token}
    return wrk_figures(wrk, script, f"{url}/graphql", concurrency, seconds, env)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=5.0, help="per gateway and level")
    parser.add_argument(
        "--repeat", type=float, default=0.8, help="share of reads of an id read before"
    )
    parser.add_argument("--concurrency", default="1,10")
    parser.add_argument("--sandbox-port", type=int, default=18200)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--label", help="suffix of the results file: <date>-entity-cache-<label>")
    args = parser.parse_args()
    wrk = ensure_wrk()
    token = mint_token(SECRET)
    levels = [int(c) for c in args.concurrency.split(",")]
    sandbox_url = f"http://127.0.0.1:{args.sandbox_port}"
    sandboxes = one_process(sandbox_url)
    env = gateway_env(sandboxes)
    # Long enough that wrk never comes round to its first read again.
    length = max(2_000, int(args.seconds * 1_500))
    new_per_level = int(length * (1 - args.repeat)) + 50
    report: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "settings": vars(args),
        "rows": {},
    }
    sandbox_cmd = [
        *CLI,
        "sandbox",
        "--port",
        str(args.sandbox_port),
        "--customers",
        str(args.customers),
    ]
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        stack.enter_context(process(sandbox_cmd, {}, f"{sandbox_url}/"))
        set_faults(sandboxes, {"latency_ms": args.latency_ms})
        redis_url = stack.enter_context(redis_server())
        forms: list[tuple[str, dict[str, str]]] = [("off", {}), ("memory", CACHED)]
        if redis_url is not None:
            redis_env = {"GATEWAY_REDIS_URL": redis_url, "GATEWAY_REDIS_PASSWORD": REDIS_PASSWORD}
            forms.append(("redis", {**CACHED, **redis_env}))
        else:
            print("redis-server is not installed: no row for the cache in Redis", flush=True)
        targets = []
        for name, extra in forms:
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            command = [*CLI, "serve", "--port", str(port)]
            gateway = stack.enter_context(process(command, {**env, **extra}, f"{url}/healthz"))
            targets.append(Target(name, url, gateway_pids(gateway.pid)))
        ids = club_med_ids(targets[0].url, token, 200 + new_per_level * len(levels))
        warm = bodies_file(work, "warm-up", ids[:200])
        for target in targets:
            run_sequence(wrk, target.url, warm, token, 4, 2)
        print(
            f"sandboxes: {args.customers} customers per back end, {args.latency_ms} ms per call; "
            f"{args.repeat:.0%} of the reads repeat an id",
            flush=True,
        )
        for index, concurrency in enumerate(levels):
            start = 200 + index * new_per_level
            reads = sequence(
                ids[start : start + new_per_level], length, args.repeat, args.seed + index
            )
            bodies = bodies_file(work, f"c{concurrency}", reads)

            def run(url: str, concurrency: int, bodies: Path = bodies) -> dict[str, Any]:
                return run_sequence(wrk, url, bodies, token, concurrency, args.seconds)

            # In turn, the order swapped every level: a drift of the machine hits every form.
            for target in targets if index % 2 == 0 else targets[::-1]:
                figures = measure_row(target, sandboxes, run, concurrency, workers=1)
                figures["served_from_cache_share"] = round(
                    figures["served_from_cache"] / max(figures["requests"], 1), 3
                )
                report["rows"].setdefault(target.name, {})[concurrency] = figures
            for target in targets:
                print_row(target.name, concurrency, report["rows"][target.name][concurrency])
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = f"-{args.label}" if args.label else ""
    out = RESULTS / f"{datetime.date.today().isoformat()}-entity-cache{suffix}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


def print_row(name: str, concurrency: int, f: dict[str, Any]) -> None:
    print(
        f"cache {name:7s} c={concurrency:<3d} {f['requests_per_second']:8.1f} req/s  "
        f"p50 {f['p50_ms']:7.2f}  p95 {f['p95_ms']:7.2f} ms  "
        f"calls/op {f['upstream_calls_per_op']:5.2f}  "
        f"served from cache {f['served_from_cache_share']:5.1%}  "
        f"cpu/1000 {f['gateway_cpu_s_per_1000']:6.2f}s  "
        f"errors {f['non_2xx'] + f['socket_errors'] + f['graphql_errors']}",
        flush=True,
    )


if __name__ == "__main__":
    main()
