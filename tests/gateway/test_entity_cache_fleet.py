"""The entity cache of a fleet (issue 17): two `serve` processes, replicas A and B, on the
test sandboxes, sharing the real redis-server (tests/redis_server.py), every back end's
reads kept a minute. A write through one replica is read through the other at once; a
stampede of reads makes one upstream call; Redis holds no personal value in a key and
nothing without a TTL; with Redis stopped, reads still answer."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import redis

from adapters.model import Backend
from sandboxes.common.faults import FaultSettings
from tests.conftest import RunningSandbox
from tests.gateway.conftest import Gateway
from tests.gateway_process import caller_client, redis_settings, two_replicas
from tests.redis_server import PASSWORD, RedisServer

PROFILE = "GET /v2/customers/{customer_id}/profile"
CLUBMED_READ = """query ($id: ID!) { customer(id: $id) {
  nativeId firstName lastName email birthCity travelers { id } travelDocuments { id } } }"""
CARECLOUD_READ = """query ($id: ID!) { customer(id: $id) {
  nativeId firstName lastName email membershipNumber loyalty { points } } }"""
FIND = """query ($backend: Backend!, $last: String!, $first: Int!) {
  customers(filter: {lastName: $last}, backends: [$backend], first: $first) {
    edges { node { id } } } }"""
UPDATE = """mutation ($id: ID!, $name: String!) {
  updateCustomer(input: {id: $id, firstName: $name}) { customer { firstName } } }"""


@pytest.fixture(scope="module")
def replicas(
    gateway_sandboxes: dict[Backend, RunningSandbox], redis_server: RedisServer
) -> Iterator[tuple[Gateway, Gateway]]:
    settings = {
        **redis_settings(redis_server),
        "CLUBMED_CACHE_TTL": "60",
        "CARECLOUD_CACHE_TTL": "60",
        "RELAY_CACHE_TTL": "60",
    }
    with (
        two_replicas(gateway_sandboxes, settings) as (first, second),
        caller_client(first) as a,
        caller_client(second) as b,
    ):
        yield Gateway(first, a, gateway_sandboxes), Gateway(second, b, gateway_sandboxes)


@pytest.fixture
def fleet(
    replicas: tuple[Gateway, Gateway], redis_db: RedisServer
) -> Iterator[tuple[Gateway, Gateway]]:
    """The two replicas over an empty Redis, the sandboxes' counters and faults reset."""
    replicas[0].reset()
    yield replicas
    replicas[0].reset()


def find(gateway: Gateway, backend: Backend, last: str, first: int = 1) -> list[str]:
    found = gateway.query(FIND, {"backend": backend.name, "last": last, "first": first})
    return [edge["node"]["id"] for edge in found["data"]["customers"]["edges"]]


def read(gateway: Gateway, document: str, id: str) -> dict[str, Any]:
    body = gateway.query(document, {"id": id})
    assert "errors" not in body, body
    return body


@pytest.mark.parametrize(
    ("backend", "document"),
    [(Backend.CLUBMED, CLUBMED_READ), (Backend.CARECLOUD, CARECLOUD_READ)],
    ids=["clubmed", "carecloud"],
)
def test_a_write_through_one_replica_is_read_through_the_other_at_once(
    fleet: tuple[Gateway, Gateway], backend: Backend, document: str
) -> None:
    a, b = fleet
    [id] = find(a, backend, "Lopez")
    before = read(a, document, id)["data"]["customer"]["firstName"]
    assert read(a, document, id)["extensions"]["cache"]["misses"] == {}  # A holds it now
    assert read(b, document, id)["extensions"]["cache"]["misses"] == {}  # and so does B
    name = "Fleetname" if before != "Fleetname" else "Otherfleetname"
    updated = b.query(UPDATE, {"id": id, "name": name})
    assert updated["data"]["updateCustomer"]["customer"]["firstName"] == name, updated
    assert read(a, document, id)["data"]["customer"]["firstName"] == name
    assert read(b, document, id)["data"]["customer"]["firstName"] == name
    b.query(UPDATE, {"id": id, "name": before})
    assert read(a, document, id)["data"]["customer"]["firstName"] == before


def test_a_stampede_through_two_replicas_makes_one_upstream_call(
    fleet: tuple[Gateway, Gateway],
) -> None:
    a, b = fleet
    [id] = find(a, Backend.CLUBMED, "Wilson")
    a.reset_counters()
    clubmed = a.sandboxes[Backend.CLUBMED].app
    # The profile takes a while: every read below arrives before the first one's answer.
    clubmed.faults.settings = FaultSettings(latency_ms=400, path_prefix="/v2/customers")
    document = "query ($id: ID!) { customer(id: $id) { firstName birthCity } }"
    with ThreadPoolExecutor(max_workers=12) as pool:
        bodies = list(pool.map(lambda n: (a, b)[n % 2].query(document, {"id": id}), range(12)))
    assert all("errors" not in body for body in bodies), bodies
    assert len({str(body["data"]) for body in bodies}) == 1
    assert a.calls(Backend.CLUBMED) == {PROFILE: 1}
    misses = sum(body["extensions"]["cache"]["misses"].get("CLUBMED.profile", 0) for body in bodies)
    assert misses == 1


def test_redis_holds_no_personal_value_in_a_key_and_nothing_without_a_ttl(
    fleet: tuple[Gateway, Gateway], redis_db: RedisServer
) -> None:
    a, b = fleet
    seen: list[dict[str, Any]] = []
    for backend, document in ((Backend.CLUBMED, CLUBMED_READ), (Backend.CARECLOUD, CARECLOUD_READ)):
        for id in find(a, backend, "Taylor", first=3):
            seen.append(read(a, document, id)["data"]["customer"])
            read(b, document, id)
    [id] = find(a, Backend.CLUBMED, "Taylor")
    b.query(UPDATE, {"id": id, "name": "Keyless"})  # an invalidation: a generation key
    read(a, CLUBMED_READ, id)
    personal = {
        value.casefold()
        for customer in seen
        for value in (customer["nativeId"], customer["email"], customer["firstName"])
        if value
    } | {customer["lastName"].casefold() for customer in seen}
    with redis.Redis(port=redis_db.port, password=PASSWORD) as client:
        keys = [key.decode() for key in client.scan_iter(count=1000)]
        entity_keys = [key for key in keys if ":entity:" in key]
        assert len(entity_keys) >= len(seen) + 1, keys  # every record, and a generation
        for key in keys:
            assert not any(value in key.casefold() for value in personal), key
            assert client.pttl(key) > 0, key
    b.query(UPDATE, {"id": id, "name": seen[0]["firstName"]})


def test_reads_answer_while_redis_is_stopped(
    fleet: tuple[Gateway, Gateway], redis_db: RedisServer
) -> None:
    a, b = fleet
    ids = find(a, Backend.CLUBMED, "Brown", first=2)
    for id in ids:
        read(a, CLUBMED_READ, id)
    redis_db.stop()
    for gateway in (a, b):
        for id in ids:
            response = gateway.post(CLUBMED_READ, {"id": id})
            assert response.status_code == 200, response.text
            body = response.json()
            assert "errors" not in body, body
            assert body["extensions"]["cache"]["hits"] == {}  # bypassed, never from memory
    redis_db.start()
    # Each replica goes back to Redis once its pause after the failure is over (5 s).
    deadline = time.monotonic() + 15
    while not read(a, CLUBMED_READ, ids[0])["extensions"]["cache"]["hits"]:
        assert time.monotonic() < deadline, "replica A never went back to Redis"
        time.sleep(0.5)
