"""Per-record write locks: one holder at a time per key, across the coroutines of a process
and across processes sharing a directory; a dead holder's lock is released by the kernel."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from adapters.carecloud.adapter import CareCloudAdapter
from adapters.carecloud.client import CareCloudClient
from adapters.errors import UpstreamConflict
from adapters.locks import HostLocks, LockBusy, ProcessLocks, RecordLocks
from adapters.model import Backend, CustomerPatch
from tests.adapters.carecloud.conftest import settings
from tests.adapters.conftest import upstream_for
from tests.conftest import RunningSandbox

pytestmark = pytest.mark.anyio

# A second process that takes `key`'s lock in `directory`, says so, then sleeps until killed.
HOLDER = """
import asyncio, sys
from pathlib import Path
from adapters.locks import HostLocks

async def main() -> None:
    async with HostLocks(Path(sys.argv[1])).hold(sys.argv[2]):
        print("held", flush=True)
        await asyncio.sleep(60)

asyncio.run(main())
"""


async def _overlaps(locks: Sequence[RecordLocks], key: str) -> int:
    """The most holders of `key` at once among 10 tasks spread over `locks`."""
    holding = most = 0

    async def one(n: int) -> None:
        nonlocal holding, most
        async with locks[n % len(locks)].hold(key):
            holding += 1
            most = max(most, holding)
            await asyncio.sleep(0.01)
            holding -= 1

    await asyncio.gather(*(one(n) for n in range(10)))
    return most


async def test_one_holder_at_a_time_within_a_process() -> None:
    assert await _overlaps([ProcessLocks()], "customer-1") == 1


async def test_one_holder_at_a_time_across_lock_sets_of_one_directory(tmp_path: Path) -> None:
    """Two HostLocks on one directory are what two workers have: they share the turns."""
    workers = [HostLocks(tmp_path), HostLocks(tmp_path)]
    assert await _overlaps(workers, "customer-1") == 1


async def test_other_keys_do_not_wait() -> None:
    locks = ProcessLocks(wait_seconds=0.2)
    async with locks.hold("customer-1"), locks.hold("customer-2"):
        pass


async def test_waiting_past_the_limit_is_lock_busy(tmp_path: Path) -> None:
    locks = HostLocks(tmp_path, wait_seconds=0.1)
    other_worker = HostLocks(tmp_path, wait_seconds=0.1)
    async with locks.hold("customer-1"):
        started = time.monotonic()
        with pytest.raises(LockBusy):
            async with other_worker.hold("customer-1"):
                pass
        assert time.monotonic() - started >= 0.1
    async with other_worker.hold("customer-1"):  # released: free again
        pass


async def test_a_dead_processs_lock_is_released(tmp_path: Path) -> None:
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLDER, str(tmp_path), "customer-1", stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None
        assert (await holder.stdout.readline()).strip() == b"held"
        with pytest.raises(LockBusy):
            async with HostLocks(tmp_path, wait_seconds=0.2).hold("customer-1"):
                pass
    finally:
        holder.kill()
        await holder.wait()
    async with HostLocks(tmp_path, wait_seconds=2).hold("customer-1"):
        pass


async def test_the_process_forgets_keys_nobody_holds() -> None:
    locks = ProcessLocks()
    async with locks.hold("customer-1"):
        assert len(locks._locks) == 1
    assert locks._locks == {}


async def test_a_lock_directory_that_is_a_file_is_refused(tmp_path: Path) -> None:
    taken = tmp_path / "locks"
    taken.write_text("")
    with pytest.raises(OSError):
        HostLocks(taken)


async def test_an_update_that_cannot_get_its_turn_is_a_conflict(
    carecloud_sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """Nothing is sent while another worker holds the record's lock for too long."""
    async with upstream_for(Backend.CARECLOUD, carecloud_sandbox.url) as upstream:
        adapter = CareCloudAdapter(
            CareCloudClient(upstream, settings()), locks=HostLocks(tmp_path, wait_seconds=0.1)
        )
        native_id = carecloud_sandbox.app.state.store.generated_id(3)
        other_worker = HostLocks(tmp_path)
        async with other_worker.hold(adapter._lock_key(native_id)):
            carecloud_sandbox.app.counter.reset()
            with pytest.raises(UpstreamConflict) as caught:
                await adapter.update_customer(native_id, CustomerPatch(first_name="Waits"))
        assert caught.value.reason == "UPDATE_IN_PROGRESS"
        assert carecloud_sandbox.app.counter.total("GET", "/customers") == 0
        assert carecloud_sandbox.app.counter.total("PUT") == 0
