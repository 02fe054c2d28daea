"""A back end answering 200 with a body that cannot be read is failing, not fine: its breaker
opens, the metrics count it, and /readyz says it is not ready."""

from __future__ import annotations

from adapters.model import Backend
from sandboxes.common.faults import FaultSettings
from tests.gateway.conftest import Gateway, custom_gateway

PROFILE = '{ customerByNativeId(backend: CLUBMED, nativeId: "1") { locale } }'


def _codes(body: dict) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", ())]


def test_unreadable_answers_open_the_breaker(gateway: Gateway) -> None:
    clubmed = gateway.sandboxes[Backend.CLUBMED]
    # Profiles only: the token request still answers, so each call is one unreadable answer.
    clubmed.app.faults.settings = FaultSettings(malformed_rate=1.0, path_prefix="/v2/customers")
    with custom_gateway(
        gateway.sandboxes, breaker_failures=3, retry_attempts=1, breaker_reset_seconds=60
    ) as guarded:
        for _ in range(3):
            assert _codes(guarded.query(PROFILE)) == ["UPSTREAM_ERROR"]
        reached = clubmed.app.counter.total("GET", "/v2/customers")
        assert _codes(guarded.query(PROFILE)) == ["UPSTREAM_UNAVAILABLE"]  # failed fast
        assert clubmed.app.counter.total("GET", "/v2/customers") == reached
        ready = guarded.http.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["breakers"]["CLUBMED"] == "open"
        assert ready.json()["backends"]["CLUBMED"] != "ok"
        metrics = guarded.http.get("/metrics").text
        assert (
            'gateway_upstream_unreadable_answers_total{backend="clubmed",'
            'operation="clubmed.get_profile"} 3.0'
        ) in metrics


def test_readiness_reads_the_answer(gateway: Gateway) -> None:
    """Relay's readiness probe reads a ccid; an answer it cannot read is not ready.

    A gateway of its own: the shared one's breakers may still be open from an earlier test's
    faults, and then Club Med would not read "ok" (the suite saw it, one run in three)."""
    gateway.sandboxes[Backend.RELAY].app.faults.settings = FaultSettings(malformed_rate=1.0)
    with custom_gateway(gateway.sandboxes) as fresh:
        ready = fresh.http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["backends"]["RELAY"] == "UPSTREAM_ERROR"
    assert ready.json()["backends"]["CLUBMED"] == "ok"
