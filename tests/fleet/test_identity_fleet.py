"""Stewards' links across a fleet (GATEWAY_IDENTITY_STORE=redis): two `serve` processes, as
on two hosts (each its own GATEWAY_WRITE_LOCK_DIR), sharing a real redis-server; a link made
through one is the person the other answers, and with Redis gone a link is refused with its
code while queries still answer, never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.model import Backend
from tests.conftest import RunningSandbox
from tests.gateway_process import caller_client, redis_settings, two_replicas
from tests.redis_server import RedisServer

# A person every back end holds (tests/gateway/test_people.py); Relay's record is reached
# only through a steward's link, since Relay cannot be searched.
EVERYWHERE = 2961
CLUBMED_ID = f"{200_000_000 + EVERYWHERE}"
RELAY_ID = f"RLY-{EVERYWHERE:07d}"
UNAVAILABLE = "IDENTITY_STORE_UNAVAILABLE"

RECORDS = "person { id records { customer { backend nativeId } linkedBy } }"
BY_NATIVE_ID = (
    "query ($backend: Backend!, $id: String!) {"
    " customerByNativeId(backend: $backend, nativeId: $id) { id } }"
)
CUSTOMER = f"query ($id: ID!) {{ customer(id: $id) {{ lastName {RECORDS} }} }}"
LINK = f"mutation ($a: ID!, $b: ID!) {{ linkCustomers(a: $a, b: $b) {{ {RECORDS} }} }}"
UNLINK = f"mutation ($a: ID!, $b: ID!) {{ unlinkCustomers(a: $a, b: $b) {{ {RECORDS} }} }}"
PERSON = "query ($id: ID!) { person(id: $id) { id } }"


def answer(http: httpx.Client, query: str, variables: dict[str, str]) -> dict[str, Any]:
    """The decoded answer, which is never a 5xx."""
    response = http.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code < 500, response.text
    decoded: dict[str, Any] = response.json()
    return decoded


def customer_id(http: httpx.Client, backend: str, native_id: str) -> str:
    body = answer(http, BY_NATIVE_ID, {"backend": backend, "id": native_id})
    assert "errors" not in body, body
    found: str = body["data"]["customerByNativeId"]["id"]
    return found


def records(person: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(back end, native id) -> how it is in the person."""
    return {
        (r["customer"]["backend"], r["customer"]["nativeId"]): r["linkedBy"]
        for r in person["records"]
    }


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


@pytest.fixture
def replicas(
    gateway_sandboxes: dict[Backend, RunningSandbox], redis_db: RedisServer, tmp_path: Path
) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """Two replicas of one fleet, as on two hosts: their links in Redis alone."""
    settings = {**redis_settings(redis_db), "GATEWAY_IDENTITY_STORE": "redis"}
    with (
        two_replicas(gateway_sandboxes, settings, hosts=tmp_path) as (first, second),
        caller_client(first) as a,
        caller_client(second) as b,
    ):
        yield a, b


@pytest.mark.slow
def test_a_link_made_through_one_replica_is_the_person_another_answers(
    replicas: tuple[httpx.Client, httpx.Client], redis_db: RedisServer
) -> None:
    a, b = replicas
    clubmed = customer_id(b, "CLUBMED", CLUBMED_ID)
    relay = customer_id(b, "RELAY", RELAY_ID)
    before = answer(b, CUSTOMER, {"id": clubmed})
    assert "errors" not in before, before
    assert ("RELAY", RELAY_ID) not in records(before["data"]["customer"]["person"])

    linked = answer(a, LINK, {"a": clubmed, "b": relay})
    assert "errors" not in linked, linked
    person = linked["data"]["linkCustomers"]["person"]
    assert records(person)[("RELAY", RELAY_ID)] == "STEWARD"

    after = answer(b, CUSTOMER, {"id": clubmed})
    assert "errors" not in after, after
    seen = after["data"]["customer"]["person"]
    assert seen["id"] == person["id"] == before["data"]["customer"]["person"]["id"]
    assert records(seen) == records(person)

    # Redis gone: the link is refused with its code, nothing half-done; queries answer, the
    # person the matcher's alone, and say so beside the data.
    redis_db.stop()
    refused = answer(a, LINK, {"a": clubmed, "b": relay})
    assert codes(refused) == [UNAVAILABLE] and refused["data"] is None
    # An unlink reads the person first: that read degraded, and the split is refused.
    refused = answer(a, UNLINK, {"a": clubmed, "b": relay})
    assert codes(refused) == [UNAVAILABLE] * 2 and refused["data"] is None
    unknown = answer(b, PERSON, {"id": person["id"]})  # its records are in Redis alone
    assert codes(unknown) == [UNAVAILABLE] and unknown["data"]["person"] is None
    degraded = answer(b, CUSTOMER, {"id": clubmed})
    assert codes(degraded) == [UNAVAILABLE]
    assert degraded["data"]["customer"]["lastName"]
    assert ("CLUBMED", CLUBMED_ID) in records(degraded["data"]["customer"]["person"])
    plain = answer(b, BY_NATIVE_ID, {"backend": "CLUBMED", "id": CLUBMED_ID})
    assert "errors" not in plain  # a query that needs no person needs no store
