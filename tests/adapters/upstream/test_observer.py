"""The observer hears every request an Upstream sends, once, and how it ended; several are
told in turn; the breaker is watched, never pushed."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from adapters.errors import UpstreamMalformed, UpstreamUnavailable
from adapters.model import Backend
from adapters.upstream import NO_OBSERVER, CircuitBreaker, Observers, Policy, RetryPolicy, Upstream

pytestmark = pytest.mark.anyio


class Noted:
    """An observer that writes down what it is told."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, ...]] = []
        self.states: dict[Backend, Callable[[], str]] = {}

    def sending(self, backend: Backend, operation: str, request: httpx.Request) -> Noted:
        self.heard.append(("sending", backend.value, operation))
        return self

    def answered(self, status: int) -> None:
        self.heard.append(("answered", str(status)))

    def failed(self, error: BaseException) -> None:
        self.heard.append(("failed", type(error).__name__))

    def unreadable(self, backend: Backend, operation: str) -> None:
        self.heard.append(("unreadable", backend.value, operation))

    def watch_breaker(self, backend: Backend, state: Callable[[], str]) -> None:
        self.states[backend] = state


def _upstream(handler: Callable[[httpx.Request], httpx.Response], observer: Noted) -> Upstream:
    policy = Policy(
        Backend.RELAY,
        breaker=CircuitBreaker(failure_threshold=1, reset_seconds=60),
        retry=RetryPolicy(attempts=2, backoff_seconds=0.001),
    )
    return Upstream(
        Backend.RELAY,
        httpx.MockTransport(handler),
        base_url="http://relay.test",
        policy=policy,
        observer=observer,
    )


async def test_each_attempt_is_heard_with_its_end() -> None:
    answers = iter([503, 200])
    noted = Noted()
    upstream = _upstream(lambda request: httpx.Response(next(answers)), noted)
    await upstream.send("GET", "/c", operation="relay.read")
    assert noted.heard == [
        ("sending", "relay", "relay.read"),
        ("answered", "503"),
        ("sending", "relay", "relay.read"),
        ("answered", "200"),
    ]


async def test_a_transport_failure_is_heard_as_the_transports_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    noted = Noted()
    with pytest.raises(UpstreamUnavailable):
        await _upstream(refuse, noted).send("POST", "/c", operation="relay.write", json={})
    assert noted.heard == [("sending", "relay", "relay.write"), ("failed", "ConnectError")]


async def test_an_unreadable_answer_is_heard_once() -> None:
    noted = Noted()
    upstream = _upstream(lambda request: httpx.Response(200, content=b"<html>"), noted)
    with pytest.raises(UpstreamMalformed):
        await upstream.send_json("GET", "/c", operation="relay.read")
    assert noted.heard[-1] == ("unreadable", "relay", "relay.read")
    assert [h[0] for h in noted.heard].count("unreadable") == 1


async def test_the_breaker_is_watched_as_it_is_when_asked() -> None:
    noted = Noted()
    upstream = _upstream(lambda request: httpx.Response(500), noted)
    state = noted.states[Backend.RELAY]
    assert state() == "closed"
    with pytest.raises(Exception, match="HTTP 500"):
        await upstream.send("GET", "/c", operation="relay.read")
    assert state() == "open"


async def test_several_observers_are_told_in_turn() -> None:
    first, second = Noted(), Noted()
    upstream = _upstream(lambda request: httpx.Response(200), first)
    upstream.observer = Observers(first, second)
    await upstream.send("GET", "/c", operation="relay.read")
    assert first.heard == second.heard == [("sending", "relay", "relay.read"), ("answered", "200")]


async def test_no_observer_is_a_no_op() -> None:
    sent = NO_OBSERVER.sending(Backend.RELAY, "relay.read", httpx.Request("GET", "http://x"))
    sent.answered(200)
    sent.failed(RuntimeError())
    NO_OBSERVER.unreadable(Backend.RELAY, "relay.read")
