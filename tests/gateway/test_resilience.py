"""Fault injection at the sandboxes, seen through the gateway: the others' data intact,
the right codes, latency bounded by the deadline, the breaker opening and recovering,
and a write sent at most once."""

from __future__ import annotations

import time

from adapters.model import Backend
from sandboxes.common.faults import FaultSettings
from tests.gateway.conftest import Gateway, custom_gateway

SEARCH = '{ customers(filter: {lastName: "Smith"}, first: 10) { edges { node { backend } } } }'


def _backends(body: dict) -> set[str]:
    return {e["node"]["backend"] for e in body["data"]["customers"]["edges"]}


def _codes(body: dict) -> list[tuple[str, str]]:
    return [(e["extensions"]["backend"], e["extensions"]["code"]) for e in body.get("errors", [])]


def test_a_back_end_slower_than_its_time_out(gateway: Gateway) -> None:
    gateway.sandboxes[Backend.CARECLOUD].app.faults.settings = FaultSettings(
        latency_ms=3000, path_prefix="/customers"
    )
    with custom_gateway(gateway.sandboxes, read_timeout=0.3, request_timeout=2.0) as slow:
        started = time.monotonic()
        body = slow.query(SEARCH)
        elapsed = time.monotonic() - started
    assert _backends(body) == {"CLUBMED"}
    assert _codes(body) == [("CARECLOUD", "UPSTREAM_TIMEOUT")]
    assert elapsed < 2.0  # bounded by the request's deadline, not by the slow back end


def test_the_deadline_bounds_a_request_whatever_the_time_outs(gateway: Gateway) -> None:
    gateway.sandboxes[Backend.CLUBMED].app.faults.settings = FaultSettings(
        latency_ms=5000, path_prefix="/v1/customers"
    )
    with custom_gateway(gateway.sandboxes, read_timeout=30.0, request_timeout=1.0) as bounded:
        started = time.monotonic()
        body = bounded.query(SEARCH)
        elapsed = time.monotonic() - started
    assert _backends(body) == {"CARECLOUD"}
    assert _codes(body) == [("CLUBMED", "UPSTREAM_TIMEOUT")]
    assert elapsed < 2.0


def test_reads_are_retried_through_a_flaky_back_end(gateway: Gateway) -> None:
    gateway.sandboxes[Backend.CLUBMED].app.faults.settings = FaultSettings(
        error_rate=0.5, path_prefix="/v1/customers"
    )
    failures = 0
    for _ in range(12):
        body = gateway.query(SEARCH)
        failures += len(body.get("errors", []))
    calls = gateway.sandboxes[Backend.CLUBMED].app.counter.snapshot()["GET /v1/customers"]
    assert calls > 12  # some reads needed a second or third attempt
    assert failures <= 3  # all three attempts fail one time in eight


def test_a_connection_dropped_mid_body(gateway: Gateway) -> None:
    gateway.sandboxes[Backend.CARECLOUD].app.faults.settings = FaultSettings(
        drop_rate=1.0, path_prefix="/customers"
    )
    body = gateway.query(SEARCH)
    assert _backends(body) == {"CLUBMED"}
    assert _codes(body) == [("CARECLOUD", "UPSTREAM_ERROR")]


def test_a_malformed_json_body(gateway: Gateway) -> None:
    gateway.sandboxes[Backend.CLUBMED].app.faults.settings = FaultSettings(
        malformed_rate=1.0, path_prefix="/v1/customers"
    )
    body = gateway.query(SEARCH)
    assert _backends(body) == {"CARECLOUD"}
    assert _codes(body) == [("CLUBMED", "UPSTREAM_ERROR")]


def test_the_breaker_opens_fails_fast_and_recovers(gateway: Gateway) -> None:
    carecloud = gateway.sandboxes[Backend.CARECLOUD]
    carecloud.app.faults.settings = FaultSettings(error_rate=1.0, path_prefix="/customers")
    with custom_gateway(
        gateway.sandboxes, breaker_failures=3, breaker_reset_seconds=0.5, retry_attempts=1
    ) as guarded:
        for _ in range(3):
            assert _codes(guarded.query(SEARCH)) == [("CARECLOUD", "UPSTREAM_ERROR")]
        sent = carecloud.app.counter.total(prefix="/customers")
        body = guarded.query(SEARCH)
        assert _codes(body) == [("CARECLOUD", "UPSTREAM_UNAVAILABLE")]
        assert _backends(body) == {"CLUBMED"}
        assert carecloud.app.counter.total(prefix="/customers") == sent  # failed fast
        assert guarded.http.get("/readyz").json()["breakers"]["CARECLOUD"] == "open"
        gauge = 'gateway_breaker_state{backend="carecloud"}'
        assert f"{gauge} 2.0" in guarded.http.get("/metrics").text
        carecloud.app.faults.reset()
        time.sleep(0.6)
        # Reset time is over and no call has come yet: the next one will be the probe.
        assert f"{gauge} 1.0" in guarded.http.get("/metrics").text
        recovered = guarded.query(SEARCH)
        assert "errors" not in recovered, recovered
        assert guarded.http.get("/readyz").json()["breakers"]["CARECLOUD"] == "closed"
        assert f"{gauge} 0.0" in guarded.http.get("/metrics").text


def test_metrics_are_exposed(gateway: Gateway) -> None:
    gateway.query(SEARCH)
    text = gateway.http.get("/metrics").text
    assert 'gateway_upstream_calls_seconds_count{backend="clubmed"' in text
    assert "gateway_operations_seconds_count" in text
    assert 'gateway_breaker_state{backend="carecloud"} 0.0' in text
    assert "/v1/customers/" not in text  # operation names, never raw paths with ids


def test_a_read_gets_exactly_its_attempts_and_a_write_one(gateway: Gateway) -> None:
    relay = gateway.sandboxes[Backend.RELAY]
    relay.app.faults.settings = FaultSettings(error_rate=1.0)
    with custom_gateway(gateway.sandboxes, retry_attempts=3, breaker_failures=100) as flaky:
        read = flaky.query(
            '{ customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") { lastName } }'
        )
        write = flaky.query(
            'mutation { createCustomer(input: {backend: RELAY, nativeId: "RETRY-ONCE-1",'
            ' firstName: "A", lastName: "B"}) { customer { nativeId } } }'
        )
    assert _codes(read) == [("RELAY", "UPSTREAM_ERROR")]
    assert _codes(write) == [("RELAY", "UPSTREAM_ERROR")]
    assert relay.app.counter.snapshot() == {
        "GET /cdm/client/{client_id}/customer/{ccid}": 3,  # the first try and two retries
        "POST /cdm/client/{client_id}/load-customer-record": 1,  # a write, never retried
    }
