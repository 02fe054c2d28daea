"""Concurrent updates of one CareCloud customer lose nothing.

CareCloud's PUT replaces the whole record, so the adapter reads, merges and writes. Two
writers that both read before either writes used to both answer success while one change
was gone. Here 20 updates of different fields of one customer are sent at once with 50-150 ms
of back-end latency, through one worker and through two worker processes: at the end, every
field holds a value one of its writers sent, or every writer of that field got CONFLICT.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.model import Backend
from sandboxes.common.faults import FaultSettings
from tests.conftest import RunningSandbox
from tests.gateway.conftest import Gateway, token
from tests.gateway_process import redis_settings, serve_gateway, two_replicas
from tests.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[2]
_serial = itertools.count()

CREATE = """mutation ($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id } } }"""
UPDATE = """mutation ($input: UpdateCustomerInput!) {
  updateCustomer(input: $input) { customer { id } } }"""
READ = """query ($id: ID!) { customer(id: $id) {
  firstName lastName email birthdate gender phones { number } locale
  addresses { line1 line2 line3 city postalCode countryCode } } }"""


def _original(n: int) -> dict[str, Any]:
    return {
        "backend": "CARECLOUD",
        "firstName": "Olga",
        "lastName": f"Racetest{n}",
        "email": f"olga.racetest{n}@example.com",
        "birthdate": "1980-01-01",
        "gender": "FEMALE",
        "phones": [{"number": f"+42060000{n:04d}"}],
        "locale": "cs",
        "address": {
            "line1": "Vinohradska 1",
            "line2": "Block A",
            "line3": "Floor 2",
            "city": "Praha",
            "postalCode": "12000",
            "countryCode": "CZ",
        },
    }


def _writes(n: int) -> list[tuple[str, Any]]:
    """20 updates of one field each: (field path, value); 7 fields get two writers."""
    return [
        ("firstName", "Irena"),
        ("lastName", f"Racetested{n}"),
        ("email", f"irena.racetest{n}@example.com"),
        ("birthdate", "1981-02-02"),
        ("gender", "MALE"),
        ("phones", [{"number": f"+42070000{n:04d}"}]),
        ("locale", "de"),
        ("address.line1", "Narodni 2"),
        ("address.line2", "Block B"),
        ("address.line3", "Floor 3"),
        ("address.city", "Brno"),
        ("address.postalCode", "60200"),
        ("address.countryCode", "SK"),
        ("firstName", "Jana"),
        ("lastName", f"Racetestova{n}"),
        ("email", f"jana.racetest{n}@example.com"),
        ("birthdate", "1982-03-03"),
        ("address.line1", "Karlova 3"),
        ("address.city", "Ostrava"),
        ("address.postalCode", "70200"),
    ]


def _input(customer_id: str, path: str, value: Any) -> dict[str, Any]:
    if path.startswith("address."):
        return {"id": customer_id, "address": {path.removeprefix("address."): value}}
    return {"id": customer_id, path: value}


def _read_field(customer: dict[str, Any], path: str) -> Any:
    if path.startswith("address."):
        address = customer["addresses"][0] if customer["addresses"] else {}
        return address.get(path.removeprefix("address."))
    if path == "phones":
        return [{"number": p["number"]} for p in customer["phones"]]
    return customer[path]


async def _post(http: httpx.AsyncClient, document: str, variables: dict[str, Any]) -> Any:
    response = await http.post("/graphql", json={"query": document, "variables": variables})
    assert response.status_code == 200, response.text
    return response.json()


async def _race(
    url: str, *others: str
) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, Any, Any]]]:
    """Create a customer, send the 20 updates at once, spread over `url` and `others` in
    turn; (original, final, [(path, value, body)])."""
    n = next(_serial) + 100 * (os.getpid() % 100)
    headers = {"authorization": f"Bearer {token()}"}
    limits = httpx.Limits(max_connections=40)
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=u, headers=headers, timeout=60, limits=limits)
            )
            for u in (url, *others)
        ]
        http = clients[0]
        created = await _post(http, CREATE, {"input": _original(n)})
        assert "errors" not in created, created
        customer_id = created["data"]["createCustomer"]["customer"]["id"]
        original = (await _post(http, READ, {"id": customer_id}))["data"]["customer"]
        writes = _writes(n)
        answers = await asyncio.gather(
            *(
                _post(clients[i % len(clients)], UPDATE, {"input": _input(customer_id, p, v)})
                for i, (p, v) in enumerate(writes)
            )
        )
        final = (await _post(http, READ, {"id": customer_id}))["data"]["customer"]
    return original, final, [(p, v, a) for (p, v), a in zip(writes, answers, strict=True)]


def _assert_nothing_lost(
    original: dict[str, Any], final: dict[str, Any], outcomes: list[tuple[str, Any, Any]]
) -> None:
    by_field: dict[str, list[tuple[Any, Any]]] = {}
    for path, value, body in outcomes:
        by_field.setdefault(path, []).append((value, body))
    lost = []
    for path, tries in by_field.items():
        succeeded = [value for value, body in tries if "errors" not in body]
        for _, body in tries:
            if "errors" in body:
                assert body["errors"][0]["extensions"]["code"] == "CONFLICT", body
        expected = succeeded or [_read_field(original, path)]
        held = _read_field(final, path)
        if path == "email":
            held = held.lower()
        if held not in expected:
            lost.append((path, held, expected))
    assert not lost, f"silently lost updates (field, held, one of): {lost}"


def _latency(sandbox: RunningSandbox) -> None:
    sandbox.app.faults.settings = FaultSettings(latency_ms=50, jitter_ms=100)


def test_twenty_concurrent_updates_through_one_worker(gateway: Gateway) -> None:
    _latency(gateway.sandboxes[Backend.CARECLOUD])
    original, final, outcomes = asyncio.run(_race(gateway.url))
    _assert_nothing_lost(original, final, outcomes)
    assert sum("errors" not in body for _, _, body in outcomes) >= 10, outcomes


@pytest.fixture
def two_workers(gateway_sandboxes: dict[Backend, RunningSandbox], tmp_path: Path) -> Iterator[str]:
    """`customer-gateway serve --workers 2` on the test sandboxes; yields its URL."""
    settings = {"GATEWAY_WRITE_LOCK_DIR": str(tmp_path / "locks")}
    with serve_gateway(gateway_sandboxes, settings, workers=2) as url:
        yield url


@pytest.mark.slow
def test_twenty_concurrent_updates_through_two_workers(
    two_workers: str, gateway_sandboxes: dict[Backend, RunningSandbox]
) -> None:
    sandbox = gateway_sandboxes[Backend.CARECLOUD]
    _latency(sandbox)
    try:
        original, final, outcomes = asyncio.run(_race(two_workers))
    finally:
        sandbox.reset()
    _assert_nothing_lost(original, final, outcomes)
    assert sum("errors" not in body for _, _, body in outcomes) >= 10, outcomes


@pytest.fixture
def replicas(
    gateway_sandboxes: dict[Backend, RunningSandbox], redis_db: RedisServer, tmp_path: Path
) -> Iterator[tuple[str, str]]:
    """Two `serve` processes as two hosts of a fleet: each its own lock directory, one Redis."""
    with two_replicas(gateway_sandboxes, redis_settings(redis_db), hosts=tmp_path) as urls:
        yield urls


@pytest.mark.slow
def test_twenty_concurrent_updates_split_over_two_replicas(
    replicas: tuple[str, str], gateway_sandboxes: dict[Backend, RunningSandbox]
) -> None:
    sandbox = gateway_sandboxes[Backend.CARECLOUD]
    _latency(sandbox)
    try:
        original, final, outcomes = asyncio.run(_race(*replicas))
    finally:
        sandbox.reset()
    _assert_nothing_lost(original, final, outcomes)
    assert sum("errors" not in body for _, _, body in outcomes) >= 10, outcomes
