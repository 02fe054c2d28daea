"""CPython's garbage collector, tuned for a long-running server.

A GraphQL request allocates thousands of short-lived containers (the executor's results,
dicts, futures, AST visits). With CPython's default young threshold (700 allocations) the
collector ran every few requests, and each older collection walked everything startup made
(the schema, the modules, the sandboxes' data), which never dies: 8-19% of a worker's CPU
under load (BENCHMARKS.md). Startup's objects are frozen out of the collector's reach, and
the young generation is collected less often; reference counting still frees most garbage
at once, the collector only finds cycles.
"""

from __future__ import annotations

import gc


def tune_collector(threshold: int) -> None:
    """Freeze what exists now and collect the young generation every `threshold` allocations.

    0 leaves the collector as CPython set it. Called once per worker, after start-up.
    """
    if threshold <= 0:
        return
    gc.collect()  # garbage of start-up is freed, not frozen
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(threshold, middle, old)
