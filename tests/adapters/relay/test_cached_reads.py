"""A client's reads and writes through an entity cache (adapters/upstream/cache.py), on the
Relay sandbox, with the gateway's in-process cache standing for any `ResponseCache`."""

from __future__ import annotations

import pytest

from adapters.errors import UpstreamConflict, UpstreamNotFound
from adapters.model import Backend, CustomerDraft
from adapters.relay.adapter import RelayAdapter
from adapters.relay.client import CUSTOMER, RelayClient
from adapters.upstream import Upstream
from gateway.fleet.entities import InProcessEntityCache
from tests.adapters.relay.conftest import settings
from tests.conftest import RunningSandbox
from tests.sandboxes.relay.conftest import CUSTOMER_ROUTE, LOAD_ROUTE, SEED_CCID

pytestmark = pytest.mark.anyio


def cached(upstream: Upstream) -> tuple[RelayAdapter, InProcessEntityCache]:
    cache = InProcessEntityCache(Backend.RELAY, ttl_seconds=60)
    return RelayAdapter(RelayClient(upstream, settings(), cache=cache)), cache


async def test_a_kept_answer_is_mapped_again_and_a_write_that_failed_still_drops_it(
    upstream: Upstream, relay_sandbox: RunningSandbox
) -> None:
    adapter, _ = cached(upstream)
    first = await adapter.get_customer(SEED_CCID)
    assert await adapter.get_customer(SEED_CCID) == first
    assert relay_sandbox.app.counter.snapshot() == {CUSTOMER_ROUTE: 1}
    # A create at a taken ccid is refused: an answer lost could have been a write, so the
    # cache forgets the ccid whatever the outcome.
    with pytest.raises(UpstreamConflict):
        await adapter.create_customer(CustomerDraft("Other", "Person", native_id=SEED_CCID))
    assert await adapter.get_customer(SEED_CCID) == first
    assert relay_sandbox.app.counter.snapshot() == {CUSTOMER_ROUTE: 2, LOAD_ROUTE: 1}


async def test_an_unreadable_kept_answer_is_read_again_from_the_back_end(
    upstream: Upstream, relay_sandbox: RunningSandbox
) -> None:
    adapter, cache = cached(upstream)
    first = await adapter.get_customer(SEED_CCID)
    await cache.invalidate(SEED_CCID)

    async def garbage(records: object) -> dict[str, bytes]:
        return {SEED_CCID: b"not json"}

    await cache.fetch_many([SEED_CCID], CUSTOMER, garbage)  # kept as if Relay had said so
    assert await adapter.get_customer(SEED_CCID) == first
    assert relay_sandbox.app.counter.snapshot() == {CUSTOMER_ROUTE: 2}


async def test_errors_are_not_kept(upstream: Upstream, relay_sandbox: RunningSandbox) -> None:
    adapter, _ = cached(upstream)
    for _ in range(2):
        with pytest.raises(UpstreamNotFound):
            await adapter.get_customer("no-such-ccid")
    assert relay_sandbox.app.counter.snapshot() == {CUSTOMER_ROUTE: 2}
