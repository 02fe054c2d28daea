"""Sandbox scale: generation time and indexed search latency over 1,000,000 customers.

    .venv/bin/python -m bench.sandbox_search [--customers 1000000] [--searches 200]

Builds the three sandboxes with that many generated customers each, serves them on
127.0.0.1, and prints the median and p95 latency of searches by last name, email, phone and
birthdate on Club Med and CareCloud (Relay has no search), measured from a loopback client.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from adapters.model import Backend
from bench.critical_path import Upstreams
from bench.sandbox_urls import one_process
from sandboxes import BackgroundServer, SandboxConfig, create_sandbox_app, person, slice_range


async def _measure(url: str, customers: int, searches: int, seed: int) -> None:
    up = Upstreams(one_process(url), send="client")  # searches go through the AsyncClients
    await up.login()
    sample = [
        person(seed, i) for i in slice_range(Backend.CLUBMED, customers)[: searches * 37 : 37]
    ]
    shared = [
        p for p in sample if p.index >= slice_range(Backend.CARECLOUD, customers).start
    ] or sample
    kinds = {
        "Club Med last_name": lambda p: up.clubmed.get(
            "/v1/customers", params={"filter": f'last_name=="{p.last_name}"', "limit": 20}
        ),
        "Club Med email": lambda p: up.clubmed.get(
            "/v1/customers", params={"filter": f'email=="{p.email}"'}
        ),
        "Club Med birthdate": lambda p: up.clubmed.get(
            "/v1/customers", params={"filter": f'birthdate=="{p.birthdate:%Y%m%d}"', "limit": 20}
        ),
        "Club Med phone": lambda p: up.clubmed.get(
            "/v1/customers", params={"filter": f'phones.number=="{p.phone_international}"'}
        ),
        "CareCloud last_name": lambda p: up.carecloud.get(
            "/customers", params={"last_name": p.last_name, "count": 20}
        ),
        "CareCloud email": lambda p: up.carecloud.get("/customers", params={"email": p.email}),
        "CareCloud phone": lambda p: up.carecloud.get(
            "/customers", params={"phone": p.phone_international}
        ),
        "CareCloud birthdate": lambda p: up.carecloud.get(
            "/customers", params={"birthdate": p.birthdate.isoformat(), "count": 20}
        ),
    }
    print(f"{'search':22s} {'median':>9s} {'p95':>9s}  (ms, loopback HTTP, {searches} searches)")
    for name, search in kinds.items():
        people = shared if name.startswith("CareCloud") else sample
        latencies = []
        for p in people[:searches]:
            started = time.perf_counter()
            response = await search(p)
            latencies.append((time.perf_counter() - started) * 1000)
            assert response.status_code in (200, 206), (name, response.status_code)
        latencies.sort()
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(f"{name:22s} {statistics.median(latencies):9.2f} {p95:9.2f}")
    await up.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    started = time.perf_counter()
    app = create_sandbox_app(SandboxConfig(customers=args.customers, seed=args.seed))
    print(
        f"generated {args.customers:,} customers per back end (x3) in {time.perf_counter() - started:.1f} s"
    )
    with BackgroundServer(app) as server:
        asyncio.run(_measure(server.url, args.customers, args.searches, args.seed))


if __name__ == "__main__":
    main()
