"""One upstream login per back end for a fleet: four workers in two `serve` processes on one
Redis log in to Club Med and CareCloud once each (gateway/fleet/tokens.py)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from adapters.model import Backend
from tests.conftest import RunningSandbox
from tests.gateway.conftest import token
from tests.gateway_process import redis_settings, two_replicas
from tests.redis_server import RedisServer

SEARCH = """query ($backend: Backend!) {
  customers(filter: {lastName: "Martin"}, backends: [$backend], first: 2) { totalCount } }"""


def logins(sandboxes: dict[Backend, RunningSandbox]) -> tuple[int, int]:
    return (
        sandboxes[Backend.CLUBMED].app.counter.total("POST", "/token"),
        sandboxes[Backend.CARECLOUD].app.counter.total("POST", "/users/actions/login"),
    )


async def search_everywhere(urls: tuple[str, ...], rounds: int) -> list[int]:
    headers = {"authorization": f"Bearer {token()}"}
    statuses = []
    for _ in range(rounds):  # fresh connections: each worker of each process takes some
        for url in urls:
            async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as http:
                answers = await asyncio.gather(
                    *(
                        http.post("/graphql", json={"query": SEARCH, "variables": {"backend": b}})
                        for b in ("CLUBMED", "CARECLOUD")
                    )
                )
                statuses += [a.status_code for a in answers if "errors" not in a.json()]
    return statuses


@pytest.mark.slow
@pytest.mark.parametrize("with_redis", [True, False])
def test_a_fleet_logs_in_once_per_back_end(
    gateway_sandboxes: dict[Backend, RunningSandbox], redis_db: RedisServer, with_redis: bool
) -> None:
    settings = redis_settings(redis_db) if with_redis else {}
    for sandbox in gateway_sandboxes.values():
        sandbox.reset()
    with two_replicas(gateway_sandboxes, settings, workers=2) as (first, second):
        statuses = asyncio.run(search_everywhere((first, second), rounds=6))
    assert statuses == [200] * 24
    if with_redis:
        assert logins(gateway_sandboxes) == (1, 1)
    else:  # without Redis each worker logs in itself: the comparison that makes the point
        clubmed, carecloud = logins(gateway_sandboxes)
        assert clubmed > 1 and carecloud > 1
