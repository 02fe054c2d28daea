"""The CPU time of one awaited call, for the in-process benchmarks."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable


async def cpu_seconds_per_call(call: Callable[[], Awaitable[object]], calls: int) -> float:
    """Process CPU seconds per `call()`, over `calls` of them after a tenth as many (at
    least 20) to warm up: caches filled, answers recorded."""
    for _ in range(max(calls // 10, 20)):
        await call()
    started = time.process_time()
    for _ in range(calls):
        await call()
    return (time.process_time() - started) / calls
