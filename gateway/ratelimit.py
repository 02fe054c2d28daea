"""How many wrong secrets a caller may try per login value: the verify actions' limit.

`FailureLimit` is the seam: `acquire` reserves one attempt for a key, or answers the seconds
until one is free again; `forgive` gives the attempt back when it did not fail on the
secret (the secret was right, or the back end did not answer). Reserving before the attempt
is sent, not counting after it failed, keeps concurrent attempts at the limit too: ten
requests at once get five tries, not ten. `InProcessFailureLimit` keeps a sliding window per
key in this worker's memory (with N workers a login value gets N times the tries); a later
issue moves the count to Redis behind the same protocol.

Keys are digests (`failure_key`): a login value, like an email, never sits in memory or in
Redis as itself.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from adapters.model import Backend

__all__ = [
    "Count",
    "FailureLimit",
    "InProcessFailureLimit",
    "InProcessWindowCounter",
    "Reservation",
    "WindowCounter",
    "failure_key",
]

Reservation = int  # what `acquire` hands back, to `forgive` the same attempt


def failure_key(backend: Backend, kind: str, *parts: str) -> str:
    """The limit's key of a login: a digest of back end, kind and login value."""
    joined = "\x1f".join((backend.value, kind, *parts))
    return hashlib.sha256(joined.encode()).hexdigest()


class FailureLimit(Protocol):
    async def acquire(self, key: str) -> Reservation | float:
        """A reservation of one attempt (an int), or the seconds until one frees (a float)."""
        ...

    async def forgive(self, key: str, reservation: Reservation) -> None:
        """Give back an attempt that did not fail on the secret."""
        ...


class InProcessFailureLimit:
    """At most `max_failures` attempts per key in any `window_seconds`, in this process.

    Attempts older than the window are forgotten; so is a key with none left. At most
    `max_keys` keys are held (the least recently used goes first), so a flood of distinct
    login values cannot grow memory without bound.
    """

    def __init__(
        self,
        max_failures: int,
        window_seconds: float,
        *,
        max_keys: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self.max_keys = max_keys
        self._clock = clock
        self._attempts: OrderedDict[str, deque[tuple[float, Reservation]]] = OrderedDict()
        self._serial = itertools.count(1)

    async def acquire(self, key: str) -> Reservation | float:
        now = self._clock()
        attempts = self._attempts.get(key)
        if attempts is None:
            attempts = self._attempts[key] = deque()
            if len(self._attempts) > self.max_keys:
                self._attempts.popitem(last=False)
        self._attempts.move_to_end(key)
        while attempts and attempts[0][0] <= now - self.window_seconds:
            attempts.popleft()
        if len(attempts) >= self.max_failures:
            return max(attempts[0][0] + self.window_seconds - now, 0.001)
        reservation = next(self._serial)
        attempts.append((now, reservation))
        return reservation

    async def forgive(self, key: str, reservation: Reservation) -> None:
        attempts = self._attempts.get(key)
        if attempts is None:
            return
        for entry in attempts:
            if entry[1] == reservation:
                attempts.remove(entry)
                break
        if not attempts:
            del self._attempts[key]


@dataclass(frozen=True, slots=True)
class Count:
    """A key's requests in its current window, and the seconds until the window ends."""

    hits: int
    reset_seconds: float


class WindowCounter(Protocol):
    async def hit(self, key: str, window_seconds: float) -> Count:
        """Count one request under `key` in its fixed window of `window_seconds`."""
        ...


class InProcessWindowCounter:
    """Fixed windows per key in this process's memory, at most `max_keys` of them."""

    def __init__(
        self, *, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_keys = max_keys
        self._clock = clock
        self._windows: OrderedDict[str, tuple[float, int]] = OrderedDict()

    async def hit(self, key: str, window_seconds: float) -> Count:
        now = self._clock()
        ends, hits = self._windows.get(key, (0.0, 0))
        if ends <= now:
            ends, hits = now + window_seconds, 0
        self._windows[key] = (ends, hits + 1)
        self._windows.move_to_end(key)
        if len(self._windows) > self.max_keys:
            self._windows.popitem(last=False)
        return Count(hits + 1, ends - now)
