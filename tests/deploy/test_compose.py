"""deploy/compose.yaml, the local fleet: its replicas set only variables the gateway reads,
share Redis, take their secrets from the files deploy/make-secrets.sh writes, and their
settings are accepted in production mode with credentials the sandboxes accept; the
sandboxes, the sidecars and the load balancer are where the replicas' settings say."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from adapters.registry import BACKENDS
from gateway.config import load_settings
from sandboxes.common.credentials import BY_BACKEND
from tests.deploy.variables import DEPLOY, KNOWN, ROOT, SECRETS, load_yaml

COMPOSE = DEPLOY / "compose.yaml"
MAKE_SECRETS = DEPLOY / "make-secrets.sh"
DOCKERFILE = "deploy/Dockerfile"
REDIS_URL = "redis://redis:6379/0"
REDIS_PASSWORD_FILE = "/run/secrets/redis_password"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = load_yaml(COMPOSE)
    return document


def _built(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The services that run the project's image (deploy/Dockerfile), by name."""
    return {
        name: service
        for name, service in compose["services"].items()
        if service.get("build", {}).get("dockerfile") == DOCKERFILE
    }


def _replicas(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The gateway replicas: the image's own command, `serve`."""
    return {
        name: service
        for name, service in _built(compose).items()
        if service.get("command", ["serve"])[0] == "serve"
    }


def _sandboxes(compose: dict[str, Any]) -> dict[str, Any]:
    (service,) = [s for s in _built(compose).values() if s.get("command", [""])[0] == "sandbox"]
    return service


def _options(command: list[str]) -> dict[str, str]:
    """`--name value` pairs of a command line."""
    return dict(zip(command[1::2], command[2::2], strict=True))


@pytest.fixture(scope="module")
def secret_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What deploy/make-secrets.sh writes, in a directory of the test's."""
    directory = tmp_path_factory.mktemp("secrets") / "secrets"
    subprocess.run(["bash", str(MAKE_SECRETS), str(directory)], check=True, capture_output=True)
    return directory


def test_two_replicas_and_the_sandboxes_run_the_image(compose: dict[str, Any]) -> None:
    replicas = _replicas(compose)
    assert len(replicas) == 2
    for service in replicas.values():
        assert "WITH_SANDBOXES" not in service["build"].get("args", {})
    sandboxes = _sandboxes(compose)
    assert sandboxes["build"]["args"]["WITH_SANDBOXES"] == "1"
    assert sandboxes["image"] not in {service["image"] for service in replicas.values()}
    options = _options(sandboxes["command"])
    assert options["--host"] == "0.0.0.0"
    assert not sandboxes.get("environment"), "`sandbox` reads its options, no variable"


def test_every_variable_set_is_one_the_gateway_reads(compose: dict[str, Any]) -> None:
    for name, service in _built(compose).items():
        variables = set(service.get("environment", {}))
        assert variables - KNOWN == set(), name
        assert not variables & SECRETS, f"{name}: a secret as a plain variable"


def test_the_replicas_share_redis(compose: dict[str, Any]) -> None:
    redis = compose["services"]["redis"]
    assert "redis_password" in redis["secrets"]
    for name, service in _replicas(compose).items():
        environment = service["environment"]
        assert environment["GATEWAY_REDIS_URL"] == REDIS_URL, name
        assert environment["GATEWAY_REDIS_PASSWORD_FILE"] == REDIS_PASSWORD_FILE, name
        assert "redis_password" in service["secrets"], name
        assert service["depends_on"]["redis"]["condition"] == "service_healthy", name


def test_secrets_are_files_make_secrets_writes(compose: dict[str, Any], secret_files: Path) -> None:
    declared = compose["secrets"]
    assert {name: entry["file"] for name, entry in declared.items()} == {
        name: f"./secrets/{name}" for name in declared
    }
    assert {path.name for path in secret_files.iterdir()} == set(declared)
    for name, service in _replicas(compose).items():
        files = {v for k, v in service["environment"].items() if k.endswith("_FILE")}
        assert files == {f"/run/secrets/{secret}" for secret in service["secrets"]}, name


def test_the_fleet_is_accepted_in_production_with_the_sandboxes_credentials(
    compose: dict[str, Any], secret_files: Path, tmp_path: Path
) -> None:
    for name, service in _replicas(compose).items():
        environment = {
            variable: (
                str(secret_files / Path(value).name) if variable.endswith("_FILE") else value
            )
            for variable, value in service["environment"].items()
        }
        # The volume both replicas mount, here a directory of the test's.
        store = Path(environment["GATEWAY_IDENTITY_STORE"])
        environment["GATEWAY_IDENTITY_STORE"] = str(tmp_path / store.name)
        settings = load_settings(environment)
        assert settings.production and settings.has_caller_keys, name
        assert not settings.needs_sandbox, name
        for spec in BACKENDS:
            backend = settings.backend(spec)
            given = {field: getattr(backend, field) for field in BY_BACKEND[spec.backend]}
            assert given == BY_BACKEND[spec.backend], f"{name}: {spec.backend.name}"


def test_make_secrets_keeps_what_is_there_and_makes_random_ones(secret_files: Path) -> None:
    jwt_secret = (secret_files / "gateway_jwt_secret").read_text()
    assert re.fullmatch(r"[0-9a-f]{64}\n", jwt_secret)
    subprocess.run(["bash", str(MAKE_SECRETS), str(secret_files)], check=True, capture_output=True)
    assert (secret_files / "gateway_jwt_secret").read_text() == jwt_secret
    other = secret_files.parent / "other"
    subprocess.run(["bash", str(MAKE_SECRETS), str(other)], check=True, capture_output=True)
    assert (other / "gateway_jwt_secret").read_text() != jwt_secret


def test_the_secrets_folder_is_ignored_by_git() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", "deploy/secrets/gateway_jwt_secret"], cwd=ROOT
    )
    assert ignored.returncode == 0


