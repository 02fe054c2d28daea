"""Prometheus metrics, one registry per application (so tests can run several apps).

`Metrics` is also an upstream `Observer` (adapters/upstream/observer.py): the app hands it to
each back end's `Upstream`, which tells it of every request, every unreadable answer and its
circuit breaker.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from adapters.model import Backend

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_BREAKER_VALUES = {"closed": 0, "half_open": 1, "open": 2}


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.operations = Histogram(
            "gateway_operations_seconds",
            "GraphQL operations by name and outcome (ok, error, partial).",
            ["operation", "outcome"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.upstream = Histogram(
            "gateway_upstream_calls_seconds",
            "Upstream calls by back end, operation (the route's name) and status or error.",
            ["backend", "operation", "status"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.breakers = Gauge(
            "gateway_breaker_state",
            "Circuit breaker per back end: 0 closed, 1 half-open, 2 open.",
            ["backend"],
            registry=self.registry,
        )
        self.batches = Histogram(
            "gateway_dataloader_batch_size",
            "Keys per dataloader batch.",
            ["loader"],
            buckets=(1, 2, 5, 10, 20, 50, 100, 200),
            registry=self.registry,
        )
        self.unreadable_answers = Counter(
            "gateway_upstream_unreadable_answers_total",
            "Upstream answers with a success status whose body could not be read.",
            ["backend", "operation"],
            registry=self.registry,
        )
        self.http_errors = Counter(
            "gateway_http_refusals_total",
            "HTTP requests refused before execution, by status.",
            ["status"],
            registry=self.registry,
        )

    # --- the upstream Observer ------------------------------------------------------------

    def sending(self, backend: Backend, operation: str, request: httpx.Request) -> _TimedCall:
        return _TimedCall(self.upstream, backend.value, operation)

    def unreadable(self, backend: Backend, operation: str) -> None:
        self.unreadable_answers.labels(backend.value, operation).inc()

    def watch_breaker(self, backend: Backend, state: Callable[[], str]) -> None:
        """The gauge reads the breaker's state when scraped: half-open is a matter of time."""
        self.breakers.labels(backend.value).set_function(lambda: _BREAKER_VALUES[state()])

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _TimedCall:
    """One upstream request's latency, labelled by its status or the transport's error."""

    __slots__ = ("backend", "histogram", "operation", "started")

    def __init__(self, histogram: Histogram, backend: str, operation: str) -> None:
        self.histogram = histogram
        self.backend = backend
        self.operation = operation
        self.started = time.perf_counter()

    def answered(self, status: int) -> None:
        self._observe(str(status))

    def failed(self, error: BaseException) -> None:
        if isinstance(error, httpx.TransportError):  # not a cancellation: no answer came
            self._observe(type(error).__name__)

    def _observe(self, status: str) -> None:
        self.histogram.labels(self.backend, self.operation, status).observe(
            time.perf_counter() - self.started
        )
