"""Per-record write locks: one read-merge-write of a record at a time.

CareCloud's PUT replaces a whole record, so an update reads it, merges the patch and writes it
back; two updates of one record that interleave lose one of them. `RecordLocks.hold(key)`
serialises them: an async context manager that waits its turn, at most `wait_seconds`, then
raises `LockBusy`.

- `ProcessLocks`: asyncio locks, for one process.
- `HostLocks`: the same, then an flock(2) on a file of a shared directory, for every worker
  and gateway process of the host. The kernel drops the lock of a process that dies, so a
  dead worker never holds one.

A store shared by replicas on several hosts implements the same `hold` (for Redis: `SET key
token NX PX lease`, retried until `wait_seconds`, released by a compare-and-delete script, the
lease longer than a request's deadline so a dead replica's lock expires by itself).
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import hashlib
import os
import random
import stat
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Final, Protocol

__all__ = ["HostLocks", "LockBusy", "ProcessLocks", "RecordLocks"]

# Lock files per directory: keys are hashed onto these, so the directory stays bounded. Two
# records on one file only wait for each other, which is rare and harmless.
STRIPES: Final = 4096
_FIRST_POLL_SECONDS: Final = 0.005
_MAX_POLL_SECONDS: Final = 0.05


class LockBusy(Exception):
    """Another write of the same record held the lock for longer than we may wait."""


class RecordLocks(Protocol):
    def hold(self, key: str) -> AbstractAsyncContextManager[None]:
        """Hold the lock of `key` for the body of an `async with`."""
        ...


class ProcessLocks:
    """One asyncio lock per key, for the coroutines of one process (FIFO: fair)."""

    def __init__(self, wait_seconds: float = 10.0) -> None:
        self.wait_seconds = wait_seconds
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        async with self._turn(key, time.monotonic() + self.wait_seconds):
            yield

    @asynccontextmanager
    async def _turn(self, key: str, deadline: float) -> AsyncIterator[None]:
        """The process-wide turn of `key`, waited for until `deadline` (time.monotonic)."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            try:
                await asyncio.wait_for(lock.acquire(), max(deadline - time.monotonic(), 0))
            except TimeoutError:
                raise LockBusy(key) from None
            try:
                yield
            finally:
                lock.release()
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # nobody holds or waits: forget it (bounded memory)
                del self._users[key], self._locks[key]


class HostLocks(ProcessLocks):
    """Process turn first, then an exclusive flock on the key's file in `directory`."""

    def __init__(self, directory: Path, wait_seconds: float = 10.0) -> None:
        super().__init__(wait_seconds)
        self.directory = directory
        _private_directory(directory)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        deadline = time.monotonic() + self.wait_seconds
        async with self._turn(key, deadline):
            descriptor = os.open(self._path(key), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                await _flock(descriptor, deadline, key)
                yield  # closing the descriptor releases the flock
            finally:
                os.close(descriptor)

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).digest()
        return self.directory / f"{int.from_bytes(digest[:4], 'big') % STRIPES:04d}.lock"


async def _flock(descriptor: int, deadline: float, key: str) -> None:
    """Take an exclusive flock without blocking the event loop: try, back off, try again."""
    pause = _FIRST_POLL_SECONDS
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise LockBusy(key)
        await asyncio.sleep(min(remaining, pause * random.uniform(0.5, 1.5)))
        pause = min(pause * 2, _MAX_POLL_SECONDS)


def _private_directory(directory: Path) -> None:
    """Create `directory` for this user only; refuse one another user owns (it could plant
    links or hold our locks)."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = directory.lstat()
    if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid():
        raise PermissionError(f"{directory} is not a directory of this user")
