"""`customer-gateway serve` in a process of its own, on the test sandboxes: what the tests of
several workers and of a fleet of replicas start (tests/fleet/, test_concurrent_updates)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from adapters.model import Backend
from adapters.registry import BACKENDS
from gateway.auth import ALL_SCOPES, mint_token
from gateway.cli import sandbox_credentials
from gateway.config import backend_variable
from tests.conftest import RunningSandbox
from tests.redis_server import PASSWORD, RedisServer

ROOT = Path(__file__).resolve().parents[1]
# Callers' tokens in tests are signed with this (tests/gateway/conftest.py `token`).
TEST_JWT_SECRET = "test-secret-of-the-gateway-suite-0123456789"


def token(*scopes: str) -> str:
    """A caller's token signed with the suite's key, with these scopes (all by default)."""
    return mint_token(TEST_JWT_SECRET, scopes=scopes or ALL_SCOPES, subject="tests")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def sandbox_environment(sandboxes: Mapping[Backend, RunningSandbox]) -> dict[str, str]:
    """The variables of a gateway on these sandboxes, with the test callers' key."""
    return {
        **{backend_variable(spec, "base_url"): sandboxes[spec.backend].url for spec in BACKENDS},
        **{
            backend_variable(spec, name): value
            for spec in BACKENDS
            for name, value in sandbox_credentials()[spec.backend].items()
        },
        "GATEWAY_JWT_SECRET": TEST_JWT_SECRET,
        "GATEWAY_LOG_LEVEL": "warning",
    }


@contextmanager
def serve_gateway(
    sandboxes: Mapping[Backend, RunningSandbox],
    settings: Mapping[str, str],
    *,
    workers: int = 1,
    log: Path | None = None,
) -> Iterator[str]:
    """A `serve` process with the sandboxes' settings and `settings` (none of the test
    process's own GATEWAY_/back-end variables); yields its URL once /healthz answers."""
    port = free_port()
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GATEWAY_", "CLUBMED_", "CARECLOUD_", "RELAY_"))
    }
    environment.update(sandbox_environment(sandboxes))
    environment.update(settings)
    command = [sys.executable, "-m", "gateway.cli", "serve", "--port", str(port)]
    output = log.open("wb") if log is not None else subprocess.DEVNULL
    process = subprocess.Popen(
        [*command, "--workers", str(workers)],
        cwd=ROOT,
        env=environment,
        stdout=output,
        stderr=subprocess.STDOUT if log is not None else subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "serve exited at start"
            assert time.monotonic() < deadline, "serve did not answer /healthz within 60 s"
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        if log is not None and not isinstance(output, int):
            output.close()


def redis_settings(redis: RedisServer) -> dict[str, str]:
    """The settings of a gateway whose fleet shares this test redis-server."""
    return {"GATEWAY_REDIS_URL": redis.url, "GATEWAY_REDIS_PASSWORD": PASSWORD}


@contextmanager
def two_replicas(
    sandboxes: Mapping[Backend, RunningSandbox],
    settings: Mapping[str, str],
    *,
    hosts: Path | None = None,
    logs: tuple[Path, Path] | None = None,
    workers: int = 1,
) -> Iterator[tuple[str, str]]:
    """Two `serve` processes with the same settings: two replicas of one fleet. With `hosts`,
    each has its own lock directory below it, as on two hosts (only Redis joins them)."""
    with ExitStack() as stack:
        urls = []
        for n, name in enumerate(("a", "b")):
            own = dict(settings)
            if hosts is not None:
                own["GATEWAY_WRITE_LOCK_DIR"] = str(hosts / name)
            log = logs[n] if logs is not None else None
            urls.append(
                stack.enter_context(serve_gateway(sandboxes, own, workers=workers, log=log))
            )
        yield urls[0], urls[1]


def caller_client(url: str) -> httpx.Client:
    """A client of the gateway at `url`, as a caller with every scope."""
    return httpx.Client(base_url=url, timeout=30, headers={"authorization": f"Bearer {token()}"})
