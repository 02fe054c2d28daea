"""The entity cache in the fleet's Redis (gateway/fleet/entities.py has what every form does).

Per back end and record (its native id as a digest: no key holds a personal value):

    <prefix>:entity:<BACKEND>:<digest>              hash, one field per entry: the back end's
                                                    JSON as it came; expires TTL after its
                                                    first entry was kept
    <prefix>:entity:<BACKEND>:<digest>:gen          the record's generation, bumped by each
                                                    invalidation; lives GUARD past the last
    <prefix>:entity:<BACKEND>:<digest>:lock:<entry> the replica fetching a missing entry

A read is one script: the generation and the entry, and when the entry is missing, its lock
(SET NX PX). The lock's holder fetches upstream and keeps the answer only if the generation
is still the one it read (a script compares and sets, and frees the lock); a replica that
found the lock taken polls the same script, so it gets the entry, or the lock once it is
free, or, past a bounded wait, fetches by itself. An invalidation bumps the generation and
drops the entries in one script: a read that started before it cannot keep what it read,
since the generation outlives any request (GUARD is twice the request deadline, and nothing
is kept by a read older than the deadline). While Redis does not answer, the cache is
bypassed (reads go upstream, nothing is kept, nothing is served from memory); the
invalidations it missed are sent before this process reads from it again.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import NoScriptError

from adapters.model import Backend
from adapters.upstream import Entry, LoadMany, call_context
from gateway.fleet.entities import EntityCache, Flight, Outcome, upstream_outcomes
from gateway.fleet.shared import SharedRedis, digest

__all__ = ["RedisEntityCache"]

logger = logging.getLogger("gateway.fleet")

# A script call's arguments (ARGV).
Arguments = list[bytes | str | int]
# Where the replies to one read's looks are awaited.
Waiter = asyncio.Future[list[Any]]

# How long a replica waits for another one fetching the same entry, at most, before it
# fetches by itself (also cut to the request's deadline). The holder's fetch is one upstream
# call: one that takes longer is stuck, or its back end slow for every caller.
WAIT_SECONDS: Final = 2.0
_FIRST_POLL_SECONDS: Final = 0.005
_MAX_POLL_SECONDS: Final = 0.05
# Records whose invalidation could not be sent while Redis was down, kept to send them once
# it answers; past this many, every entry of the back end is dropped instead.
MAX_PENDING: Final = 10_000

# KEYS: generation, entries, lock. ARGV: field, lock token ('' : none), lease ms.
# -> {generation ('' : none), the entry or nil, 1 when the lock was taken}
_LOOK: Final = """
local generation = redis.call('GET', KEYS[1]) or ''
local body = redis.call('HGET', KEYS[2], ARGV[1])
if body then
    return {generation, body, 0}
end
if ARGV[2] ~= '' and redis.call('SET', KEYS[3], ARGV[2], 'NX', 'PX', ARGV[3]) then
    return {generation, false, 1}
end
return {generation, false, 0}
"""
# KEYS: generation, entries, lock. ARGV: generation read, field, body, ttl ms, lock token
# ('' : none), '1' to keep the body. Keeps it only under the generation read; frees the lock
# when this caller holds it. -> 1 when kept.
_KEEP: Final = """
local kept = 0
if ARGV[6] == '1' and (redis.call('GET', KEYS[1]) or '') == ARGV[1] then
    redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
    if redis.call('PTTL', KEYS[2]) < 0 then
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
    end
    kept = 1
end
if ARGV[5] ~= '' and redis.call('GET', KEYS[3]) == ARGV[5] then
    redis.call('DEL', KEYS[3])
end
return kept
"""
# KEYS: generation, entries. ARGV: guard ms.
_FORGET: Final = """
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return 1
"""


@dataclass(slots=True)
class _Look:
    """One record's entry as the look script found it."""

    generation: bytes
    body: bytes | None
    claimed: bool


