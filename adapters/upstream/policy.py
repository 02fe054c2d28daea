"""What stands between one back end's bad day and the rest of the gateway.

Every request an `Upstream` sends goes through its back end's one `Policy`:

- a circuit breaker: after `failure_threshold` failed calls in a row it opens and refuses
  calls at once (`UpstreamUnavailable`, nothing sent); after `reset_seconds` it lets one
  probe through (half-open) and closes on its success. A call fails when it gets no answer
  (time-out, refused or broken connection), a 5xx, or an answer that cannot be read; a
  refusal (4xx) is an answer. A call's retries count once: a back end that fails one attempt
  in two still answers nearly every call, and stays closed;
- retries with jittered exponential back-off, for idempotent requests only (a POST, PUT or
  PATCH is sent at most once, whatever happens to it), when the error the failed attempt maps
  to is `retryable` (adapters/errors.py: 429, 500, 502-504 and broken connections; never a
  time-out or an unreadable body). The deadline of the GraphQL request bounds them: no
  attempt starts after it;
- the bulkhead: at most N requests in flight to the back end (`Upstream` holds it around the
  transport only, never while waiting for a token), so a slow back end cannot take the
  connections or the event loop the others need, and a batch fan-out of any size goes out N
  at a time.
"""

from __future__ import annotations

import asyncio
import enum
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final, TypeVar

from adapters.errors import UpstreamError, UpstreamUnavailable
from adapters.model import Backend

__all__ = ["IDEMPOTENT", "BreakerState", "CircuitBreaker", "Policy", "RetryPolicy", "fails_call"]

T = TypeVar("T")

IDEMPOTENT: Final = frozenset({"GET", "HEAD", "OPTIONS"})


class BreakerState(enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


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

    def admit(self) -> bool:
        """Whether a call may go out now: always when closed, the one probe when half-open."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.OPEN or self.probing:
            return False
        self.probing = True
        return True

    def record(self, success: bool) -> None:
        """The outcome of an admitted call."""
        self.probing = False
        if success:
            self.failures = 0
            self.opened_at = None
            return
        self.failures += 1
        if self.opened_at is not None or self.failures >= self.failure_threshold:
            self.opened_at = time.monotonic()

    def release(self) -> None:
        """An admitted call ended without an outcome (cancelled): the next one may probe."""
        self.probing = False


def fails_call(error: UpstreamError) -> bool:
    """Whether an error is the back end failing (for the breaker), not refusing.

    No answer (a time-out, a refused or broken connection, an unreadable body: no status) or
    a 5xx fails; a 4xx is the back end answering, if not what the gateway wanted.
    """
    return error.status is None or error.status >= 500


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    attempts: int = 3  # in all, for an idempotent request
    backoff_seconds: float = 0.05  # the first wait's scale; doubles, with full jitter
    max_backoff_seconds: float = 1.0

    def backoff(self, retry: int) -> float:
        """The wait before retry number `retry` (1 for the first)."""
        ceiling = min(self.max_backoff_seconds, self.backoff_seconds * 2 ** (retry - 1))
        return random.uniform(0, ceiling)


class Policy:
    """Breaker, retries and the one bulkhead of one back end.

    The default is a bare client's: no breaker, no retry, at most 100 requests in flight.
    """

    def __init__(
        self,
        backend: Backend,
        *,
        breaker: CircuitBreaker | None = None,
        retry: RetryPolicy = RetryPolicy(attempts=1),
        max_concurrency: int = 100,
    ) -> None:
        self.backend = backend
        self.breaker = breaker
        self.retry = retry
        self.bulkhead = asyncio.Semaphore(max_concurrency)

    async def call(
        self,
        attempt: Callable[[], Awaitable[T]],
        *,
        operation: str,
        idempotent: bool,
        deadline: float | None,
    ) -> T:
        """`attempt`, again while it fails retryably; the breaker sees the call's one outcome.

        `attempt` raises the `UpstreamError` its request maps to; `deadline` is a
        `time.monotonic()` instant (None: none).
        """
        breaker = self.breaker
        if breaker is None:
            return await self._attempts(attempt, idempotent, deadline)
        if not breaker.admit():
            raise UpstreamUnavailable(self.backend, f"{operation}: the circuit breaker is open")
        try:
            result = await self._attempts(attempt, idempotent, deadline)
        except UpstreamError as error:
            breaker.record(success=not fails_call(error))
            raise
        except BaseException:
            breaker.release()
            raise
        breaker.record(success=True)
        return result

    async def _attempts(
        self, attempt: Callable[[], Awaitable[T]], idempotent: bool, deadline: float | None
    ) -> T:
        if not idempotent or self.retry.attempts <= 1:
            return await attempt()
        failed = 0
        while True:
            try:
                return await attempt()
            except UpstreamError as error:
                failed += 1
                if not error.retryable or failed >= self.retry.attempts:
                    raise
                await asyncio.sleep(self.retry.backoff(failed))
                if deadline is not None and time.monotonic() >= deadline:
                    raise
