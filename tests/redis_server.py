"""A real redis-server for the tests: Debian's, started on 127.0.0.1 and a free port.

.ci/run installs it (`apt-get install redis-server`). Without it the tests that need it fail
in CI, saying why, and are skipped elsewhere (a fresh machine runs README's test command too).
The server runs with a password, no persistence, and is stopped when its holder is done;
`stop()` and `start()` again (same port) let a test take Redis away mid-test.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Final

import pytest

REDIS_SERVER: Final = os.environ.get("REDIS_SERVER") or shutil.which("redis-server")
PASSWORD: Final = "test-only-redis-password"


def need_redis_server() -> str:
    """The redis-server binary, or skip (elsewhere) / fail (in CI) saying why."""
    if REDIS_SERVER:
        return REDIS_SERVER
    reason = "redis-server is not installed (.ci/run installs Debian's redis-server)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RedisServer:
    """One redis-server process on loopback, its data in `directory`."""

    def __init__(self, directory: Path, *, tls: tuple[Path, Path] | None = None) -> None:
        """`tls`: (certificate, key) files to serve TLS only (rediss://) with."""
        self.binary = need_redis_server()
        self.directory = directory
        self.port = free_port()
        self.tls = tls
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        scheme = "rediss" if self.tls else "redis"
        return f"{scheme}://127.0.0.1:{self.port}/0"

    def _listen(self) -> tuple[str, ...]:
        if self.tls is None:
            return ("--port", str(self.port))
        certificate, key = self.tls
        return (
            "--port", "0",
            "--tls-port", str(self.port),
            "--tls-cert-file", str(certificate),
            "--tls-key-file", str(key),
            "--tls-auth-clients", "no",
        )  # fmt: skip

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--bind", "127.0.0.1",
                *self._listen(),
                "--requirepass", PASSWORD,
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("redis-server exited at start") from None
                time.sleep(0.02)
        raise RuntimeError("redis-server did not listen within 10 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def flush(self) -> None:
        """Forget every key (between tests that share the server)."""
        import redis

        with redis.Redis(port=self.port, password=PASSWORD) as client:
            client.flushall()
