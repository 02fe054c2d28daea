"""CPython's garbage collector, tuned for a long-running server.

A GraphQL request allocates thousands of short-lived containers (the executor's results,
dicts, futures, AST visits). With CPython's default young threshold (700 allocations) the
collector ran several times a request, and each older collection walked everything start-up made
(the schema, the modules, the sandboxes' data), which never dies: 8-19% of a worker's CPU
under load (BENCHMARKS.md). Start-up's objects are frozen out of the collector's reach, and
the young generation is collected less often; reference counting still frees most garbage
at once, the collector only finds cycles.
"""

from __future__ import annotations

import gc
from typing import Final

# Young collections between collections of the middle generation, and those between full
# collections. CPython's 10 and 10, on a young threshold 70 times larger, let cyclic garbage
# that outlived its request wait in the old generation for 5,000,000 allocations: the worker
# grew to 125-136 MB under nodes(50) (bench, 12 s at c=50 then c=10). Full collections are
# cheap once start-up's objects are frozen, so they come every 4 young ones: 114-119 MB, and
# 4-5% less CPU (BENCHMARKS.md).
MIDDLE_EVERY: Final = 2
OLD_EVERY: Final = 2


def tune_collector(threshold: int) -> None:
    """Freeze what exists now and collect the young generation every `threshold` allocations.

    0 leaves the collector as CPython set it. Called once per worker, after start-up.
    """
    if threshold <= 0:
        return
    gc.collect()  # garbage of start-up is freed, not frozen
    gc.freeze()
    gc.set_threshold(threshold, MIDDLE_EVERY, OLD_EVERY)