class RedisEntityCache(EntityCache):
    """The entries in the fleet's Redis; bypassed while Redis does not answer."""

    def __init__(
        self,
        shared: SharedRedis,
        backend: Backend,
        ttl_seconds: float,
        *,
        guard_seconds: float,
        wait_seconds: float = WAIT_SECONDS,
    ) -> None:
        super().__init__(backend, ttl_seconds)
        self.shared = shared
        self.ttl_ms = max(int(ttl_seconds * 1000), 1)
        # The generation's life after an invalidation, and the lock's lease.
        self.guard_seconds = guard_seconds
        self.wait_seconds = wait_seconds
        self._look = shared.client.register_script(_LOOK)
        self._keep = shared.client.register_script(_KEEP)
        self._forget_script = shared.client.register_script(_FORGET)
        # Looks asked in this turn of the event loop, sent together (`_looked`).
        self._queued: list[tuple[list[tuple[list[str], Arguments]], Waiter]] = []
        self._sending: set[asyncio.Task[None]] = set()
        # Invalidations not sent while Redis was down; `_lost`: more than MAX_PENDING were.
        self._pending: set[str] = set()
        self._lost = False

    async def _evaluate(
        self, client: Redis, script: AsyncScript, calls: Sequence[tuple[list[str], Arguments]]
    ) -> list[Any]:
        """`script`'s reply to each (keys, arguments), in one round trip: EVALSHA alone, or a
        pipeline of them (not redis-py's script pipeline, which asks SCRIPT EXISTS first on
        every execution); the script is loaded again when Redis has lost it."""
        if len(calls) == 1:
            keys, args = calls[0]
            return [await script(keys=keys, args=args, client=client)]
        for attempt in (1, 2):
            async with client.pipeline(transaction=False) as pipe:
                for keys, args in calls:
                    pipe.evalsha(script.sha, len(keys), *keys, *args)
                replies = list(await pipe.execute(raise_on_error=False))
            if attempt == 2 or not any(isinstance(r, NoScriptError) for r in replies):
                break
            await client.script_load(script.script)
        for reply in replies:
            if isinstance(reply, Exception):
                raise reply
        return replies

    def keys(self, record: str) -> tuple[str, str]:
        """(generation, entries) of `record`: its id as a digest, never as it is."""
        entries = self.shared.key("entity", self.backend.name, digest(self.backend.value, record))
        return f"{entries}:gen", entries

    def _keys(self, record: str, entry: Entry) -> list[str]:
        generation, entries = self.keys(record)
        return [generation, entries, f"{entries}:lock:{entry.field}"]

    # --- reads -------------------------------------------------------------------------

    async def _fetch(
        self, records: Sequence[str], entry: Entry, load: LoadMany, flights: Mapping[str, Flight]
    ) -> dict[str, Outcome]:
        if not self.shared.up or not await self._send_pending():
            return upstream_outcomes(records, await load(records), flights)
        token = secrets.token_hex(16)
        started = time.monotonic()
        looks = await self._looks(records, entry, token)
        if looks is None:  # Redis went away: this read bypasses it
            return upstream_outcomes(records, await load(records), flights)
        outcomes = {
            record: Outcome(look.body, cached=True)
            for record, look in looks.items()
            if look.body is not None
        }
        claimed = {r: look for r, look in looks.items() if look.body is None and look.claimed}
        busy = {r: look for r, look in looks.items() if look.body is None and not look.claimed}
        mine = self._load_and_keep(claimed, entry, load, flights, token, started)
        if not busy:  # the common case: no other replica was fetching these
            outcomes.update(await mine)
            return outcomes
        theirs = self._wait_for(busy, entry, load, flights, token, started)
        for part in await asyncio.gather(mine, theirs):
            outcomes.update(part)
        return outcomes

    async def _looks(
        self, records: Sequence[str], entry: Entry, token: str
    ) -> dict[str, _Look] | None:
        """Each record's generation and entry, the missing entries' locks taken where free
        (one round trip); None when Redis does not answer."""
        lease_ms = max(int(self.guard_seconds * 500), 1)  # half the guard: the deadline

        async def shared(client: Redis) -> dict[str, _Look] | None:
            look: Arguments = [entry.field, token, lease_ms]
            replies = await self._looked([(self._keys(record, entry), look) for record in records])
            return {
                record: _Look(generation, body, bool(claimed))
                for record, (generation, body, claimed) in zip(records, replies, strict=True)
            }

        async def local() -> dict[str, _Look] | None:
            return None

        return await self.shared.call("entity cache", shared, local)

    def _looked(self, calls: list[tuple[list[str], Arguments]]) -> Waiter:
        """The look script's replies to `calls`, sent with the looks other reads of this
        process ask in the same turns of the event loop: the profile, travelers and travel
        documents of a customer, asked by three loaders at once, go out in one round trip."""
        loop = asyncio.get_running_loop()
        future: Waiter = loop.create_future()
        if not self._queued:  # two turns: the loaders' reads of one tick all join
            loop.call_soon(loop.call_soon, self._send_looks)
        self._queued.append((calls, future))
        return future

    def _send_looks(self) -> None:
        queued, self._queued = self._queued, []
        task = asyncio.get_running_loop().create_task(self._send(queued))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, queued: list[tuple[list[tuple[list[str], Arguments]], Waiter]]) -> None:
        calls = [call for asked, _ in queued for call in asked]
        try:
            replies = await self._evaluate(self.shared.client, self._look, calls)
        except Exception as error:  # each asker has it (a Redis error: SharedRedis.call's)
            for _, future in queued:
                if not future.done():
                    future.set_exception(error)
            return
        except BaseException:  # cancelled, as the loop closes: so are the askers
            for _, future in queued:
                future.cancel()
            raise
        start = 0
        for asked, future in queued:
            if not future.done():  # not cancelled meanwhile
                future.set_result(replies[start : start + len(asked)])
            start += len(asked)

    async def _load_and_keep(
        self,
        looks: Mapping[str, _Look],
        entry: Entry,
        load: LoadMany,
        flights: Mapping[str, Flight],
        token: str,
        started: float,
    ) -> dict[str, Outcome]:
        """Load the entries this read holds the locks of, keep them, free the locks."""
        if not looks:
            return {}
        records = list(looks)
        try:
            outcomes = upstream_outcomes(records, await load(records), flights)
        except BaseException:
            await self._keep_all(looks, entry, {}, token, started)  # frees the locks
            raise
        return await self._keep_all(looks, entry, outcomes, token, started)

    async def _keep_all(
        self,
        looks: Mapping[str, _Look],
        entry: Entry,
        outcomes: Mapping[str, Outcome],
        token: str,
        started: float,
    ) -> dict[str, Outcome]:
        """Keep each answer under the generation its read saw (not one read before the
        deadline: its generation may be gone), and free this read's locks. -> `outcomes`,
        an answer that was not kept no longer shareable: a write of its record ran on some
        replica meanwhile, so the reads of this process that joined this one fetch again."""
        fresh = time.monotonic() - started < self.guard_seconds / 2

        calls: list[tuple[list[str], Arguments]] = []
        for record, look in looks.items():
            outcome = outcomes.get(record)
            body = outcome.answer if outcome is not None and outcome.shareable else None
            keep = fresh and isinstance(body, bytes)
            args: Arguments = [
                look.generation,
                entry.field,
                body if isinstance(body, bytes) else b"",
                self.ttl_ms,
                token if look.claimed else "",
                "1" if keep else "0",
            ]
            calls.append((self._keys(record, entry), args))

        async def shared(client: Redis) -> list[int]:
            return await self._evaluate(client, self._keep, calls)

        async def local() -> list[int]:
            return [0] * len(looks)

        replies = await self.shared.call("entity cache", shared, local)
        kept = {record for record, reply in zip(looks, replies, strict=True) if reply}
        return {
            record: outcome
            if record in kept or not isinstance(outcome.answer, bytes)
            else Outcome(outcome.answer, outcome.cached, shareable=False)
            for record, outcome in outcomes.items()
        }

    async def _wait_for(
        self,
        looks: Mapping[str, _Look],
        entry: Entry,
        load: LoadMany,
        flights: Mapping[str, Flight],
        token: str,
        started: float,
    ) -> dict[str, Outcome]:
        """The entries another replica is fetching: polled until they are kept, or their
        lock is free (then taken by this read, which fetches), or the wait is over (then
        fetched without the lock)."""
        if not looks:
            return {}
        outcomes: dict[str, Outcome] = {}
        waiting = dict(looks)
        claimed: dict[str, _Look] = {}
        remaining = call_context().remaining()
        wait = self.wait_seconds if remaining is None else min(self.wait_seconds, remaining / 2)
        until = time.monotonic() + wait
        pause = _FIRST_POLL_SECONDS
        while waiting and time.monotonic() < until:
            await asyncio.sleep(min(pause * random.uniform(0.5, 1.5), until - time.monotonic()))
            pause = min(pause * 2, _MAX_POLL_SECONDS)
            polled = await self._looks(list(waiting), entry, token)
            if polled is None:
                break  # Redis went away: what is still missing is fetched, not kept
            for record, look in polled.items():
                if look.body is not None:
                    outcomes[record] = Outcome(look.body, cached=True)
                    del waiting[record]
                elif look.claimed:
                    claimed[record] = look
                    del waiting[record]
                else:
                    waiting[record] = look
            if claimed:
                outcomes.update(
                    await self._load_and_keep(claimed, entry, load, flights, token, started)
                )
                claimed = {}
        if waiting:
            # Fetched without the lock, kept all the same under the generation last seen.
            loaded = upstream_outcomes(list(waiting), await load(list(waiting)), flights)
            unlocked = {r: _Look(look.generation, None, False) for r, look in waiting.items()}
            outcomes.update(await self._keep_all(unlocked, entry, loaded, token, started))
        return outcomes

    # --- invalidation ------------------------------------------------------------------

    async def _forget(self, record: str) -> None:
        if not self.shared.up or not await self._send_pending():
            self._postpone([record])
            return
        if not await self._forget_all([record]):
            self._postpone([record])

    async def _forget_all(self, records: Iterable[str]) -> bool:
        """Invalidate `records` in one round trip; False when Redis does not answer."""
        guard_ms = max(int(self.guard_seconds * 1000), 1)

        async def shared(client: Redis) -> bool:
            guard: Arguments = [guard_ms]
            calls = [(list(self.keys(record)), guard) for record in records]
            await self._evaluate(client, self._forget_script, calls)
            return True

        async def local() -> bool:
            return False

        return await self.shared.call("entity cache invalidation", shared, local)

    def _postpone(self, records: Iterable[str]) -> None:
        """Invalidations to send once Redis answers again (the entries expire by then at the
        latest)."""
        if self._lost:
            return
        self._pending.update(records)
        if len(self._pending) > MAX_PENDING:
            self._pending.clear()
            self._lost = True

    async def _send_pending(self) -> bool:
        """Send the invalidations Redis missed before anything is read from it; False when
        it still does not answer."""
        if self._lost:
            if not await self._drop_everything():
                return False
            self._lost = False
        if not self._pending:
            return True
        pending = list(self._pending)
        if not await self._forget_all(pending):
            return False
        self._pending.difference_update(pending)
        return True

    async def _drop_everything(self) -> bool:
        """Drop every entry of this back end (more invalidations were missed than kept)."""
        pattern = self.shared.key("entity", self.backend.name, "*")

        async def shared(client: Redis) -> bool:
            async for key in client.scan_iter(match=pattern, count=1000):
                if not key.endswith(b":gen"):
                    await client.unlink(key)
            return True

        async def local() -> bool:
            return False

        dropped = await self.shared.call("entity cache invalidation", shared, local)
        if dropped:
            logger.warning(
                "entity cache of %s emptied: more writes than it could remember happened "
                "while redis did not answer",
                self.backend.name,
            )
        return dropped
