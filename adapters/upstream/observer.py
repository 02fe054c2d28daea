"""What an `Upstream` tells the world of its requests: the seam for metrics and tracing.

Adapters import nothing of the gateway, so they do not count or trace themselves: the gateway
injects an `Observer` (its Prometheus metrics, its OpenTelemetry tracing, or both through
`Observers`) when it composes each back end's `Upstream`. Without one, `NO_OBSERVER`.

Every request sent is one `sending` call (a first attempt, a retry, the resend after a 401),
and the `Sent` it returns is told exactly once how it ended: `answered` with the status, or
`failed` with why there was no answer: an `httpx.TransportError` (a time-out, a refused or
broken connection), or anything else that ended the request (a cancellation). Operations
are route names, never a path with an id or a personal value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Protocol

import httpx

from adapters.model import Backend

__all__ = ["NO_OBSERVER", "Observer", "Observers", "Sent"]


class Sent(Protocol):
    """One request on its way, told once how it ended."""

    def answered(self, status: int) -> None: ...

    def failed(self, error: BaseException) -> None: ...


class Observer(Protocol):
    """Told of each upstream request, of unreadable answers, and of each circuit breaker."""

    def sending(self, backend: Backend, operation: str, request: httpx.Request) -> Sent:
        """A request is about to go out; its headers may still change (a trace context)."""
        ...

    def unreadable(self, backend: Backend, operation: str) -> None:
        """An answer with an expected status whose body could not be read."""
        ...

    def watch_breaker(self, backend: Backend, state: Callable[[], str]) -> None:
        """A back end's breaker: `state()` says "closed", "open" or "half_open" when asked."""
        ...


class _Unobserved:
    """The observer of no one: every call a no-op."""

    def sending(self, backend: Backend, operation: str, request: httpx.Request) -> Sent:
        return self

    def answered(self, status: int) -> None:
        pass

    def failed(self, error: BaseException) -> None:
        pass

    def unreadable(self, backend: Backend, operation: str) -> None:
        pass

    def watch_breaker(self, backend: Backend, state: Callable[[], str]) -> None:
        pass


NO_OBSERVER: Final[Observer] = _Unobserved()


class Observers:
    """Several observers told in turn (metrics and tracing)."""

    def __init__(self, *observers: Observer) -> None:
        self.observers = observers

    def sending(self, backend: Backend, operation: str, request: httpx.Request) -> Sent:
        return _AllSent([o.sending(backend, operation, request) for o in self.observers])

    def unreadable(self, backend: Backend, operation: str) -> None:
        for observer in self.observers:
            observer.unreadable(backend, operation)

    def watch_breaker(self, backend: Backend, state: Callable[[], str]) -> None:
        for observer in self.observers:
            observer.watch_breaker(backend, state)


class _AllSent:
    def __init__(self, sent: list[Sent]) -> None:
        self.sent = sent

    def answered(self, status: int) -> None:
        for sent in self.sent:
            sent.answered(status)

    def failed(self, error: BaseException) -> None:
        for sent in self.sent:
            sent.failed(error)
