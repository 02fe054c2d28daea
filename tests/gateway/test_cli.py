"""README's first quick-start command: `customer-gateway serve` with no configuration starts
the embedded sandboxes, prints a development token and GraphiQL's address, and answers."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_serve(port: int, settings: dict[str, str], output: Path) -> subprocess.Popen[bytes]:
    """`customer-gateway serve` with these settings only (the test process's own left out),
    writing stdout and stderr to `output`."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GATEWAY_", "CLUBMED_", "CARECLOUD_", "RELAY_"))
    }
    with output.open("w") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "gateway.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env={**environment, **settings},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, printed development token) of a `serve` process with no back-end URL."""
    port = _free_port()
    output = tmp_path_factory.mktemp("serve") / "output.txt"
    process = _start_serve(port, {"GATEWAY_SANDBOX_CUSTOMERS": "200"}, output)
    try:
        deadline = time.monotonic() + 60
        url = token = None
        while time.monotonic() < deadline and process.poll() is None:
            text = output.read_text()
            found_token = re.search(r"Bearer (\S+)", text)
            found_address = re.search(r"GraphiQL: (http://\S+)/graphql", text)
            if found_token and found_address:
                url, token = found_address.group(1), found_token.group(1)
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
            time.sleep(0.1)
        assert url and token, output.read_text()
        yield url, token
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_serve_on_the_embedded_sandboxes_answers_with_data(served: tuple[str, str]) -> None:
    url, token = served
    headers = {"authorization": f"Bearer {token}"}
    body = httpx.post(
        f"{url}/graphql",
        json={
            "query": '{ customers(filter: {lastName: "Smith"}, first: 5) { edges { node { backend } } }'
            ' relay: customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") { lastName } }'
        },
        headers=headers,
        timeout=30,
    ).json()
    assert "errors" not in body, body
    assert {e["node"]["backend"] for e in body["data"]["customers"]["edges"]} == {
        "CLUBMED",
        "CARECLOUD",
    }
    assert body["data"]["relay"]["lastName"] == "Moore"
    assert httpx.get(f"{url}/readyz", timeout=10).json()["status"] == "ready"


