"""Stewards' decisions and person ids, kept where every gateway process sees them.

A decision (link or unlink) is about two records, by back end and native id; the latest
one on a pair stands, and it overrides the matcher both ways. Person ids are assigned to
records here too. Only ids are stored: no name, e-mail or other personal value.

Person ids stay put as records join and leave. A new cluster mints its id from its
smallest record key (so two processes resolving the same new cluster mint the same id),
and the id is persisted on each member. From then on, a cluster keeps the id most of its
members hold; of two clusters claiming one id (a record split off, or a stale record), the
one with more of the id's records keeps it, a tie going to the side holding its earliest
assigned record, and the other mints anew. When a link joins two persons, the kept id is
the one more members hold, and the other id becomes an alias of it, so it still resolves.

Two stores keep exactly these rules: `SQLiteLinkStore` here (one file per host), and
`gateway.fleet.links.RedisLinkStore` (the fleet's Redis, GATEWAY_IDENTITY_STORE=redis).
"""

from __future__ import annotations

import asyncio
import base64
import enum
import hashlib
import os
import sqlite3
import time
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from typing import Final, Protocol

from gateway.identity.records import RecordKey

__all__ = [
    "MINT_ATTEMPTS",
    "Decision",
    "Decisions",
    "LinkStore",
    "LinkStoreUnavailable",
    "SQLiteLinkStore",
    "minted_person_id",
]


class Decision(enum.StrEnum):
    LINK = "link"
    UNLINK = "unlink"


@dataclass(frozen=True, slots=True)
class Decisions:
    """Stewards' decisions on the pairs that touch some records."""

    pairs: Mapping[frozenset[RecordKey], Decision] = field(default_factory=dict)

    def between(self, a: RecordKey, b: RecordKey) -> Decision | None:
        return self.pairs.get(frozenset((a, b)))

    def linked_to(self, key: RecordKey) -> frozenset[RecordKey]:
        """The records a steward linked to `key` (how a Relay record is reached: no search)."""
        return frozenset(
            other
            for pair, decision in self.pairs.items()
            if decision is Decision.LINK and key in pair
            for other in pair - {key}
        )


class LinkStoreUnavailable(Exception):
    """The store did not answer (a shared store's server is down): nothing was written."""


class LinkStore(Protocol):
    """Where decisions and person ids live: SQLite by default, a shared store for a fleet.

    A store that cannot answer raises `LinkStoreUnavailable`, having written nothing.
    """

    async def link(self, a: RecordKey, b: RecordKey) -> None:
        """A steward confirms `a` and `b` are one person."""

    async def unlink(self, a: RecordKey, b: RecordKey) -> None:
        """A steward splits `a` from `b`."""

    async def split(self, leaving: RecordKey, staying: Collection[RecordKey]) -> None:
        """A steward splits `leaving` from each of `staying`: every unlink or none."""

    async def decisions(self, keys: Collection[RecordKey]) -> Decisions:
        """Every standing decision on a pair with at least one of `keys` in it."""

    async def assign_person(self, members: Collection[RecordKey]) -> str:
        """The person id of the cluster `members`, kept or minted, and persisted."""

    async def person_of(self, key: RecordKey) -> str | None:
        """The id last assigned to the person holding `key`, if any."""

    async def members(self, person_id: str) -> frozenset[RecordKey]:
        """The records last assigned to `person_id` (or to what it is now an alias of)."""


_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS decision (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('link', 'unlink')),
    decided_at REAL NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS decision_by_b ON decision (b);
