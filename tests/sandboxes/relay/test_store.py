"""The Relay sandbox's store, in process: generated customers are rendered on read, not built."""

from __future__ import annotations

import time

from sandboxes.common.config import SandboxConfig
from sandboxes.relay.app import create_app


def test_generation_is_lazy_and_fast_for_100000_customers() -> None:
    started = time.perf_counter()
    app = create_app(SandboxConfig(customers=100_000, seed=42))
    assert time.perf_counter() - started < 1.0
    store = app.state.store
    last = store.get(store.generated_ccid(99_999))
    assert last is not None and last["ccid"] == store.generated_ccid(99_999)
