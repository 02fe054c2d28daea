"""Every setting is checked before `customer-gateway serve` starts anything: a wrong one is
one line on stderr naming the variable (never a secret's value), exit status 2, no sandbox
started and no port bound."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from adapters import carecloud, clubmed, relay
from gateway.config import (
    METRICS_DIR_VARIABLE,
    ConfigError,
    hand_to_workers,
    handed_metrics_dir,
    load_settings,
)

ROOT = Path(__file__).resolve().parents[2]
PREFIXES = ("GATEWAY_", "CLUBMED_", "CARECLOUD_", "RELAY_", "CUSTOMER_GATEWAY_")
SECRET_CONTENT = "do-not-print-0123456789"
PRODUCTION = {
    "GATEWAY_MODE": "production",
    "CLUBMED_BASE_URL": "https://api.clubmed.example",
    "CARECLOUD_BASE_URL": "https://carecloud.example/webservice/rest-api",
    "RELAY_BASE_URL": "https://relay.example/platform/v3/api",
    "CLUBMED_CLIENT_ID": "c",
    "CLUBMED_CLIENT_SECRET": "s",
    "CLUBMED_API_KEY": "k",
    "CARECLOUD_APPLICATION_ID": "a",
    "CARECLOUD_LOGIN": "l",
    "CARECLOUD_PASSWORD": "p",
    "RELAY_CLIENT_ID": "i",
    "RELAY_API_KEY": "r",
    "GATEWAY_JWT_SECRET": "j" * 32,
}


@pytest.fixture(scope="module")
def held_port() -> Iterator[int]:
    """A port something else listens on: a `serve` that got as far as binding fails (1)."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield int(held.getsockname()[1])


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory of good and bad files for the `*_FILE` variables."""
    folder = tmp_path_factory.mktemp("files")
    (folder / "secret").write_text(SECRET_CONTENT + "\n")
    (folder / "empty").write_text("\n")
    (folder / "binary").write_bytes(b"\xff\xfe" + SECRET_CONTENT.encode())
    (folder / "not-json").write_text(SECRET_CONTENT)
    (folder / "no-keys.json").write_text(json.dumps({"keys": [], "note": SECRET_CONTENT}))
    (folder / "hmac.json").write_text(
        json.dumps({"keys": [{"kty": "oct", "k": "c2VjcmV0LWtleS1vZi10aGUtZ2F0ZXdheQ"}]})
    )
    private = ec.generate_private_key(ec.SECP256R1())
    public = json.loads(ECAlgorithm.to_jwk(private.public_key()))
    (folder / "jwks.json").write_text(json.dumps({"keys": [public]}))
    (folder / "private.json").write_text(
        json.dumps({"keys": [json.loads(ECAlgorithm.to_jwk(private))]})
    )
    return folder


def serve(
    port: int, environment: dict[str, str], *arguments: str
) -> subprocess.CompletedProcess[str]:
    """`customer-gateway serve` with only these settings (the test process's own left out)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(PREFIXES)}
    return subprocess.run(
        [sys.executable, "-m", "gateway.cli", "serve", "--port", str(port), *arguments],
        cwd=ROOT,
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=120,  # a safety net should a refused setting start the server after all
    )


def assert_refused(result: subprocess.CompletedProcess[str], *named: str) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("customer-gateway: ")
    for name in named:
        assert name in line
    assert SECRET_CONTENT not in line
    assert result.stdout == ""  # no sandbox, no development token, no GraphiQL address


@pytest.mark.parametrize(
    ("environment", "named"),
    [
        ({"GATEWAY_LOG_LEVEL": "loud"}, ["GATEWAY_LOG_LEVEL", "trace"]),
        ({"GATEWAY_LOG_FORMAT": "xml"}, ["GATEWAY_LOG_FORMAT", "json or text"]),
        ({**PRODUCTION, "GATEWAY_LOG_FORMAT": "text"}, ["GATEWAY_LOG_FORMAT", "production"]),
        ({"GATEWAY_UPSTREAM_READ_TIMEOUT": "-1"}, ["GATEWAY_UPSTREAM_READ_TIMEOUT"]),
        ({"GATEWAY_UPSTREAM_CONNECT_TIMEOUT": "0"}, ["GATEWAY_UPSTREAM_CONNECT_TIMEOUT"]),
        ({"GATEWAY_REQUEST_TIMEOUT": "nan"}, ["GATEWAY_REQUEST_TIMEOUT"]),
        ({"GATEWAY_BREAKER_RESET_SECONDS": "-5"}, ["GATEWAY_BREAKER_RESET_SECONDS"]),
        ({"GATEWAY_WRITE_LOCK_WAIT": "0"}, ["GATEWAY_WRITE_LOCK_WAIT"]),
        ({"GATEWAY_VERIFY_MAX_FAILURES": "0"}, ["GATEWAY_VERIFY_MAX_FAILURES"]),
        ({"GATEWAY_VERIFY_WINDOW_SECONDS": "-1"}, ["GATEWAY_VERIFY_WINDOW_SECONDS"]),
        ({"GATEWAY_WRITE_LOCK_DIR": "locks"}, ["GATEWAY_WRITE_LOCK_DIR", "absolute"]),
        ({"GATEWAY_METRICS_DIR": "metrics"}, ["GATEWAY_METRICS_DIR", "absolute"]),
        ({"GATEWAY_IDENTITY_STORE": "id.sqlite"}, ["GATEWAY_IDENTITY_STORE", "absolute"]),
        ({"GATEWAY_IDENTITY_STORE": "/"}, ["GATEWAY_IDENTITY_STORE"]),
        (
            {"GATEWAY_IDENTITY_STORE": "/no/such/directory/id.sqlite"},
            ["GATEWAY_IDENTITY_STORE", "directory"],
        ),
        (
            {"GATEWAY_IDENTITY_STORE": "redis"},
            ["GATEWAY_IDENTITY_STORE=redis", "GATEWAY_REDIS_URL"],
        ),
        ({"GATEWAY_REDIS_URL": "http://cache:6379"}, ["GATEWAY_REDIS_URL", "rediss://"]),
        (
            {"GATEWAY_REDIS_URL": "redis://cache:6379", "GATEWAY_REDIS_CA_FILE": "/etc/hostname"},
            ["GATEWAY_REDIS_CA_FILE", "rediss://"],
        ),
        (
            {**PRODUCTION, "GATEWAY_REDIS_URL": "redis://:hunter2@cache:6379"},
            ["GATEWAY_REDIS_URL", "GATEWAY_REDIS_PASSWORD_FILE"],
        ),
        ({"GATEWAY_REDIS_PREFIX": "a b"}, ["GATEWAY_REDIS_PREFIX"]),
        ({"GATEWAY_REDIS_TIMEOUT": "0"}, ["GATEWAY_REDIS_TIMEOUT"]),
        (
            {"GATEWAY_WRITE_LOCK_LEASE": "5"},
            ["GATEWAY_WRITE_LOCK_LEASE", "GATEWAY_REQUEST_TIMEOUT"],
        ),
        ({"GATEWAY_RATE_LIMIT": "-1"}, ["GATEWAY_RATE_LIMIT"]),
        ({"GATEWAY_RATE_LIMIT_PER_OPERATION": "ten"}, ["GATEWAY_RATE_LIMIT_PER_OPERATION"]),
        ({"GATEWAY_RATE_LIMIT_WINDOW_SECONDS": "0"}, ["GATEWAY_RATE_LIMIT_WINDOW_SECONDS"]),
        ({"GATEWAY_PORT": "70000"}, ["GATEWAY_PORT", "65535"]),
        ({"GATEWAY_WORKERS": "0"}, ["GATEWAY_WORKERS"]),
        ({"GATEWAY_SANDBOX_CUSTOMERS": "-3"}, ["GATEWAY_SANDBOX_CUSTOMERS"]),
        ({"GATEWAY_HOST": " "}, ["GATEWAY_HOST"]),
        ({"GATEWAY_DEFAULT_LANGUAGE": "fr FR"}, ["GATEWAY_DEFAULT_LANGUAGE"]),
        ({"CLUBMED_BASE_URL": "api.clubmed.com"}, ["CLUBMED_BASE_URL", "https"]),
        ({"CARECLOUD_BASE_URL": "ftp://carecloud.example"}, ["CARECLOUD_BASE_URL"]),
        ({"RELAY_BASE_URL": "https://relay.example/api?key=1"}, ["RELAY_BASE_URL"]),
        ({"CLUBMED_TOKEN_URL": "https://user:pw@auth.example/token"}, ["CLUBMED_TOKEN_URL"]),
        ({"GATEWAY_JWKS_URL": "keys.json"}, ["GATEWAY_JWKS_URL"]),
        ({"GATEWAY_CORS_ORIGINS": "https://app.example/"}, ["GATEWAY_CORS_ORIGINS"]),
        ({"GATEWAY_CORS_ORIGINS": "https://a.example,app.example"}, ["GATEWAY_CORS_ORIGINS"]),
        (
            {"GATEWAY_JWT_SECRET": "x", "GATEWAY_JWT_SECRET_FILE": "/run/secrets/jwt"},
            ["GATEWAY_JWT_SECRET", "GATEWAY_JWT_SECRET_FILE"],
        ),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, dict) else None,
)
def test_a_wrong_setting_is_one_line_naming_it(
    held_port: int, environment: dict[str, str], named: list[str]
) -> None:
    assert_refused(serve(held_port, environment), *named)


@pytest.mark.parametrize(
    ("variable", "file", "named"),
    [
        ("CLUBMED_CLIENT_SECRET_FILE", "missing", ["CLUBMED_CLIENT_SECRET_FILE", "missing"]),
        ("CARECLOUD_PASSWORD_FILE", ".", ["CARECLOUD_PASSWORD_FILE"]),  # a directory
        ("RELAY_API_KEY_FILE", "empty", ["RELAY_API_KEY_FILE", "empty"]),
        ("GATEWAY_JWT_SECRET_FILE", "binary", ["GATEWAY_JWT_SECRET_FILE", "binary"]),
        ("GATEWAY_JWKS_FILE", "missing.json", ["GATEWAY_JWKS_FILE", "missing.json"]),
        ("GATEWAY_JWKS_FILE", "not-json", ["GATEWAY_JWKS_FILE", "not-json"]),
        ("GATEWAY_JWKS_FILE", "no-keys.json", ["GATEWAY_JWKS_FILE", "no-keys.json"]),
        ("GATEWAY_JWKS_FILE", "hmac.json", ["GATEWAY_JWKS_FILE", "RSA or EC"]),
        ("GATEWAY_JWKS_FILE", "private.json", ["GATEWAY_JWKS_FILE", "private"]),
    ],
)
def test_a_file_that_cannot_be_used_is_one_line_naming_variable_and_path(
    held_port: int, files: Path, variable: str, file: str, named: list[str]
) -> None:
    assert_refused(serve(held_port, {variable: str(files / file)}), *named)


@pytest.mark.parametrize(
    "changes",
    [
        {"CLUBMED_BASE_URL": "http://api.clubmed.example"},
        {"GATEWAY_JWKS_URL": "http://keys.example/jwks.json", "GATEWAY_JWT_SECRET": ""},
        {"GATEWAY_CORS_ORIGINS": "*"},
    ],
    ids=lambda changes: next(iter(changes)),
)
def test_production_refuses_plain_http_and_any_origin(
    held_port: int, changes: dict[str, str]
) -> None:
    result = serve(held_port, {**PRODUCTION, **changes})
    assert_refused(result, next(iter(changes)))


@pytest.mark.parametrize(
    ("arguments", "named"),
    [(["--port", "0"], "--port"), (["--workers", "0"], "--workers")],
)
def test_a_wrong_command_line_option_is_one_line_naming_it(
    held_port: int, arguments: list[str], named: str
) -> None:
    assert_refused(serve(held_port, {}, *arguments), named)


def test_good_settings_load(files: Path) -> None:
    """What the checks must let through: loopback http in production, origins, files, case."""
    production = {k: v for k, v in PRODUCTION.items() if k != "CLUBMED_API_KEY"}
    settings = load_settings(
        {
            **production,
            "CLUBMED_BASE_URL": "http://127.0.0.1:8443/clubmed",  # a local TLS sidecar
            "CLUBMED_TOKEN_URL": "https://auth.clubmed.example/token",
            "CLUBMED_API_KEY_FILE": str(files / "secret"),
            "GATEWAY_JWKS_FILE": str(files / "jwks.json"),
            "GATEWAY_CORS_ORIGINS": "https://app.example, http://localhost:3000",
            "GATEWAY_LOG_LEVEL": "WARNING",
            "GATEWAY_WRITE_LOCK_DIR": "/var/lib/customer-gateway/locks",
            "GATEWAY_WRITE_LOCK_WAIT": "2.5",
            "GATEWAY_METRICS_DIR": "/var/lib/customer-gateway/metrics",
            "GATEWAY_VERIFY_MAX_FAILURES": "3",
            "GATEWAY_VERIFY_WINDOW_SECONDS": "30",
        }
    )
    assert (settings.verify_max_failures, settings.verify_window_seconds) == (3, 30.0)
    assert settings.metrics_dir == "/var/lib/customer-gateway/metrics"
    assert settings.backend(clubmed.SPEC).api_key == SECRET_CONTENT
    assert settings.log_level == "warning"
    assert (settings.write_lock_dir, settings.write_lock_wait) == (
        "/var/lib/customer-gateway/locks",
        2.5,
    )
    assert load_settings({"GATEWAY_CORS_ORIGINS": "*"}).cors_origins == "*"  # development


def test_the_workers_factory_checks_the_same_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from gateway import app

    # Should it get that far, the factory would configure logging: not in the test session.
    monkeypatch.setattr(app, "configure_logging", lambda *arguments: None)
    monkeypatch.setenv("GATEWAY_UPSTREAM_READ_TIMEOUT", "-1")
    with pytest.raises(ConfigError, match="GATEWAY_UPSTREAM_READ_TIMEOUT"):
        app.create_app_from_environment()


def test_serve_hands_the_workers_their_metrics_directory_or_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Several workers: the directory, for prometheus_client to read when it is imported.
    One: none, not even one inherited, so that the process counts its own as before."""
    monkeypatch.setenv(METRICS_DIR_VARIABLE, "/somewhere/inherited")
    hand_to_workers({}, metrics_dir="/run/customer-gateway/metrics")
    assert os.environ[METRICS_DIR_VARIABLE] == "/run/customer-gateway/metrics"
    assert handed_metrics_dir() == "/run/customer-gateway/metrics"
    hand_to_workers({})
    assert METRICS_DIR_VARIABLE not in os.environ
    assert handed_metrics_dir() is None


def test_back_end_credentials_have_no_default() -> None:
    settings = load_settings({})
    clubmed_settings = settings.backend(clubmed.SPEC)
    carecloud_settings = settings.backend(carecloud.SPEC)
    relay_settings = settings.backend(relay.SPEC)
    assert (clubmed_settings.client_id, clubmed_settings.client_secret) == (None, None)
    assert (carecloud_settings.login, carecloud_settings.password) == (None, None)
    assert (relay_settings.client_id, relay_settings.api_key) == (None, None)


@pytest.mark.parametrize(
    "missing",
    ["CLUBMED_CLIENT_ID", "CARECLOUD_APPLICATION_ID", "CARECLOUD_LOGIN", "RELAY_CLIENT_ID"],
)
def test_production_needs_every_credential(missing: str) -> None:
    with pytest.raises(ConfigError, match=missing):
        load_settings({k: v for k, v in PRODUCTION.items() if k != missing})


def test_a_back_end_with_a_url_needs_its_credentials_in_development_too(held_port: int) -> None:
    result = serve(held_port, {"RELAY_BASE_URL": "http://127.0.0.1:9/relay", "RELAY_API_KEY": "k"})
    assert_refused(result, "RELAY_BASE_URL", "RELAY_CLIENT_ID")
    assert "RELAY_API_KEY" not in result.stderr


def test_the_development_path_gives_the_sandboxes_credentials_to_the_back_ends_they_serve() -> None:
    from gateway.cli import sandbox_variables
    from sandboxes.common import credentials

    own = load_settings(
        {
            "CLUBMED_BASE_URL": "https://api.clubmed.example",
            "CLUBMED_CLIENT_ID": "mine",
            "CLUBMED_CLIENT_SECRET": "mine",
            "CLUBMED_API_KEY": "mine",
            "CARECLOUD_PASSWORD": "my-own-password",
        }
    )
    variables = sandbox_variables("http://127.0.0.1:8100", own)
    assert not {name for name in variables if name.startswith("CLUBMED_")}  # it has a URL
    assert variables["CARECLOUD_BASE_URL"] == "http://127.0.0.1:8100/carecloud"
    assert variables["CARECLOUD_LOGIN"] == credentials.CARECLOUD_LOGIN
    assert "CARECLOUD_PASSWORD" not in variables  # a value of its own is kept
    assert variables["RELAY_BASE_URL"] == "http://127.0.0.1:8100/relay"
    assert variables["RELAY_API_KEY"] == credentials.RELAY_API_KEY
    served = load_settings({"CARECLOUD_PASSWORD": "my-own-password", **variables})
    assert served.backend(relay.SPEC).client_id == credentials.RELAY_CLIENT_ID
