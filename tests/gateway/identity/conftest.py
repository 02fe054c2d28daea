"""The link stores the identity tests run against: each semantic test once per store.

`new_store(fleet)` makes a store as a process of `fleet` sees it: the same name is the same
SQLite file, or the same Redis prefix (another replica of one fleet); a new name, or none,
is a store of its own.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from gateway.fleet.links import RedisLinkStore
from gateway.fleet.shared import SharedRedis, open_shared_redis
from gateway.identity import LinkStore, SQLiteLinkStore
from tests.redis_server import PASSWORD, RedisServer

NewStore = Callable[..., LinkStore]
STORES = ["sqlite", "redis"]


def connect(server: RedisServer, prefix: str) -> SharedRedis:
    """A client of its own: what one replica holds."""
    return open_shared_redis(server.url, password=PASSWORD, prefix=prefix, timeout=2.0)


@pytest.fixture(params=STORES)
async def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[NewStore]:
    unnamed = (f"own-{n}" for n in itertools.count())
    if request.param == "sqlite":

        def sqlite(fleet: str | None = None) -> LinkStore:
            return SQLiteLinkStore(tmp_path / f"{fleet or next(unnamed)}.sqlite")

        yield sqlite
        return
    server: RedisServer = request.getfixturevalue("redis_db")
    clients: list[SharedRedis] = []

    def redis(fleet: str | None = None) -> LinkStore:
        clients.append(connect(server, f"test-{fleet or next(unnamed)}"))
        return RedisLinkStore(clients[-1])

    yield redis
    for client in clients:
        await client.aclose()


@pytest.fixture
def store(new_store: NewStore) -> LinkStore:
    return new_store()
