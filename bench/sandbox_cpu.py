"""The sandboxes' CPU per search of the most common last name, in process (no network).

    .venv/bin/python -m bench.sandbox_cpu [--customers 100000] [--searches 200]

Prints, per back end, the median of five rounds of CPU milliseconds per search (a page of
10) for the commonest generated last name: the cost the sandbox adds to every search a
gateway benchmark sends it (issue 19: the sandboxes must never be the bottleneck).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx

from adapters.model import Backend
from sandboxes import SandboxConfig, create_backend_sandbox, person, slice_range
from sandboxes.common import credentials

Search = Callable[[], Awaitable[httpx.Response]]


def commonest_last_name(backend: Backend, customers: int, seed: int) -> tuple[str, int]:
    names = collections.Counter(person(seed, i).last_name for i in slice_range(backend, customers))
    return names.most_common(1)[0]


async def clubmed_search(http: httpx.AsyncClient, name: str) -> Search:
    given = credentials.BY_BACKEND[Backend.CLUBMED]
    answer = await http.post(
        "/token",
        data={"grant_type": "client_credentials", "scope": "openid pms"},
        auth=(given["client_id"], given["client_secret"]),
    )
    headers = {
        "authorization": f"Bearer {answer.json()['access_token']}",
        "x-api-key": given["api_key"],
        "accept-language": "en-US",
    }
    params = {"filter": f'last_name=="{name}"', "limit": "10"}
    return lambda: http.get("/v1/customers", params=params, headers=headers)


async def carecloud_search(http: httpx.AsyncClient, name: str) -> Search:
    given = credentials.BY_BACKEND[Backend.CARECLOUD]
    answer = await http.post(
        "/users/actions/login",
        json={
            "user_external_application_id": given["application_id"],
            "login": given["login"],
            "password": given["password"],
        },
    )
    headers = {"authorization": f"Bearer {answer.json()['data']['bearer_token']}"}
    params = {"last_name": name, "count": "10"}
    return lambda: http.get("/customers", params=params, headers=headers)


async def measure(backend: Backend, customers: int, searches: int, seed: int) -> None:
    app = create_backend_sandbox(backend, SandboxConfig(customers=customers, seed=seed))
    name, count = commonest_last_name(backend, customers, seed)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
        make = clubmed_search if backend is Backend.CLUBMED else carecloud_search
        search = await make(http, name)
        assert (await search()).status_code in (200, 206)
        rounds = []
        for _ in range(5):
            started = time.process_time()
            for _ in range(searches):
                await search()
            rounds.append((time.process_time() - started) / searches * 1000)
    print(
        f"{backend.name:9} {count:6} matches  {statistics.median(rounds):6.2f} ms CPU per search",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    for backend in (Backend.CLUBMED, Backend.CARECLOUD):
        asyncio.run(measure(backend, args.customers, args.searches, args.seed))


if __name__ == "__main__":
    main()
