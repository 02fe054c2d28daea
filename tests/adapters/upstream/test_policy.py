"""The policy of one back end, through `Upstream`: the breaker, retries by `retryable`, the
deadline, the one bulkhead. httpx's MockTransport stands in for the back end (the exchange
is under test, not a back end); tests/gateway/test_resilience.py drives the same policy
end to end through the gateway and the sandboxes' faults."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
import pytest

from adapters.errors import (
    UpstreamBadRequest,
    UpstreamError,
    UpstreamMalformed,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from adapters.model import Backend
from adapters.upstream import (
    BreakerState,
    CallContext,
    CircuitBreaker,
    Policy,
    RetryPolicy,
    Upstream,
    current_call,
)

pytestmark = pytest.mark.anyio


class Scripted:
    """A back end answering each request with the next answer of a script (the last one
    again once the script is over): a status, or a transport error raised."""

    def __init__(self, *answers: int | Exception) -> None:
        self.answers = list(answers)
        self.sent: list[str] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request.method)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(answer, json={"ok": True})


def _upstream(
    handler: Callable[[httpx.Request], Coroutine[Any, Any, httpx.Response]],
    *,
    breaker: CircuitBreaker | None = None,
    attempts: int = 3,
    max_concurrency: int = 100,
) -> Upstream:
    policy = Policy(
        Backend.RELAY,
        breaker=breaker,
        retry=RetryPolicy(attempts=attempts, backoff_seconds=0.001),
        max_concurrency=max_concurrency,
    )
    return Upstream(
        Backend.RELAY, httpx.MockTransport(handler), base_url="http://relay.test", policy=policy
    )


# --- retries -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
async def test_a_read_is_retried_on_a_retryable_status(status: int) -> None:
    backend = Scripted(status, status, 200)
    assert await _upstream(backend).send_json("GET", "/c", operation="t.read") == {"ok": True}
    assert backend.sent == ["GET"] * 3


@pytest.mark.parametrize("status", [400, 404, 409, 501, 505])
async def test_a_read_is_not_retried_on_other_statuses(status: int) -> None:
    backend = Scripted(status, 200)
    with pytest.raises(UpstreamError) as caught:
        await _upstream(backend).send("GET", "/c", operation="t.read")
    assert caught.value.status == status and not caught.value.retryable
    assert backend.sent == ["GET"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
async def test_a_write_is_sent_once_whatever_its_error(method: str) -> None:
    backend = Scripted(503, 200)
    with pytest.raises(UpstreamError) as caught:
        await _upstream(backend).send(method, "/c", operation="t.write", json={})
    assert caught.value.retryable  # retryable, but a write is not idempotent
    assert backend.sent == [method]


async def test_a_read_gets_its_attempts_and_then_the_last_error() -> None:
    backend = Scripted(503)
    with pytest.raises(UpstreamError) as caught:
        await _upstream(backend, attempts=3).send("GET", "/c", operation="t.read")
    assert caught.value.status == 503
    assert backend.sent == ["GET"] * 3


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.RemoteProtocolError("hung up"),
        httpx.ReadError("broke off"),
    ],
    ids=lambda error: type(error).__name__,
)
async def test_a_read_is_retried_after_a_broken_connection(failure: Exception) -> None:
    backend = Scripted(failure, 200)
    assert await _upstream(backend).send_json("GET", "/c", operation="t.read") == {"ok": True}
    assert backend.sent == ["GET", "GET"]


@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout("slow"), httpx.ConnectTimeout("slow"), httpx.WriteError("broke")],
    ids=lambda error: type(error).__name__,
)
async def test_a_read_is_not_retried_after_a_time_out_or_a_write_error(
    failure: Exception,
) -> None:
    backend = Scripted(failure, 200)
    with pytest.raises(UpstreamError):
        await _upstream(backend).send("GET", "/c", operation="t.read")
    assert backend.sent == ["GET"]


async def test_an_unreadable_answer_is_not_retried() -> None:
    async def garbage(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"{not json")

    sent = 0

    async def counted(request: httpx.Request) -> httpx.Response:
        nonlocal sent
        sent += 1
        return await garbage(request)

    with pytest.raises(UpstreamMalformed):
        await _upstream(counted).send_json("GET", "/c", operation="t.read")
    assert sent == 1


async def test_no_retry_starts_after_the_deadline() -> None:
    backend = Scripted(503)
    upstream = _upstream(backend, attempts=5)
    token = current_call.set(CallContext(deadline=time.monotonic() - 1))
    try:
        with pytest.raises(UpstreamError) as caught:
            await upstream.send("GET", "/c", operation="t.read")
    finally:
        current_call.reset(token)
    assert caught.value.status == 503
    assert backend.sent == ["GET"]


# --- the breaker ---------------------------------------------------------------------------


async def test_the_breaker_opens_fails_fast_and_recovers() -> None:
    backend = Scripted(500)
    breaker = CircuitBreaker(failure_threshold=2, reset_seconds=0.05)
    upstream = _upstream(backend, breaker=breaker, attempts=1)
    for _ in range(2):
        with pytest.raises(UpstreamError):
            await upstream.send("GET", "/c", operation="t.read")
    assert breaker.state is BreakerState.OPEN
    with pytest.raises(UpstreamUnavailable) as caught:
        await upstream.send("GET", "/c", operation="t.read")
    assert caught.value.code == "UPSTREAM_UNAVAILABLE" and caught.value.status is None
    assert len(backend.sent) == 2  # refused without a call
    await asyncio.sleep(0.06)
    assert breaker.state is BreakerState.HALF_OPEN
    backend.answers = [200]
    await upstream.send("GET", "/c", operation="t.read")  # the probe
    assert breaker.state is BreakerState.CLOSED


async def test_a_calls_retries_count_once_for_the_breaker() -> None:
    breaker = CircuitBreaker(failure_threshold=2, reset_seconds=60)
    upstream = _upstream(Scripted(503), breaker=breaker, attempts=3)
    with pytest.raises(UpstreamError):
        await upstream.send("GET", "/c", operation="t.read")
    assert (breaker.failures, breaker.state) == (1, BreakerState.CLOSED)


async def test_a_refusal_is_an_answer_not_a_failure() -> None:
    breaker = CircuitBreaker(failure_threshold=1, reset_seconds=60)
    upstream = _upstream(Scripted(400), breaker=breaker)
    for _ in range(3):
        with pytest.raises(UpstreamBadRequest):
            await upstream.send("POST", "/c", operation="t.write", json={})
    assert breaker.state is BreakerState.CLOSED


async def test_unreadable_answers_open_the_breaker() -> None:
    async def garbage(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=["not", "an", "object"])

    breaker = CircuitBreaker(failure_threshold=3, reset_seconds=60)
    upstream = _upstream(garbage, breaker=breaker)

    def an_object(body: object) -> object:
        if not isinstance(body, dict):
            raise upstream.malformed("t.read", "object")
        return body

    for _ in range(3):
        with pytest.raises(UpstreamMalformed):
            await upstream.send_json("GET", "/c", operation="t.read", check=an_object)
    assert breaker.state is BreakerState.OPEN


async def test_half_open_lets_one_probe_through() -> None:
    release = asyncio.Event()

    async def slow(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return httpx.Response(200)

    breaker = CircuitBreaker(failure_threshold=1, reset_seconds=0)
    breaker.record(success=False)  # open, and at once half-open
    upstream = _upstream(slow, breaker=breaker)
    probe = asyncio.create_task(upstream.send("GET", "/c", operation="t.read"))
    await asyncio.sleep(0.01)
    with pytest.raises(UpstreamUnavailable):
        await upstream.send("GET", "/c", operation="t.read")
    release.set()
    await probe
    assert breaker.state is BreakerState.CLOSED


async def test_a_cancelled_probe_lets_the_next_call_probe() -> None:
    async def hangs(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(60)
        raise AssertionError("unreachable")

    breaker = CircuitBreaker(failure_threshold=1, reset_seconds=0)
    breaker.record(success=False)
    upstream = _upstream(hangs, breaker=breaker)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(upstream.send("GET", "/c", operation="t.read"), 0.01)
    assert breaker.admit()  # not stuck behind a probe that will never end


async def test_a_time_out_fails_the_call() -> None:
    breaker = CircuitBreaker(failure_threshold=1, reset_seconds=60)
    upstream = _upstream(Scripted(httpx.ReadTimeout("slow")), breaker=breaker)
    with pytest.raises(UpstreamTimeout):
        await upstream.send("GET", "/c", operation="t.read")
    assert breaker.state is BreakerState.OPEN


# --- the bulkhead --------------------------------------------------------------------------


async def test_the_bulkhead_bounds_the_requests_in_flight() -> None:
    in_flight = most = 0

    async def counted(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.005)
        in_flight -= 1
        return httpx.Response(200)

    upstream = _upstream(counted, max_concurrency=3)
    await asyncio.gather(*(upstream.send("GET", "/c", operation="t.read") for _ in range(20)))
    assert most == 3
