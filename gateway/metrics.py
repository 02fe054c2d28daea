"""Prometheus metrics, one registry per application (so tests can run several apps).

`Metrics` is also an upstream `Observer` (adapters/upstream/observer.py): the app hands it to
each back end's `Upstream`, which tells it of every request, every unreadable answer and its
circuit breaker.

Under `serve --workers N` (N > 1), one scrape must count every worker, whichever takes it:
each worker writes its values to files in a directory they share (prometheus_client's
multiprocess mode) and /metrics adds up every worker's files. prometheus_client chooses
where values go when it is imported (`prometheus_client.values.ValueClass`, 0.26), from
PROMETHEUS_MULTIPROC_DIR: `serve` hands it to the workers (config.hand_to_workers), whose
fresh interpreters (uvicorn spawns them) have it before anything imports prometheus_client.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)

from adapters.model import Backend
from gateway.metrics_files import WORKER_FILE

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_BREAKER_VALUES = {"closed": 0, "half_open": 1, "open": 2}


class Metrics:
    """This process's metrics; with `shared_dir`, one worker's among those of a `serve`
    whose workers all write to that directory, and whose /metrics reads them all."""

    def __init__(self, shared_dir: str | None = None) -> None:
        if shared_dir is not None and not values.ValueClass._multiprocess:
            raise RuntimeError(
                "prometheus_client was imported before PROMETHEUS_MULTIPROC_DIR was set: "
                "this worker's metrics would not be in the shared directory"
            )
        self.shared_dir = shared_dir
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
        # Each worker has its own breakers. Several workers: the worst state among the live
        # ones ("livemax"), so that the series are those of one process (no pid label) and
        # an alert on "open" fires when any worker refuses calls; a worker that exited is
        # forgotten. Each worker's own state is on /readyz (its `replica`).
        self.breakers = Gauge(
            "gateway_breaker_state",
            "Circuit breaker per back end: 0 closed, 1 half-open, 2 open.",
            ["backend"],
            registry=self.registry,
            multiprocess_mode="livemax",
        )
        self._breaker_states: dict[str, tuple[Gauge, Callable[[], str]]] = {}
        self._breaker_written: dict[str, float] = {}
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
        self._exposed = self.registry
        if shared_dir is not None:
            self._exposed = CollectorRegistry()
            # prometheus_client's multiprocess module is not annotated (0.26).
            multiprocess.MultiProcessCollector(self._exposed, path=shared_dir)  # type: ignore[no-untyped-call]

    # --- the upstream Observer ------------------------------------------------------------

    def sending(self, backend: Backend, operation: str, request: httpx.Request) -> _TimedCall:
        return _TimedCall(self.upstream, backend.value, operation)

    def unreadable(self, backend: Backend, operation: str) -> None:
        self.unreadable_answers.labels(backend.value, operation).inc()

    def watch_breaker(self, backend: Backend, state: Callable[[], str]) -> None:
        """The gauge reads the breaker's state when scraped: half-open is a matter of time.

        Several workers: a scrape reads files, not functions (a function's gauge would read
        0 there), so each worker writes its breakers' states when it has used them (after
        each operation, each /readyz) and when it takes a scrape (`write_breakers`).
        """
        gauge = self.breakers.labels(backend.value)
        if self.shared_dir is None:
            gauge.set_function(lambda: _BREAKER_VALUES[state()])
            return
        self._breaker_states[backend.value] = (gauge, state)
        self.write_breakers()

    def write_breakers(self) -> None:
        """Several workers: this worker's breakers' states, written where a scrape reads."""
        for backend, (gauge, state) in self._breaker_states.items():
            value = _BREAKER_VALUES[state()]
            if self._breaker_written.get(backend) != value:
                gauge.set(value)
                self._breaker_written[backend] = value

    def render(self) -> bytes:
        """The text of a scrape: this process's metrics, or every live worker's."""
        if self.shared_dir is not None:
            self.write_breakers()
            forget_dead_workers(self.shared_dir)
        return generate_latest(self._exposed)

    def close(self) -> None:
        """This worker is leaving: its breakers are no longer reported (its counts stay)."""
        if self.shared_dir is not None:
            _mark_dead(os.getpid(), self.shared_dir)


def forget_dead_workers(directory: str) -> None:
    """Stop reporting the breakers of workers that are gone without saying so (killed, out
    of memory): uvicorn, unlike gunicorn, tells no one when a worker exits."""
    for path in Path(directory).glob("gauge_live*_*.db"):
        found = WORKER_FILE.fullmatch(path.name)
        if found is not None and not _alive(int(found.group(2))):
            _mark_dead(int(found.group(2)), directory)


def _mark_dead(pid: int, directory: str) -> None:
    # Another worker's scrape may be removing the same files.
    with contextlib.suppress(FileNotFoundError):
        multiprocess.mark_process_dead(pid, directory)  # type: ignore[no-untyped-call]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal sent: only whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, as another user's
        return True
    return True


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
