"""Automatic persisted queries across a fleet: two `serve` processes sharing a real
redis-server (tests/redis_server.py), a document sent to one run by hash on the other, and
Redis taken away mid-test (every answer still a GraphQL one, never a 5xx)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis

from adapters.model import Backend
from tests.conftest import RunningSandbox
from tests.gateway.conftest import Gateway, custom_gateway
from tests.gateway_process import caller_client, redis_settings, two_replicas
from tests.redis_server import PASSWORD, RedisServer

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
PREFIX = "customer-gateway"


def document(name: str) -> str:
    """A query of its own name, its value a variable: a string in a document is never
    written to Redis (`test_a_document_holding_a_string_stays_in_its_replica`)."""
    return (
        f"query {name}($id: String!) {{ "
        "customerByNativeId(backend: RELAY, nativeId: $id) { lastName } }"
    )


MOORE = {"id": "BAK-11984-007"}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def hashed(text: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}}


def answer(http: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    """The decoded answer (with MOORE's variables), which is never a 5xx."""
    response = http.post("/graphql", json={"variables": MOORE, **body})
    assert response.status_code < 500, response.text
    decoded: dict[str, Any] = response.json()
    return decoded


def lastname(body: dict[str, Any]) -> str:
    assert "errors" not in body, body
    return str(body["data"]["customerByNativeId"]["lastName"])


def code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


def fleet_settings(server: RedisServer) -> dict[str, str]:
    return {**redis_settings(server), "GATEWAY_APQ_TTL_SECONDS": "600"}


@pytest.fixture
def replicas(
    gateway_sandboxes: dict[Backend, RunningSandbox], redis_db: RedisServer
) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """Two replicas of one fleet: separate processes, one Redis."""
    settings = fleet_settings(redis_db)
    with (
        two_replicas(gateway_sandboxes, settings) as (first, second),
        caller_client(first) as a,
        caller_client(second) as b,
    ):
        yield a, b


@pytest.mark.slow
def test_a_document_sent_to_one_replica_runs_by_hash_on_another(
    replicas: tuple[httpx.Client, httpx.Client], redis_db: RedisServer
) -> None:
    a, b = replicas
    query = document("AcrossTheFleet")
    assert code(answer(b, {"extensions": hashed(query)})) == NOT_FOUND
    assert lastname(answer(a, {"query": query, "extensions": hashed(query)})) == "Moore"
    assert lastname(answer(b, {"extensions": hashed(query)})) == "Moore"
    # Under the prefix, by hash, for GATEWAY_APQ_TTL_SECONDS.
    with redis.Redis(port=redis_db.port, password=PASSWORD) as direct:
        key = f"{PREFIX}:apq:{sha256(query)}"
        assert direct.get(key) == query.encode()
        assert 0 < direct.ttl(key) <= 600
        # A document refused by the mismatch or by validation never reaches Redis.
        wrong = document("WrongHash")
        answer(a, {"query": wrong, "extensions": hashed(query + " ")})
        invalid = "query Invalid { noSuchField }"
        answer(a, {"query": invalid, "extensions": hashed(invalid)})
        assert sorted(direct.keys(f"{PREFIX}:apq:*")) == [key.encode()]


@pytest.mark.slow
def test_a_document_holding_a_string_stays_in_its_replica(
    replicas: tuple[httpx.Client, httpx.Client], redis_db: RedisServer
) -> None:
    """Redis holds no personal value: a value written in the document may be one."""
    a, b = replicas
    literal = (
        "query Literal { "
        'customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") { lastName } }'
    )
    assert lastname(answer(a, {"query": literal, "extensions": hashed(literal)})) == "Moore"
    assert lastname(answer(a, {"extensions": hashed(literal)})) == "Moore"
    assert code(answer(b, {"extensions": hashed(literal)})) == NOT_FOUND
    with redis.Redis(port=redis_db.port, password=PASSWORD) as direct:
        assert direct.keys(f"{PREFIX}:apq:*") == []


@pytest.mark.slow
def test_redis_gone_mid_test_apq_answers_from_each_process(
    replicas: tuple[httpx.Client, httpx.Client], redis_db: RedisServer
) -> None:
    a, b = replicas
    before, during = document("BeforeTheOutage"), document("DuringTheOutage")
    assert lastname(answer(a, {"query": before, "extensions": hashed(before)})) == "Moore"
    redis_db.stop()
    # The replica that saw the document runs it still; the other asks for it (it is not in
    # Redis any more for it), and keeps it once sent.
    assert lastname(answer(a, {"extensions": hashed(before)})) == "Moore"
    assert code(answer(b, {"extensions": hashed(before)})) == NOT_FOUND
    assert lastname(answer(b, {"query": before, "extensions": hashed(before)})) == "Moore"
    assert lastname(answer(b, {"extensions": hashed(before)})) == "Moore"
    # A new document during the outage: the whole APQ dance, in process.
    assert code(answer(a, {"extensions": hashed(during)})) == NOT_FOUND
    assert lastname(answer(a, {"query": during, "extensions": hashed(during)})) == "Moore"
    assert lastname(answer(a, {"extensions": hashed(during)})) == "Moore"
    # Redis back: what is sent now is the fleet's again.
    redis_db.start()
    again = document("AfterTheOutage")
    for _ in range(30):  # the fallback retries Redis after a few seconds
        answer(a, {"query": again, "extensions": hashed(again)})
        if lastname_or_none(answer(b, {"extensions": hashed(again)})) == "Moore":
            break
        time.sleep(0.5)
    else:
        pytest.fail("the document sent after the outage did not reach the other replica")


def lastname_or_none(body: dict[str, Any]) -> str | None:
    return None if "errors" in body else lastname(body)


def test_a_stored_document_keeps_the_request_limits(
    gateway: Gateway, redis_db: RedisServer
) -> None:
    """Another replica (other limits) stored it: it is checked as if it had been sent."""
    big = "query StoredTooBig { " + "__typename " * 2000 + "}"
    deep = "query StoredTooDeep " + "{ a " * 40 + "}" * 40
    with redis.Redis(port=redis_db.port, password=PASSWORD) as direct:
        for text in (big, deep):
            direct.set(f"{PREFIX}:apq:{sha256(text)}", text)
        # Not the document of its hash: as good as absent.
        direct.set(f"{PREFIX}:apq:{sha256(document('Tampered'))}", document("Other"))
    with custom_gateway(
        gateway.sandboxes, redis_url=redis_db.url, redis_password=PASSWORD
    ) as replica:
        assert replica.http.post("/graphql", json={"extensions": hashed(big)}).status_code == 413
        too_deep = replica.http.post("/graphql", json={"extensions": hashed(deep)})
        assert too_deep.status_code == 400
        assert "nested too deeply" in too_deep.json()["errors"][0]["message"]
        tampered = answer(replica.http, {"extensions": hashed(document("Tampered"))})
        assert code(tampered) == NOT_FOUND
        assert all(not replica.calls(backend) for backend in Backend)
