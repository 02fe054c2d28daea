"""Stewards' decisions and person ids in the fleet's Redis (GATEWAY_IDENTITY_STORE=redis): the
`LinkStore` of gateway/identity/links.py, with exactly `SQLiteLinkStore`'s rules, seen alike
by every replica.

    <prefix>:identity:decisions:<digest>  a hash per record (the digest of its key): the other
                                          record of each decided pair -> "link:<time>" or
                                          "unlink:<time>"; a decision is in both records' hashes
    <prefix>:identity:assignments         a hash: record key -> "<person id>:<seq>"
    <prefix>:identity:members:<person>    a set: the record keys assigned to that person id
    <prefix>:identity:aliases             a hash: a person id merged away -> the id it joined
    <prefix>:identity:seq                 the counter that orders assignments (`seq`)

Record keys ("clubmed:123") are only hash fields, values and set members, never in a key name
(the decisions' hash is named by a digest); person ids are digests and name their sets.
Unlike the fleet's other keys, these have no TTL: they are durable data, as the SQLite file
is, and the Redis must persist them (AOF or RDB snapshots, docs/fleet.md).

Every write is atomic across the replicas without a lock: `link`, `unlink` and `split` write
both halves of their decisions in one MULTI/EXEC, and `assign_person` is one Lua script,
which Redis runs alone (reads, the choice of id, then the writes). A lock (`RedisLocks`)
would need a lease that a stalled replica can outlive, and a round trip per read. Each
script reads everything before its first write, so a Redis out of memory refuses it before
anything is written. The scripts reach the members' sets by name: a single Redis (or a
primary with replicas), not Redis Cluster.

When Redis does not answer, every call raises `LinkStoreUnavailable` having written nothing;
the request decides what to answer instead (gateway/request_links.py).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Collection
from typing import Final, TypeVar

from redis.asyncio import Redis

from gateway.fleet.shared import SharedRedis, digest
from gateway.identity.links import (
    MINT_ATTEMPTS,
    Decision,
    Decisions,
    LinkStoreUnavailable,
    minted_person_id,
)
from gateway.identity.records import RecordKey

__all__ = ["RedisLinkStore"]

T = TypeVar("T")
FEATURE: Final = "identity store"
# Ids offered to the script at a time: the first is free unless the anchor minted before.
_CANDIDATES: Final = 8
# An alias of an alias, a few deep at most (as SQLiteLinkStore follows them).
_ALIAS_DEPTH: Final = 32

# KEYS: assignments, aliases, seq. ARGV: the members' sets' name up to the person id, the
# cluster's size n, its n record keys (sorted, distinct), then ids to mint, in order.
# Returns the person id, or false when every id offered is taken (nothing written).
_ASSIGN: Final = """
local assignments, aliases, seq = KEYS[1], KEYS[2], KEYS[3]
local members_of = ARGV[1]
local n = tonumber(ARGV[2])
local keys, cluster = {}, {}
for i = 1, n do
    keys[i] = ARGV[i + 2]
    cluster[keys[i]] = true
end
local function seq_of(value)
    return tonumber(string.match(value, ':(%d+)$'))
end