CREATE TABLE IF NOT EXISTS assignment (
    record TEXT PRIMARY KEY,
    person TEXT NOT NULL,
    seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS assignment_by_person ON assignment (person);
CREATE TABLE IF NOT EXISTS alias (person TEXT PRIMARY KEY, now TEXT NOT NULL) WITHOUT ROWID;
"""
# SQLite's default cap on bound parameters is 999 before 3.32: stay under it.
_CHUNK: Final = 400
# Ids a cluster tries before giving up: 1000 sha256 collisions are not in this universe.
MINT_ATTEMPTS: Final = 1000


class SQLiteLinkStore:
    """The embedded store: one SQLite file, safe for several processes (WAL, busy timeout).

    Each call opens its own connection in a worker thread, so the event loop never waits
    on the disk; writes take the lock up front (BEGIN IMMEDIATE) and wait `busy_timeout`.
    """

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout: float = 10.0) -> None:
        self._path = os.fspath(path)
        self._busy_timeout = busy_timeout
        with self._connection() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    async def link(self, a: RecordKey, b: RecordKey) -> None:
        await asyncio.to_thread(self._decide, a, b, Decision.LINK)

    async def unlink(self, a: RecordKey, b: RecordKey) -> None:
        await asyncio.to_thread(self._decide, a, b, Decision.UNLINK)

    async def split(self, leaving: RecordKey, staying: Collection[RecordKey]) -> None:
        await asyncio.to_thread(self._split, leaving, staying)

    async def decisions(self, keys: Collection[RecordKey]) -> Decisions:
        return await asyncio.to_thread(self._decisions, keys)

    async def assign_person(self, members: Collection[RecordKey]) -> str:
        if not members:
            raise ValueError("a person has at least one record")
        return await asyncio.to_thread(self._assign, members)

    async def person_of(self, key: RecordKey) -> str | None:
        return await asyncio.to_thread(self._person_of, key)

    async def members(self, person_id: str) -> frozenset[RecordKey]:
        return await asyncio.to_thread(self._members, person_id)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self._path, timeout=self._busy_timeout, isolation_level=None)
        with closing(db):
            db.execute(f"PRAGMA busy_timeout={int(self._busy_timeout * 1000)}")
            yield db

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _decide(self, a: RecordKey, b: RecordKey, decision: Decision) -> None:
        _check_pair(a, b)
        with self._writing() as db:
            _store_decision(db, a, b, decision, time.time())

    def _split(self, leaving: RecordKey, staying: Collection[RecordKey]) -> None:
        for key in staying:
            _check_pair(leaving, key)
        now = time.time()
        with self._writing() as db:
            for key in sorted(set(staying)):
                _store_decision(db, leaving, key, Decision.UNLINK, now)

    def _decisions(self, keys: Collection[RecordKey]) -> Decisions:
        found: dict[frozenset[RecordKey], Decision] = {}
        with self._connection() as db:
            for chunk in _chunks(sorted(str(k) for k in keys)):
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT a, b, decision FROM decision WHERE a IN ({marks})"
                    f" UNION SELECT a, b, decision FROM decision WHERE b IN ({marks})",
                    (*chunk, *chunk),
                )
                for a, b, decision in rows:
                    pair = frozenset((RecordKey.parse(a), RecordKey.parse(b)))
                    found[pair] = Decision(decision)
        return Decisions(found)

    def _assign(self, members: Collection[RecordKey]) -> str:
        keys = sorted({str(k) for k in members})
        if settled := self._settled(keys):
            return settled  # the common case, read only: no write lock taken
        with self._writing() as db:
            held: dict[str, list[int]] = {}
            for chunk in _chunks(keys):
                marks = ",".join("?" * len(chunk))
                query = f"SELECT person, seq FROM assignment WHERE record IN ({marks})"
                for person, seq in db.execute(query, chunk):
                    held.setdefault(person, []).append(seq)
            chosen = _kept(db, held, set(keys)) or _mint(db, keys[0])
            (top,) = db.execute("SELECT coalesce(max(seq), 0) FROM assignment").fetchone()
            for offset, key in enumerate(keys, start=1):
                db.execute(
                    "INSERT INTO assignment (record, person, seq) VALUES (?, ?, ?)"
                    " ON CONFLICT (record) DO UPDATE SET person = excluded.person,"
                    " seq = excluded.seq WHERE assignment.person != excluded.person",
                    (key, chosen, top + offset),
                )
            for person in set(held) - {chosen}:
                left = db.execute("SELECT 1 FROM assignment WHERE person = ?", (person,))
                if left.fetchone() is None:  # every record of it joined `chosen`
                    db.execute(
                        "INSERT OR REPLACE INTO alias (person, now) VALUES (?, ?)",
                        (person, chosen),
                    )
        return chosen

    def _settled(self, keys: list[str]) -> str | None:
        """The id when exactly these records hold it already, else None."""
        with self._connection() as db:
            row = db.execute("SELECT person FROM assignment WHERE record = ?", (keys[0],))
            if (found := row.fetchone()) is None:
                return None
            person = str(found[0])
            rows = db.execute("SELECT record FROM assignment WHERE person = ?", (person,))
            return person if sorted(str(r) for (r,) in rows) == keys else None

    def _person_of(self, key: RecordKey) -> str | None:
        with self._connection() as db:
            row = db.execute("SELECT person FROM assignment WHERE record = ?", (str(key),))
            found = row.fetchone()
        return None if found is None else str(found[0])

    def _members(self, person_id: str) -> frozenset[RecordKey]:
        with self._connection() as db:
            for _ in range(32):  # an alias of an alias, a few deep at most
                row = db.execute("SELECT now FROM alias WHERE person = ?", (person_id,))
                if (found := row.fetchone()) is None:
                    break
                person_id = str(found[0])
            rows = db.execute("SELECT record FROM assignment WHERE person = ?", (person_id,))
            return frozenset(RecordKey.parse(str(record)) for (record,) in rows)


def _check_pair(a: RecordKey, b: RecordKey) -> None:
    if a == b:
        raise ValueError("a decision is between two records")


def _store_decision(
    db: sqlite3.Connection, a: RecordKey, b: RecordKey, decision: Decision, at: float
) -> None:
    first, second = sorted((str(a), str(b)))
    db.execute(
        "INSERT INTO decision (a, b, decision, decided_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (a, b) DO UPDATE SET"
        " decision = excluded.decision, decided_at = excluded.decided_at",
        (first, second, decision.value, at),
    )


def _kept(db: sqlite3.Connection, held: Mapping[str, list[int]], cluster: set[str]) -> str | None:
    """The id among those the cluster's records hold that the cluster keeps, if any."""
    for person in sorted(held, key=lambda p: (-len(held[p]), min(held[p]))):
        outside = [
            seq
            for record, seq in db.execute(
                "SELECT record, seq FROM assignment WHERE person = ?", (person,)
            )
            if record not in cluster
        ]
        ours = held[person]
        if len(ours) > len(outside) or (
            len(ours) == len(outside) and min(ours) < min(outside, default=0)
        ):
            return person
    return None


def _mint(db: sqlite3.Connection, anchor: str) -> str:
    """A new id from the cluster's smallest key, unused by any record or alias."""
    for attempt in range(MINT_ATTEMPTS):
        candidate = minted_person_id(anchor, attempt)
        taken = db.execute(
            "SELECT 1 FROM assignment WHERE person = ? UNION SELECT 1 FROM alias WHERE person = ?",
            (candidate, candidate),
        ).fetchone()
        if taken is None:
            return candidate
    raise RuntimeError("no free person id")


def minted_person_id(anchor: str, attempt: int = 0) -> str:
    """The `attempt`th id a cluster whose smallest record key is `anchor` may mint.

    Every store mints the first of these that no record or alias holds: a cluster new to
    every process gets the same id wherever it is first resolved.
    """
    digest = hashlib.sha256(f"{anchor}#{attempt}".encode()).digest()
    return "p" + base64.b32encode(digest[:10]).decode().lower()


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