def _nginx(name: str) -> str:
    """An nginx configuration of deploy/nginx/, its comments left out."""
    text = (DEPLOY / "nginx" / name).read_text()
    return "\n".join(line.split("#")[0] for line in text.splitlines())


def test_each_replica_reaches_the_sandboxes_through_its_loopback_sidecar(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    sandboxes_port = _options(_sandboxes(compose)["command"])["--port"]
    (sandboxes,) = [n for n, s in _built(compose).items() if s is _sandboxes(compose)]
    relay = re.findall(r"listen\s+(\S+);\s*proxy_pass\s+(\S+);", _nginx("sandboxes-sidecar.conf"))
    assert relay == [(relay[0][0], f"{sandboxes}:{sandboxes_port}")]
    listen = relay[0][0]
    for name, service in _replicas(compose).items():
        sidecars = [s for s in services.values() if s.get("network_mode") == f"service:{name}"]
        assert len(sidecars) == 1, name
        (mount,) = sidecars[0]["volumes"]
        assert mount.startswith("./nginx/sandboxes-sidecar.conf:"), name
        for spec in BACKENDS:
            url = urlsplit(service["environment"][f"{spec.prefix}_BASE_URL"])
            assert (url.scheme, url.netloc, url.path) == ("http", listen, f"/{spec.backend.value}")


def test_the_load_balancer_spreads_over_the_replicas(compose: dict[str, Any]) -> None:
    replicas = _replicas(compose)
    config = _nginx("lb.conf")
    (upstream, block) = re.findall(r"upstream\s+(\S+)\s*\{([^}]*)\}", config)[0]
    assert re.findall(r"proxy_pass\s+([^;]+);", config) == [f"http://{upstream}"]
    servers = re.findall(r"^\s*server\s+([^\s;]+)", block, re.MULTILINE)
    assert sorted(servers) == sorted(
        f"{name}:{service['environment']['GATEWAY_PORT']}" for name, service in replicas.items()
    )
    lb = compose["services"]["lb"]
    assert lb["volumes"] == ["./nginx/lb.conf:/etc/nginx/conf.d/default.conf:ro"]
    assert set(lb["depends_on"]) == set(replicas)