-- Who holds the cluster's records now: per person, how many and its earliest seq.
local current, held, order = {}, {}, {}
for i, value in ipairs(redis.call('HMGET', assignments, unpack(keys))) do
    current[i] = false
    if value then
        local person = string.match(value, '^(.*):%d+$')
        local s = seq_of(value)
        current[i] = person
        local h = held[person]
        if not h then
            h = {person = person, count = 0, first = s}
            held[person] = h
            order[#order + 1] = h
        end
        h.count = h.count + 1
        if s < h.first then h.first = s end
    end
end

-- Settled: exactly these records hold the first one's id. Nothing to write.
if current[1] and held[current[1]].count == n
        and redis.call('SCARD', members_of .. current[1]) == n then
    return current[1]
end

-- Kept: of the ids the records hold, most held first, the one more of whose records are in
-- the cluster than out (a tie to the side holding its earliest assigned record).
table.sort(order, function(x, y)
    if x.count ~= y.count then return x.count > y.count end
    return x.first < y.first
end)
local chosen = nil
for _, h in ipairs(order) do
    local outside = {}
    for _, record in ipairs(redis.call('SMEMBERS', members_of .. h.person)) do
        if not cluster[record] then outside[#outside + 1] = record end
    end
    local outside_first = 0
    if #outside > 0 then
        outside_first = nil
        for _, value in ipairs(redis.call('HMGET', assignments, unpack(outside))) do
            local s = seq_of(value)
            if outside_first == nil or s < outside_first then outside_first = s end
        end
    end
    if h.count > #outside or (h.count == #outside and h.first < outside_first) then
        chosen = h.person
        break
    end
end

-- Else minted: the first id offered that no record or alias holds.
if not chosen then
    for i = n + 3, #ARGV do
        if redis.call('EXISTS', members_of .. ARGV[i]) == 0
                and redis.call('HEXISTS', aliases, ARGV[i]) == 0 then
            chosen = ARGV[i]
            break
        end
    end
    if not chosen then return false end
end

-- An id whose every record joins the chosen one becomes its alias.
local emptied = {}
for _, h in ipairs(order) do
    if h.person ~= chosen and redis.call('SCARD', members_of .. h.person) == h.count then
        emptied[#emptied + 1] = h.person
    end
end

-- The writes, after every read.
local top = redis.call('INCRBY', seq, n) - n
for i = 1, n do
    if current[i] ~= chosen then
        redis.call('HSET', assignments, keys[i], chosen .. ':' .. string.format('%d', top + i))
        if current[i] then redis.call('SREM', members_of .. current[i], keys[i]) end
        redis.call('SADD', members_of .. chosen, keys[i])
    end
end
for _, person in ipairs(emptied) do
    redis.call('HSET', aliases, person, chosen)
end
return chosen
"""

# KEYS: aliases. ARGV: the members' sets' name up to the person id, a person id.
# Returns the records of the id, or of what it is now an alias of.
_MEMBERS: Final = f"""
local person = ARGV[2]
for _ = 1, {_ALIAS_DEPTH} do
    local now = redis.call('HGET', KEYS[1], person)
    if not now then break end
    person = now
end
return redis.call('SMEMBERS', ARGV[1] .. person)
"""


class RedisLinkStore:
    """The fleet's store of decisions and person ids, in the Redis every replica shares."""

    def __init__(self, shared: SharedRedis) -> None:
        self.shared = shared
        self._assignments = shared.key("identity", "assignments")
        self._aliases = shared.key("identity", "aliases")
        self._seq = shared.key("identity", "seq")
        self._members_of = shared.key("identity", "members", "")
        self._assign = shared.client.register_script(_ASSIGN)
        self._members = shared.client.register_script(_MEMBERS)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.shared!r})"

    async def link(self, a: RecordKey, b: RecordKey) -> None:
        await self._decide(a, [b], Decision.LINK)

    async def unlink(self, a: RecordKey, b: RecordKey) -> None:
        await self._decide(a, [b], Decision.UNLINK)

    async def split(self, leaving: RecordKey, staying: Collection[RecordKey]) -> None:
        await self._decide(leaving, staying, Decision.UNLINK)

    async def decisions(self, keys: Collection[RecordKey]) -> Decisions:
        ordered = sorted(set(keys))

        async def read(client: Redis) -> list[dict[bytes, bytes]]:
            async with client.pipeline(transaction=True) as pipe:  # one snapshot of them all
                for key in ordered:
                    pipe.hgetall(self._decisions_of(key))
                found: list[dict[bytes, bytes]] = await pipe.execute()
                return found

        found: dict[frozenset[RecordKey], Decision] = {}
        if not ordered:
            return Decisions(found)
        for key, decided in zip(ordered, await self._call(read), strict=True):
            for other, value in decided.items():
                pair = frozenset((key, RecordKey.parse(other.decode())))
                found[pair] = Decision(value.decode().partition(":")[0])
        return Decisions(found)

    async def assign_person(self, members: Collection[RecordKey]) -> str:
        if not members:
            raise ValueError("a person has at least one record")
        keys = sorted({str(k) for k in members})
        for start in range(0, MINT_ATTEMPTS, _CANDIDATES):
            offered = [minted_person_id(keys[0], a) for a in range(start, start + _CANDIDATES)]

            async def assign(client: Redis, offered: list[str] = offered) -> bytes | None:
                chosen: bytes | None = await self._assign(
                    keys=[self._assignments, self._aliases, self._seq],
                    args=[self._members_of, len(keys), *keys, *offered],
                    client=client,
                )
                return chosen

            if (chosen := await self._call(assign)) is not None:
                return chosen.decode()
        raise RuntimeError("no free person id")

    async def person_of(self, key: RecordKey) -> str | None:
        async def read(client: Redis) -> object:
            return await client.hget(self._assignments, str(key))

        value = await self._call(read)
        return value.decode().rpartition(":")[0] if isinstance(value, bytes) else None

    async def members(self, person_id: str) -> frozenset[RecordKey]:
        async def read(client: Redis) -> list[bytes]:
            records: list[bytes] = await self._members(
                keys=[self._aliases], args=[self._members_of, person_id], client=client
            )
            return records

        return frozenset(RecordKey.parse(record.decode()) for record in await self._call(read))

    async def _decide(
        self, key: RecordKey, others: Collection[RecordKey], decision: Decision
    ) -> None:
        if key in others:
            raise ValueError("a decision is between two records")
        if not others:
            return
        value = f"{decision.value}:{time.time()!r}"

        async def write(client: Redis) -> None:
            async with client.pipeline(transaction=True) as pipe:  # both halves, or neither
                for other in sorted(set(others)):
                    pipe.hset(self._decisions_of(key), str(other), value)
                    pipe.hset(self._decisions_of(other), str(key), value)
                await pipe.execute()

        await self._call(write)

    def _decisions_of(self, key: RecordKey) -> str:
        return self.shared.key("identity", "decisions", digest(str(key)))

    async def _call(self, shared: Callable[[Redis], Awaitable[T]]) -> T:
        """`shared(client)`, or `LinkStoreUnavailable` when Redis does not answer (the fleet
        leaves it alone a few seconds after a failure: gateway/fleet/shared.py)."""

        async def unavailable() -> T:
            raise LinkStoreUnavailable("the identity store (Redis) did not answer")

        return await self.shared.call(FEATURE, shared, unavailable)
