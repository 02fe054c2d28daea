"""The in-process limit of wrong secrets, on a clock of the test's own."""

from __future__ import annotations

import pytest

from adapters.model import Backend
from gateway.ratelimit import FailureLimit, InProcessFailureLimit, failure_key

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_sliding_window_per_key_and_forgiven_attempts() -> None:
    clock = Clock()
    limit: FailureLimit = InProcessFailureLimit(2, 60.0, clock=clock)
    first = await limit.acquire("a")
    clock.now += 10
    assert isinstance(first, int) and isinstance(await limit.acquire("a"), int)
    assert await limit.acquire("a") == pytest.approx(50.0)  # the first frees at 1060
    assert isinstance(await limit.acquire("b"), int)  # another key is not held back
    clock.now += 50
    freed = await limit.acquire("a")
    assert isinstance(freed, int)
    await limit.forgive("a", freed)  # a right secret gives its attempt back
    assert isinstance(await limit.acquire("a"), int)


async def test_keys_are_bounded_and_digests() -> None:
    limit = InProcessFailureLimit(1, 60.0, max_keys=2)
    for key in ("a", "b", "c"):
        await limit.acquire(key)
    assert isinstance(await limit.acquire("a"), int)  # "a" was dropped first
    key = failure_key(Backend.CARECLOUD, "password", "EMAIL", "someone@example.com")
    assert "someone" not in key and len(key) == 64
