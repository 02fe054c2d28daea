"""deploy/Dockerfile, read (CI has no Docker): a builder stage makes the wheel, the runtime
stage installs it on python:3.11 slim, runs production as a non-root user, checks /healthz,
and drops the sandboxes unless WITH_SANDBOXES=1; .dockerignore keeps what it copies."""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import re
from types import ModuleType

import pytest

from tests.deploy.variables import DEPLOY, KNOWN, ROOT

DOCKERFILE = DEPLOY / "Dockerfile"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of each line, continuations joined, comments left out."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in _instructions():
        if instruction[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def _runtime() -> list[tuple[str, str]]:
    return _stages()[-1]


def _all(stage: list[tuple[str, str]], word: str) -> list[str]:
    return [rest for instruction, rest in stage if instruction == word]


def _environment(stage: list[tuple[str, str]]) -> dict[str, str]:
    pairs = " ".join(_all(stage, "ENV"))
    return dict(re.findall(r"(\w+)=(\S+)", pairs))


def test_a_builder_stage_makes_the_wheel_the_runtime_installs() -> None:
    builder, runtime = _stages()
    assert re.search(r"\bAS builder$", builder[0][1])
    assert any("pip wheel" in run for run in _all(builder, "RUN"))
    installs = [run for run in _all(runtime, "RUN") if "pip install" in run]
    assert len(installs) == 1
    assert "from=builder" in installs[0] and "--no-index" in installs[0]
    (base,) = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE.read_text(), re.MULTILINE)
    assert re.fullmatch(r"python:3\.11-slim(-\w+)?", base)


def test_the_runtime_runs_production_as_a_non_root_user() -> None:
    runtime = _runtime()
    (user,) = _all(runtime, "USER")
    assert user.split(":")[0] not in ("root", "0")
    environment = _environment(runtime)
    assert environment["GATEWAY_MODE"] == "production"
    assert environment["GATEWAY_HOST"] == "0.0.0.0"
    assert {name for name in environment if name.startswith("GATEWAY_")} <= KNOWN
    assert _all(runtime, "EXPOSE") == [environment["GATEWAY_PORT"]]
    assert json.loads(_all(runtime, "ENTRYPOINT")[0]) == ["customer-gateway"]
    assert json.loads(_all(runtime, "CMD")[0]) == ["serve"]


def test_the_healthcheck_asks_healthz_with_the_script_copied_in() -> None:
    runtime = _runtime()
    (healthcheck,) = _all(runtime, "HEALTHCHECK")
    command = json.loads(healthcheck.split(" CMD ", 1)[1])
    assert command[0] == "python"
    (copy,) = [c for c in _all(runtime, "COPY") if c.startswith("deploy/healthcheck.py ")]
    assert copy.split() == ["deploy/healthcheck.py", command[1]]
    assert len(command) == 2, "the script's own URL: the gateway's /healthz"


def _healthcheck() -> ModuleType:
    spec = importlib.util.spec_from_file_location("healthcheck", DEPLOY / "healthcheck.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "environment, url",
    [
        ({}, "http://127.0.0.1:8000/healthz"),
        ({"GATEWAY_HOST": "0.0.0.0", "GATEWAY_PORT": "9000"}, "http://127.0.0.1:9000/healthz"),
        ({"GATEWAY_HOST": "::"}, "http://127.0.0.1:8000/healthz"),
        ({"GATEWAY_HOST": "::1"}, "http://[::1]:8000/healthz"),
        ({"GATEWAY_HOST": "10.0.0.7"}, "http://10.0.0.7:8000/healthz"),
    ],
)
def test_the_healthcheck_asks_where_serve_listens(environment: dict[str, str], url: str) -> None:
    assert _healthcheck().gateway_url(environment) == url


def test_the_sandboxes_are_removed_unless_asked() -> None:
    runtime = _runtime()
    assert "WITH_SANDBOXES=0" in _all(runtime, "ARG")
    (install,) = [run for run in _all(runtime, "RUN") if "pip install" in run]
    assert re.search(
        r'if \[ "\$WITH_SANDBOXES" != "1" \]; then .*rm -rf "\$site/sandboxes"', install
    )
    # and the build fails if they could still be imported
    assert "! python -c 'import sandboxes'" in install


def test_dockerignore_keeps_what_the_build_copies_and_leaves_out_the_rest() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    sources = [
        source.rstrip("/")
        for stage in _stages()
        for copy in _all(stage, "COPY")
        if not copy.startswith("--")
        for source in copy.split()[:-1]
    ]
    assert {"pyproject.toml", "README.md", "gateway", "deploy/healthcheck.py"} <= set(sources)
    for source in sources:
        assert (ROOT / source).exists(), source
        parts = source.split("/")
        leading = ["/".join(parts[: n + 1]) for n in range(len(parts))]  # a folder leaves all
        assert not [p for p in patterns for path in leading if fnmatch.fnmatch(path, p)], source
    for left_out in (".git", ".venv", "deploy/secrets", ".pytest_cache", "bench", "tests"):
        assert left_out in patterns
