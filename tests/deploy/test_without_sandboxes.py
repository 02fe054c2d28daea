"""The production image holds no `sandboxes` package (deploy/Dockerfile removes it unless
built with WITH_SANDBOXES=1): `serve` starts all the same when every back end has a base URL,
and without one ends in one line saying the sandboxes are not installed, not a traceback.

The CLI runs in a child interpreter that lacks the package as the image does: a finder first
on `sys.meta_path` answers any import of `sandboxes` with the ModuleNotFoundError a removed
package gives (`name="sandboxes"`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.gateway.test_cli import _free_port

ROOT = Path(__file__).resolve().parents[2]
HEALTHCHECK = ROOT / "deploy" / "healthcheck.py"
WITHOUT_SANDBOXES = """
import importlib.abc
import sys


class Removed(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname.partition(".")[0] == "sandboxes":
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


sys.meta_path.insert(0, Removed())
from gateway.cli import main

raise SystemExit(main(sys.argv[1:]))
"""
NOT_INSTALLED = (
    "customer-gateway: the embedded sandboxes are not installed (an image built without "
    "WITH_SANDBOXES=1 has none): "
)


def _environment(settings: dict[str, str]) -> dict[str, str]:
    """The test process's environment without any setting of the gateway's, plus `settings`."""
    kept = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GATEWAY_", "CLUBMED_", "CARECLOUD_", "RELAY_", "CUSTOMER_GATEWAY"))
    }
    return {**kept, **settings}


def _command(*args: str) -> list[str]:
    return [sys.executable, "-c", WITHOUT_SANDBOXES, *args]


def _run(*args: str, settings: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(*args),
        cwd=ROOT,
        env=_environment(settings),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _healthcheck(*args: str, settings: dict[str, str]) -> int:
    """The exit status of the image's HEALTHCHECK command."""
    command = [sys.executable, str(HEALTHCHECK), *args]
    return subprocess.run(command, env=_environment(settings), timeout=30).returncode


def test_the_child_lacks_the_package_as_the_image_does() -> None:
    probe = "import sandboxes"
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_SANDBOXES.replace("from gateway.cli", f"{probe}\n#")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "ModuleNotFoundError: No module named 'sandboxes'" in result.stderr


def test_serve_without_a_base_url_says_the_sandboxes_are_not_installed() -> None:
    carecloud_only = {
        "GATEWAY_MODE": "development",
        "CARECLOUD_BASE_URL": "https://carecloud.example.com/v1.0",
        "CARECLOUD_APPLICATION_ID": "application",
        "CARECLOUD_LOGIN": "login",
        "CARECLOUD_PASSWORD": "password",
    }
    result = _run("serve", "--port", str(_free_port()), settings=carecloud_only)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"{NOT_INSTALLED}set CLUBMED_BASE_URL, RELAY_BASE_URL and those back ends' credentials\n"
    )
    assert "Bearer" not in result.stdout


def test_the_sandbox_command_says_they_are_not_installed() -> None:
    result = _run("sandbox", "--port", str(_free_port()), settings={})
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"{NOT_INSTALLED}build the image with WITH_SANDBOXES=1 to serve them\n"


@pytest.fixture(scope="module")
def back_ends() -> Iterator[dict[str, str]]:
    """Every back end's URL and credentials: the sandboxes, served by this test process."""
    from gateway.cli import sandbox_variables
    from gateway.config import Settings
    from sandboxes.common.app import create_sandbox_app
    from sandboxes.common.config import SandboxConfig
    from sandboxes.common.server import BackgroundServer

    with BackgroundServer(create_sandbox_app(SandboxConfig(customers=20))) as sandbox:
        yield sandbox_variables(sandbox.url, Settings())


def test_serve_with_every_base_url_starts_without_the_sandboxes(
    back_ends: dict[str, str], tmp_path: Path
) -> None:
    """In production mode, as the image runs it; the image's HEALTHCHECK passes on it."""
    port = _free_port()
    settings = {
        **back_ends,
        "GATEWAY_MODE": "production",
        "GATEWAY_JWT_SECRET": "s" * 40,
        "GATEWAY_PORT": str(port),
    }
    output = tmp_path / "output.txt"
    with output.open("w") as sink:
        process = subprocess.Popen(
            _command("serve"),
            cwd=ROOT,
            env=_environment(settings),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        assert process.poll() is None, output.read_text()
        ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=30)
        assert ready.json()["status"] == "ready", ready.text
        assert _healthcheck(settings=settings) == 0
        assert _healthcheck(f"http://127.0.0.1:{port}/readyz", settings={}) == 0
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert "Traceback" not in output.read_text()
    assert _healthcheck(settings=settings) == 1  # nothing listens any more
