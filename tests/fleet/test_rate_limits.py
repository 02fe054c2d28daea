"""Callers' rate limits through HTTP: per caller and per operation, the RateLimit fields, and
one window for a fleet of two processes sharing Redis (gateway/caller_limits.py)."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import httpx
import pytest

from adapters.model import Backend
from gateway.auth import ALL_SCOPES, mint_token
from tests.conftest import RunningSandbox
from tests.gateway.conftest import TEST_JWT_SECRET, custom_gateway
from tests.gateway_process import two_replicas
from tests.redis_server import PASSWORD, RedisServer

PING = {"query": "query Ping { __typename }"}
OTHER = {"query": "query Other { __typename }"}
_subjects = itertools.count()


def caller() -> dict[str, str]:
    """The headers of a caller of its own (a fresh subject: its own windows)."""
    subject = f"rate-test-{next(_subjects)}@example.com"
    return {
        "authorization": f"Bearer {mint_token(TEST_JWT_SECRET, scopes=ALL_SCOPES, subject=subject)}"
    }


def test_a_caller_past_its_quota_gets_429_rate_limited(
    gateway_sandboxes: dict[Backend, RunningSandbox],
) -> None:
    with custom_gateway(gateway_sandboxes, rate_limit=3, rate_limit_window_seconds=30) as gw:
        headers = caller()
        answers = [gw.http.post("/graphql", json=PING, headers=headers) for _ in range(5)]
        other = gw.http.post("/graphql", json=PING, headers=caller())
    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    fields = [a.headers["RateLimit"] for a in answers]
    assert [f.split(";")[1] for f in fields] == ["r=2", "r=1", "r=0", "r=0", "r=0"]
    assert all(f.startswith('"caller";') and 1 <= int(f.split("t=")[1]) <= 30 for f in fields)
    assert answers[0].headers["RateLimit-Policy"] == '"caller";q=3;w=30'
    refused = answers[3]
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert 1 <= int(refused.headers["Retry-After"]) <= 30
    assert other.status_code == 200  # another caller has its own window


def test_the_per_operation_quota_counts_each_operation_name(
    gateway_sandboxes: dict[Backend, RunningSandbox],
) -> None:
    with custom_gateway(gateway_sandboxes, rate_limit_per_operation=2) as gw:
        headers = caller()
        pings = [gw.http.post("/graphql", json=PING, headers=headers).status_code for _ in range(3)]
        other = gw.http.post("/graphql", json=OTHER, headers=headers)
    assert pings == [200, 200, 429]
    assert other.status_code == 200
    assert other.headers["RateLimit-Policy"] == '"operation";q=2;w=60'


def test_each_operation_of_a_batch_counts(gateway_sandboxes: dict[Backend, RunningSandbox]) -> None:
    with custom_gateway(gateway_sandboxes, rate_limit=3) as gw:
        headers = caller()
        batch = gw.http.post("/graphql", json=[PING, PING, PING], headers=headers)
        after = gw.http.post("/graphql", json=PING, headers=headers)
    assert batch.status_code == 200
    assert after.status_code == 429


def test_no_limit_no_fields(gateway_sandboxes: dict[Backend, RunningSandbox]) -> None:
    with custom_gateway(gateway_sandboxes) as gw:
        answer = gw.http.post("/graphql", json=PING, headers=caller())
    assert answer.status_code == 200
    assert "RateLimit" not in answer.headers


@pytest.mark.slow
def test_a_fleet_of_two_counts_one_window(
    gateway_sandboxes: dict[Backend, RunningSandbox], redis_db: RedisServer, tmp_path: Path
) -> None:
    settings = {
        "GATEWAY_REDIS_URL": redis_db.url,
        "GATEWAY_REDIS_PASSWORD": PASSWORD,
        "GATEWAY_RATE_LIMIT": "5",
    }
    logs = tmp_path / "first.log", tmp_path / "second.log"
    with two_replicas(gateway_sandboxes, settings, logs=logs) as (first, second):
        headers = caller()

        async def send() -> list[int]:
            async with httpx.AsyncClient(headers=headers, timeout=30) as http:
                answers = await asyncio.gather(
                    *(http.post(f"{url}/graphql", json=PING) for url in (first, second) * 4)
                )
            return [a.status_code for a in answers]

        statuses = asyncio.run(send())
        # Redis taken away: each process counts alone, still answering (never a 5xx).
        redis_db.stop()
        after = [
            httpx.post(f"{url}/graphql", json=PING, headers=caller(), timeout=30).status_code
            for url in (first, second)
        ]
    assert sorted(statuses) == [200] * 5 + [429] * 3
    assert after == [200, 200]
    for log in logs:  # one warning each, naming no key or value
        warnings = [line for line in log.read_text().splitlines() if "redis unavailable" in line]
        assert len(warnings) == 1, log.read_text()


VERIFY = """mutation ($value: String!, $password: String!) {
  verifyCustomerCredentials(loginType: EMAIL, loginValue: $value, password: $password) {
    customer { id } } }"""


@pytest.mark.slow
def test_wrong_secrets_for_one_login_are_counted_by_the_fleet(
    gateway_sandboxes: dict[Backend, RunningSandbox], redis_db: RedisServer
) -> None:
    settings = {
        "GATEWAY_REDIS_URL": redis_db.url,
        "GATEWAY_REDIS_PASSWORD": PASSWORD,
        "GATEWAY_VERIFY_MAX_FAILURES": "3",
    }
    carecloud = gateway_sandboxes[Backend.CARECLOUD]
    with two_replicas(gateway_sandboxes, settings) as (first, second):
        carecloud.reset()
        login = f"fleet.limited.{next(_subjects)}@example.com"

        async def send() -> list[str]:
            async with httpx.AsyncClient(headers=caller(), timeout=30) as http:
                answers = await asyncio.gather(
                    *(
                        http.post(
                            f"{url}/graphql",
                            json={
                                "query": VERIFY,
                                "variables": {"value": login, "password": f"Wrong-{n}"},
                            },
                        )
                        for n, url in enumerate((first, second) * 4)
                    )
                )
            return sorted(a.json()["errors"][0]["extensions"]["code"] for a in answers)

        codes = asyncio.run(send())
        reached = carecloud.app.counter.total("POST", "/customers/actions/verify-credentials")
    assert codes == ["INVALID_CREDENTIALS"] * 3 + ["RATE_LIMITED"] * 5
    assert reached == 3


def test_readiness_says_whether_redis_answers_and_does_not_depend_on_it(
    gateway_sandboxes: dict[Backend, RunningSandbox], redis_db: RedisServer
) -> None:
    with custom_gateway(gateway_sandboxes, redis_url=redis_db.url, redis_password=PASSWORD) as gw:
        up = gw.http.get("/readyz")
        redis_db.stop()
        down = gw.http.get("/readyz")
    with custom_gateway(gateway_sandboxes) as gw:
        alone = gw.http.get("/readyz")
    assert (up.status_code, up.json()["redis"]) == (200, "ok")
    assert (down.status_code, down.json()["redis"]) == (200, "unavailable")
    assert alone.json()["redis"] == "off"