def test_graphiql_is_given_the_printed_token(served: tuple[str, str]) -> None:
    url, token = served
    page = httpx.get(f"{url}/graphql", headers={"accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    assert httpx.get(f"{url}/graphiql/token", timeout=10).json() == {"token": token}


def _run_cli(
    *args: str, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gateway.cli", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_version() -> None:
    result = _run_cli("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"customer-gateway \d+\.\d+\.\d+\n", result.stdout)


def test_sandbox_help_shows_the_defaults() -> None:
    help_text = _run_cli("sandbox", "--help").stdout
    for default in ("127.0.0.1", "8100", "1000", "42", "clubmed,carecloud,relay"):
        assert f"(default: {default})" in help_text


def _answering(url: str, process: subprocess.Popen[str]) -> None:
    """Returns once `url` answers; fails when the process ends first or 30 s go by."""
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"{url} did not answer")


def test_sandbox_serves_only_the_back_ends_named() -> None:
    """`sandbox --backends relay`: Relay under /relay with the data it has beside the other
    two (same customers and seed), Club Med and CareCloud not served."""
    port = _free_port()
    command = ["sandbox", "--port", str(port), "--customers", "20", "--backends", "relay"]
    with subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", *command],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        try:
            _check_only_relay(f"http://127.0.0.1:{port}", process)
        finally:
            process.terminate()  # the `with` then waits for it and closes its stdout


def _check_only_relay(url: str, process: subprocess.Popen[str]) -> None:
    from adapters.model import Backend
    from sandboxes import BackgroundServer, SandboxConfig, create_sandbox_app, credentials

    assert process.stdout is not None
    assert process.stdout.readline() == f"Sandboxes on {url}: /relay\n"
    _answering(f"{url}/", process)
    all_three = create_sandbox_app(SandboxConfig(customers=20))
    ccid = all_three.state.sandboxes[Backend.RELAY].state.store.generated_ccid(0)
    route = f"/relay/cdm/client/{credentials.RELAY_CLIENT_ID}/customer/{ccid}"
    key = {"xx-relay-api-key": credentials.RELAY_API_KEY}
    with BackgroundServer(all_three) as beside:
        expected = httpx.get(beside.url + route, headers=key)
    assert expected.status_code == 200
    assert httpx.get(url + route, headers=key).json() == expected.json()
    assert list(httpx.get(f"{url}/").json()) == ["relay"]
    for other in ("clubmed", "carecloud"):
        assert httpx.get(f"{url}/{other}/openapi.json").status_code == 404


def test_sandbox_refuses_an_unknown_back_end_in_one_line() -> None:
    result = _run_cli("sandbox", "--backends", "clubmed,mars")
    assert result.returncode == 2
    assert result.stderr == (
        "customer-gateway: --backends: unknown back end mars (known: clubmed, carecloud, relay)\n"
    )
    assert result.stdout == ""


def test_a_port_in_use_is_one_line_before_any_token() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
        result = _run_cli("serve", "--port", str(port), environment=environment)
    assert result.returncode == 2
    assert (
        result.stderr
        == f"customer-gateway: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    )
    assert "Bearer" not in result.stdout and "Sandboxes" not in result.stdout


def test_production_prints_no_graphiql_address() -> None:
    from gateway.cli import address_line
    from gateway.config import Settings

    assert address_line(Settings(mode="development")) == "GraphiQL: http://127.0.0.1:8000/graphql"
    line = address_line(Settings(mode="production", port=9000))
    assert "GraphiQL:" not in line and line.endswith("http://127.0.0.1:9000/graphql")


def _lines_of_serve(tmp_path: Path, settings: dict[str, str], *, own_back_ends: bool) -> list[str]:
    """Every line a `serve` writes from start to stop (one GraphQL request served), on the
    embedded sandboxes or, with `own_back_ends`, on sandboxes given as its back ends."""
    from gateway.cli import sandbox_variables
    from gateway.config import Settings
    from sandboxes.common.app import create_sandbox_app
    from sandboxes.common.config import SandboxConfig
    from sandboxes.common.server import BackgroundServer

    sandbox = BackgroundServer(create_sandbox_app(SandboxConfig(customers=20))).start()
    port = _free_port()
    environment = {"GATEWAY_SANDBOX_CUSTOMERS": "20", **settings}
    if own_back_ends:
        environment.update(sandbox_variables(sandbox.url, Settings()))
    output = tmp_path / "output.txt"
    try:
        process = _start_serve(port, environment, output)
        try:
            for _ in range(300):  # bounded: 30 s
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"})
        finally:
            process.terminate()
            process.wait(timeout=20)
    finally:
        sandbox.stop()
    lines = output.read_text().splitlines()
    assert any("request" in line for line in lines), lines  # the access log's line came
    return lines


def test_production_writes_nothing_but_json_lines(tmp_path: Path) -> None:
    """Production mode: the CLI's own line, uvicorn's and the access log's are all JSON."""
    production = {"GATEWAY_MODE": "production", "GATEWAY_JWT_SECRET": "s" * 40}
    for line in _lines_of_serve(tmp_path, production, own_back_ends=True):
        assert isinstance(json.loads(line), dict), line


def test_development_writes_one_format_text_or_json(tmp_path: Path) -> None:
    """Development: readable text by default, every line; GATEWAY_LOG_FORMAT=json, every
    line JSON, the token and sandbox lines included."""
    text = _lines_of_serve(tmp_path, {}, own_back_ends=False)
    assert not [line for line in text if line.startswith("{")], text
    assert any("Bearer" in line for line in text)
    lines = _lines_of_serve(tmp_path, {"GATEWAY_LOG_FORMAT": "json"}, own_back_ends=False)
    for line in lines:
        assert isinstance(json.loads(line), dict), line
    assert any("Bearer" in json.loads(line)["message"] for line in lines)
