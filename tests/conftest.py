"""Real servers for the test session: each back end's sandbox on 127.0.0.1 and a free port.

Session-scoped servers keep the suite fast; the function-scoped fixtures reset the request
counters and the fault settings before each test, so a test sees only its own calls. Data
written by one test stays for the next ones: tests create the records they change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from adapters.model import Backend
from gateway.logs import quiet_http_clients
from sandboxes import BackgroundServer, SandboxApp, SandboxConfig, create_backend_sandbox
from tests.plans_corpus import record_documents
from tests.redis_server import RedisServer

# Small enough to start in well under a second, large enough to page through.
TEST_SANDBOX_CONFIG = SandboxConfig(customers=300, seed=42)


@dataclass
class RunningSandbox:
    """A sandbox served over loopback HTTP: its app (store, counters, faults) and URL."""

    app: SandboxApp
    url: str

    def reset(self) -> None:
        self.app.counter.reset()
        self.app.faults.reset()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def serve_sandbox(
    backend: Backend, config: SandboxConfig = TEST_SANDBOX_CONFIG
) -> Iterator[RunningSandbox]:
    """One back end's sandbox on 127.0.0.1 and a free port, for as long as the caller holds it."""
    app = create_backend_sandbox(backend, config)
    with BackgroundServer(app) as server:
        yield RunningSandbox(app, server.url)


@pytest.fixture(scope="session")
def clubmed_server() -> Iterator[RunningSandbox]:
    yield from serve_sandbox(Backend.CLUBMED)


@pytest.fixture(scope="session")
def carecloud_server() -> Iterator[RunningSandbox]:
    yield from serve_sandbox(Backend.CARECLOUD)


@pytest.fixture(scope="session")
def relay_server() -> Iterator[RunningSandbox]:
    yield from serve_sandbox(Backend.RELAY)


@pytest.fixture
def clubmed_sandbox(clubmed_server: RunningSandbox) -> Iterator[RunningSandbox]:
    clubmed_server.reset()
    yield clubmed_server
    clubmed_server.reset()


@pytest.fixture
def carecloud_sandbox(carecloud_server: RunningSandbox) -> Iterator[RunningSandbox]:
    carecloud_server.reset()
    yield carecloud_server
    carecloud_server.reset()


@pytest.fixture
def relay_sandbox(relay_server: RunningSandbox) -> Iterator[RunningSandbox]:
    relay_server.reset()
    yield relay_server
    relay_server.reset()


class _Capture(logging.Handler):
    """Keeps every log line the session writes, from every logger and thread."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record) + repr(vars(record)))
        except Exception:  # a broken record must not break the suite
            self.lines.append(repr(vars(record)))


CAPTURED_LOGS = _Capture()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The comparison of every recorded query's two executions runs last of all."""
    last = [item for item in items if "test_zy_plans_corpus" in item.nodeid]
    items[:] = [item for item in items if item not in last] + last


@pytest.fixture(scope="session", autouse=True)
def record_query_documents() -> Iterator[None]:
    """Every query document the session executes (tests/plans_corpus.py)."""
    undo = record_documents()
    yield
    undo()


@pytest.fixture(scope="session", autouse=True)
def capture_all_logs() -> Iterator[_Capture]:
    """Log capture for the whole session: tests/gateway/test_zz_logs.py searches it."""
    root = logging.getLogger()
    previous = root.level
    root.addHandler(CAPTURED_LOGS)
    root.setLevel(logging.DEBUG)
    # The adapters run only inside the gateway, which keeps httpx's request lines (a Club Med
    # search URL holds the filter) out of the logs from its start: the adapter tests too.
    quiet_http_clients()
    yield CAPTURED_LOGS
    root.removeHandler(CAPTURED_LOGS)
    root.setLevel(previous)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server for the session (tests/redis_server.py); `redis_db` flushes it."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_db(redis_server: RedisServer) -> Iterator[RedisServer]:
    """The session's redis-server, empty, running (a test may stop it: it is started again)."""
    if redis_server.process is None:
        redis_server.start()
    redis_server.flush()
    yield redis_server
    if redis_server.process is None:
        redis_server.start()
