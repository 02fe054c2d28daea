"""What stands between a back end's bad day and the rest of the gateway.

`ResilientTransport` wraps each back end's httpx transport (the seam httpx gives us), so
every adapter gets the same policy without knowing it:

- a bulkhead: at most N requests in flight per back end, so a slow one cannot take the
  connection pools or the event loop the others need;
- a circuit breaker: after `failure_threshold` failed calls in a row (transport errors,
  5xx, and answers the adapter could not read; a call's retries count as one call) it
  opens and fails fast; after `reset_seconds`
  it lets one probe through (half-open) and closes on its success;
- retries with jittered exponential back-off (tenacity), for idempotent reads only: a
  POST, PUT or PATCH is sent at most once, whatever happens to its response;
- metrics per back end and operation (adapters name the operation in the request's
  extensions; never a raw path, which would hold an id).

The deadline of the GraphQL request bounds the retries: no attempt starts after it.
"""

from __future__ import annotations

import asyncio
import enum
import time
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)
from tenacity.stop import stop_base

from adapters.model import Backend
from adapters.upstream import UNREADABLE, call_context
from gateway.metrics import Metrics
from gateway.tracing import inject_traceparent, upstream_span

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
# 500 too: Relay documents it as "Please retry your request" ([DOC] BACKENDS.md §3.1 and the
# seed), and CareCloud's 429 asks for back-off with jitter (§2.1). Reads only, as ever.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class BreakerState(enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitOpen(httpx.ConnectError):
    """Refused without a call: the back end's circuit breaker is open."""


class CircuitBreaker:
    """Consecutive-failure breaker for one back end (asyncio: no locks needed)."""

    def __init__(self, failure_threshold: int = 5, reset_seconds: float = 10.0) -> None:
        self.failure_threshold = failure_threshold
        self.reset_seconds = reset_seconds
        self.failures = 0
        self.opened_at: float | None = None
        self.probing = False

    @property
    def state(self) -> BreakerState:
        if self.opened_at is None:
            return BreakerState.CLOSED
        if time.monotonic() - self.opened_at >= self.reset_seconds:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def before_call(self, request: httpx.Request) -> None:
        state = self.state
        if state is BreakerState.OPEN or (state is BreakerState.HALF_OPEN and self.probing):
            raise CircuitOpen("circuit breaker open", request=request)
        if state is BreakerState.HALF_OPEN:
            self.probing = True

    def record(self, success: bool) -> None:
        self.probing = False
        if success:
            self.failures = 0
            self.opened_at = None
            return
        self.failures += 1
        if self.opened_at is not None or self.failures >= self.failure_threshold:
            self.opened_at = time.monotonic()

    def record_unreadable(self, failures_before: int) -> None:
        """A call recorded as a success whose answer could not be read: a failure after all.

        Its success reset the count; `failures_before` (the count it found) is put back, so
        a back end that answers 200 with garbage opens the breaker like one that answers 500.
        """
        self.failures = max(self.failures, failures_before)
        self.record(success=False)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 3  # in all, for idempotent reads
    backoff_seconds: float = 0.05  # first wait's scale; doubles, with full jitter
    max_backoff_seconds: float = 1.0


class _RetryableStatus(Exception):
    def __init__(self, response: httpx.Response) -> None:
        self.response = response


RETRYABLE_ERRORS = (
    httpx.ConnectError,
    httpx.RemoteProtocolError,
    httpx.ReadError,
    _RetryableStatus,
)


async def _wait_first(retry_state: RetryCallState) -> None:
    """The back-off before the first retry, which the fast path made outside the loop."""
    if retry_state.attempt_number == 1:
        await asyncio.sleep(
            retry_state.retry_object.wait(retry_state)  # type: ignore[union-attr]
        )


class ResilientTransport(httpx.AsyncBaseTransport):
    """Bulkhead, breaker, retries and metrics around one back end's transport."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        backend: Backend,
        *,
        breaker: CircuitBreaker,
        max_concurrency: int,
        retry: RetryPolicy,
        metrics: Metrics,
        tracer: Tracer | None = None,
    ) -> None:
        self.inner = inner
        self.tracer = tracer
        self.backend = backend
        self.breaker = breaker
        self.bulkhead = asyncio.Semaphore(max_concurrency)
        self.retry = retry
        self.metrics = metrics
        metrics.watch_breaker(backend, breaker)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        # The breaker sees one outcome per call, its retries included: a back end that
        # fails one attempt in two still answers nearly every call, and stays closed.
        self.breaker.before_call(request)
        try:
            response = await self._send(request)
        except httpx.TransportError:
            self.breaker.record(success=False)
            raise
        failures_before = self.breaker.failures
        self.breaker.record(success=response.status_code < 500)
        if response.status_code < 500:
            # The adapter reads the body later; if it cannot, this success becomes a failure.
            operation = str(request.extensions.get("operation", request.method))
            response.extensions[UNREADABLE] = partial(self._unreadable, operation, failures_before)
        return response

    def _unreadable(self, operation: str, failures_before: int) -> None:
        self.breaker.record_unreadable(failures_before)
        self.metrics.unreadable_answer(self.backend, operation)

    async def _send(self, request: httpx.Request) -> httpx.Response:
        """One attempt, or several with jittered back-off for an idempotent read."""
        if request.method not in IDEMPOTENT or self.retry.attempts <= 1:
            return await self._attempt(request, retryable=False)
        # The first attempt outside tenacity: nearly every call succeeds at once, and a
        # retry loop set up per call cost ~14% of the worker's CPU on fan-outs (py-spy).
        try:
            return await self._attempt(request, retryable=True)
        except RETRYABLE_ERRORS:
            pass
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.retry.attempts - 1) | _PastDeadline(),
            wait=wait_random_exponential(
                multiplier=self.retry.backoff_seconds, max=self.retry.max_backoff_seconds
            ),
            retry=retry_if_exception_type(RETRYABLE_ERRORS),
            reraise=True,
            # Back off before the first retry too, as if the loop had made the first call.
            before=_wait_first,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._attempt(request, retryable=True)
        except _RetryableStatus as last:
            return last.response
        raise AssertionError("unreachable")  # pragma: no cover

    async def _attempt(self, request: httpx.Request, *, retryable: bool) -> httpx.Response:
        if self.tracer is None:  # tracing off: no cost but this check
            return await self._attempt_untraced(request, retryable=retryable)
        operation = str(request.extensions.get("operation", request.method))
        with upstream_span(self.tracer, self.backend.value, operation) as span:
            inject_traceparent(request.headers)
            response = await self._attempt_untraced(request, retryable=retryable)
            span.set_attribute("http.response.status_code", response.status_code)
            return response

    async def _attempt_untraced(self, request: httpx.Request, *, retryable: bool) -> httpx.Response:
        operation = str(request.extensions.get("operation", request.method))
        call_context().calls[self.backend.value] += 1
        started = time.perf_counter()
        try:
            async with self.bulkhead:
                response = await self.inner.handle_async_request(request)
        except httpx.TransportError as error:
            self.metrics.upstream_call(self.backend, operation, type(error).__name__, started)
            raise
        self.metrics.upstream_call(self.backend, operation, str(response.status_code), started)
        if retryable and response.status_code in RETRY_STATUSES:
            await response.aread()
            raise _RetryableStatus(response)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class _PastDeadline(stop_base):
    """Stop retrying once the caller's deadline has passed."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        remaining = call_context().remaining()
        return remaining is not None and remaining <= 0
