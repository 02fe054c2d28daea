"""The Club Med sandbox's filter parser and store, in process: grammar, size and speed."""

from __future__ import annotations

import time

from sandboxes.clubmed.filter import Criterion
from sandboxes.clubmed.store import CustomerStore
from sandboxes.common.config import SandboxConfig


def test_a_store_of_100000_customers_builds_in_a_few_seconds_and_searches_by_index() -> None:
    start = time.perf_counter()
    store = CustomerStore(SandboxConfig(customers=100_000, seed=7))
    assert time.perf_counter() - start < 5.0
    assert store.slot_of("200099999") == 99_999
    assert store.slot_of("200100000") is None
    record = store.record(12_345)
    start = time.perf_counter()
    for _ in range(100):
        found = store.search(
            [Criterion("last_name", record["last_name"]), Criterion("email", record["email"])]
        )
    assert time.perf_counter() - start < 1.0  # an index lookup, not a scan of 100,000
    assert [r["id"] for r in found] == ["200012345"]
    assert [r["id"] for r in store.search([Criterion("gm_number", "500012345")])] == ["200012345"]
