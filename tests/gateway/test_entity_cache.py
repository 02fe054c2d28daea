"""The entity cache of back-end reads (issue 17) in one gateway process, without Redis: off by
default; with a back end's CACHE_TTL, a record read twice is fetched once, until its TTL or
a write of it; what a caller sees is still decided by its scopes. The fleet's form (Redis,
several replicas) is tested in tests/fleet/test_entity_cache.py and, over HTTP with two
`serve` processes, in tests/gateway/test_entity_cache_fleet.py."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from adapters.model import Backend
from adapters.registry import BACKENDS
from adapters.spec import BackendSettings
from gateway.auth import PII, READ
from gateway.config import ConfigError, load_settings
from sandboxes.common import credentials
from tests.conftest import RunningSandbox
from tests.gateway.conftest import Gateway, custom_gateway, token
from tests.gateway.test_config import assert_refused, held_port, serve  # noqa: F401 (a fixture)

CLUBMED_READ = """query ($id: ID!) { customer(id: $id) {
  firstName lastName birthCity birthdate
  travelers { id firstName } travelDocuments { id type number } } }"""
CARECLOUD_READ = """query ($id: ID!) { customer(id: $id) {
  firstName lastName membershipNumber loyalty { status points memberSince }
  purchases(first: 5) { totalCount edges { node { nativeId } } }
  segments { nativeId } properties { propertyId } } }"""
RELAY_READ = """{ customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") {
  firstName lastName loyalty { status } } }"""
FIND = """query ($backend: Backend!, $last: String!) {
  customers(filter: {lastName: $last}, backends: [$backend], first: 1) { edges { node { id } } } }"""
UPDATE = """mutation ($id: ID!, $name: String!) {
  updateCustomer(input: {id: $id, firstName: $name}) { customer { firstName } } }"""


def cached_backends(
    sandboxes: dict[Backend, RunningSandbox], ttl: float
) -> dict[Backend, BackendSettings]:
    """Every back end at its sandbox, its reads kept `ttl` seconds."""
    return {
        spec.backend: spec.settings(
            base_url=sandboxes[spec.backend].url,
            cache_ttl=ttl,
            **credentials.BY_BACKEND[spec.backend],
        )
        for spec in BACKENDS
    }


@contextmanager
def cached_gateway(
    sandboxes: dict[Backend, RunningSandbox], ttl: float = 60.0
) -> Iterator[Gateway]:
    with custom_gateway(sandboxes, backends=cached_backends(sandboxes, ttl)) as gateway:
        gateway.reset()
        yield gateway


def customer_id(gateway: Gateway, backend: Backend, last: str = "Smith") -> str:
    found = gateway.query(FIND, {"backend": backend.name, "last": last})
    return str(found["data"]["customers"]["edges"][0]["node"]["id"])


def read(gateway: Gateway, document: str, id: str, **headers: str) -> dict[str, Any]:
    body = gateway.query(document, {"id": id}, headers=headers or None)
    assert "errors" not in body, body
    return body


def test_the_cache_is_off_by_default(gateway: Gateway) -> None:
    id = customer_id(gateway, Backend.CLUBMED)
    gateway.reset()
    first = read(gateway, CLUBMED_READ, id)
    second = read(gateway, CLUBMED_READ, id)
    assert second["data"] == first["data"]
    assert gateway.calls(Backend.CLUBMED) == {
        "GET /v2/customers/{customer_id}/profile": 2,
        "GET /v1/customers/{customer_id}/travelers": 2,
        "GET /v1/customers/{customer_id}/travel_documents": 2,
    }
    assert "cache" not in second.get("extensions", {})


def test_a_club_med_customer_read_twice_is_fetched_once(
    gateway_sandboxes: dict[Backend, RunningSandbox],
) -> None:
    with cached_gateway(gateway_sandboxes) as gateway:
        id = customer_id(gateway, Backend.CLUBMED)
        gateway.reset()
        first = read(gateway, CLUBMED_READ, id)
        assert gateway.calls(Backend.CLUBMED) == {
            "GET /v2/customers/{customer_id}/profile": 1,
            "GET /v1/customers/{customer_id}/travelers": 1,
            "GET /v1/customers/{customer_id}/travel_documents": 1,
        }
        assert first["extensions"]["cache"] == {
            "hits": {},
            "misses": {"CLUBMED.profile": 1, "CLUBMED.travelers": 1, "CLUBMED.documents": 1},
        }
        gateway.reset()
        second = read(gateway, CLUBMED_READ, id)
        assert second["data"] == first["data"]
        assert gateway.calls(Backend.CLUBMED) == {}
        assert second["extensions"]["cache"] == {
            "hits": {"CLUBMED.profile": 1, "CLUBMED.travelers": 1, "CLUBMED.documents": 1},
            "misses": {},
        }
        # Another language is another answer: fetched for itself.
        read(gateway, CLUBMED_READ, id, **{"accept-language": "fr-FR"})
        assert gateway.calls(Backend.CLUBMED)["GET /v2/customers/{customer_id}/profile"] == 1


def test_a_carecloud_customer_and_its_sub_resources_read_twice_are_fetched_once(
    gateway_sandboxes: dict[Backend, RunningSandbox],
) -> None:
    with cached_gateway(gateway_sandboxes) as gateway:
        id = customer_id(gateway, Backend.CARECLOUD)
        gateway.reset()
        first = read(gateway, CARECLOUD_READ, id)
        calls = gateway.calls(Backend.CARECLOUD)
        assert calls["GET /customers"] == 1  # the record, by customer_ids[]
        assert calls["GET /customers/{customer_id}/cards"] == 1
        assert calls["GET /customers/{customer_id}/purchases"] == 1
        assert calls["GET /customers/{customer_id}/segment-records"] == 1
        gateway.reset()
        second = read(gateway, CARECLOUD_READ, id)
        assert second["data"] == first["data"]
        assert gateway.calls(Backend.CARECLOUD) == {}
        hits = second["extensions"]["cache"]["hits"]
        assert {
            "CARECLOUD.customer",
            "CARECLOUD.cards",
            "CARECLOUD.purchases",
            "CARECLOUD.segment_records",
        } <= set(hits)
        assert second["extensions"]["cache"]["misses"] == {}


def test_a_relay_customer_read_twice_is_fetched_once(
    gateway_sandboxes: dict[Backend, RunningSandbox],
) -> None:
    with cached_gateway(gateway_sandboxes) as gateway:
        first = gateway.query(RELAY_READ)
        second = gateway.query(RELAY_READ)
        assert "errors" not in first, first
        assert second["data"] == first["data"]
        assert gateway.calls(Backend.RELAY) == {"GET /cdm/client/{client_id}/customer/{ccid}": 1}
        assert second["extensions"]["cache"] == {"hits": {"RELAY.customer": 1}, "misses": {}}


def test_the_ttl_bounds_what_is_kept(gateway_sandboxes: dict[Backend, RunningSandbox]) -> None:
    with cached_gateway(gateway_sandboxes, ttl=0.5) as gateway:
        id = customer_id(gateway, Backend.CLUBMED)
        gateway.reset()
        read(gateway, CLUBMED_READ, id)
        read(gateway, CLUBMED_READ, id)
        assert gateway.calls(Backend.CLUBMED)["GET /v2/customers/{customer_id}/profile"] == 1
        time.sleep(0.7)
        read(gateway, CLUBMED_READ, id)
        assert gateway.calls(Backend.CLUBMED)["GET /v2/customers/{customer_id}/profile"] == 2


@pytest.mark.parametrize("backend", [Backend.CLUBMED, Backend.CARECLOUD])
def test_an_update_answers_and_is_read_with_its_new_value(
    gateway_sandboxes: dict[Backend, RunningSandbox], backend: Backend
) -> None:
    with cached_gateway(gateway_sandboxes) as gateway:
        id = customer_id(gateway, backend, last="Garcia")
        document = CLUBMED_READ if backend is Backend.CLUBMED else CARECLOUD_READ
        before = read(gateway, document, id)["data"]["customer"]["firstName"]
        name = "Cachedname" if before != "Cachedname" else "Othername"
        updated = gateway.query(UPDATE, {"id": id, "name": name})
        assert updated["data"]["updateCustomer"]["customer"]["firstName"] == name, updated
        assert read(gateway, document, id)["data"]["customer"]["firstName"] == name
        gateway.query(UPDATE, {"id": id, "name": before})


def test_a_club_med_traveler_added_is_in_the_next_read(
    gateway_sandboxes: dict[Backend, RunningSandbox],
) -> None:
    with cached_gateway(gateway_sandboxes) as gateway:
        id = customer_id(gateway, Backend.CLUBMED, last="Martin")
        before = read(gateway, CLUBMED_READ, id)["data"]["customer"]["travelers"]
        added = gateway.query(
            """mutation ($id: ID!) { addTraveler(input: {customerId: $id,
              firstName: "Cached", lastName: "Traveler", birthdate: "2015-05-05"})
              { traveler { id } } }""",
            {"id": id},
        )
        assert "errors" not in added, added
        after = read(gateway, CLUBMED_READ, id)["data"]["customer"]["travelers"]
        assert len(after) == len(before) + 1


SENSITIVE = """query ($id: ID!) { customer(id: $id) {
  firstName birthdate travelDocuments { type number } } }"""


def test_a_cached_record_shows_a_caller_only_what_its_scopes_allow(
    gateway_sandboxes: dict[Backend, RunningSandbox],
) -> None:
    with cached_gateway(gateway_sandboxes) as gateway:
        id = customer_id(gateway, Backend.CLUBMED, last="Johnson")
        reader = {"authorization": f"Bearer {token(READ)}"}
        uncached = gateway.query(SENSITIVE, {"id": id}, headers=reader)
        gateway.reset()
        # Now cached, read first by a caller with every scope.
        everything = gateway.query(SENSITIVE, {"id": id})
        assert everything["data"]["customer"]["birthdate"] is not None
        assert gateway.calls(Backend.CLUBMED) == {}
        cached = gateway.query(SENSITIVE, {"id": id}, headers=reader)
        assert gateway.calls(Backend.CLUBMED) == {}
        assert cached["data"] == uncached["data"]
        assert cached["data"]["customer"]["birthdate"] is None
        assert [(e["path"], e["extensions"]["code"]) for e in cached["errors"]] == [
            (e["path"], e["extensions"]["code"]) for e in uncached["errors"]
        ]
        assert {e["extensions"]["code"] for e in cached["errors"]} == {"FORBIDDEN"}
        with_pii = gateway.query(
            SENSITIVE, {"id": id}, headers={"authorization": f"Bearer {token(READ, PII)}"}
        )
        assert with_pii["data"] == everything["data"]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"CLUBMED_CACHE_TTL": "-1"}, "CLUBMED_CACHE_TTL must be a number of seconds from 0"),
        ({"RELAY_CACHE_TTL": "86401"}, "RELAY_CACHE_TTL must be a number of seconds from 0"),
        ({"CARECLOUD_CACHE_TTL": "nan"}, "CARECLOUD_CACHE_TTL must be a number of seconds"),
        ({"CARECLOUD_CACHE_TTL": "soon"}, "CARECLOUD_CACHE_TTL must be a number, not 'soon'"),
        (
            {"CLUBMED_CACHE_TTL": "60", "GATEWAY_WORKERS": "2"},
            "CLUBMED_CACHE_TTL with 2 workers (GATEWAY_WORKERS or --workers) needs "
            "GATEWAY_REDIS_URL",
        ),
    ],
)
def test_a_cache_ttl_is_checked(environment: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(environment)
    assert str(refused.value).startswith(message)


def test_a_cache_ttl_is_read_per_back_end() -> None:
    settings = load_settings(
        {
            "CLUBMED_CACHE_TTL": "30",
            "GATEWAY_WORKERS": "4",
            "GATEWAY_REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    ttls = {backend: found.cache_ttl for backend, found in settings.backends.items()}
    assert ttls == {Backend.CLUBMED: 30.0, Backend.CARECLOUD: 0.0, Backend.RELAY: 0.0}
    assert load_settings({"CLUBMED_CACHE_TTL": "0", "GATEWAY_WORKERS": "2"}).workers == 2


def test_serve_refuses_a_cache_in_memory_for_several_workers(held_port: int) -> None:  # noqa: F811
    """--workers is checked as GATEWAY_WORKERS is: before anything starts."""
    result = serve(held_port, {"CLUBMED_CACHE_TTL": "60"}, "--workers", "2")
    assert_refused(result, "CLUBMED_CACHE_TTL", "GATEWAY_REDIS_URL")
