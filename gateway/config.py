"""One frozen Settings, read once from the environment (and an optional TOML file).

Every setting is an environment variable, documented in README.md's configuration table.
A TOML file named by CUSTOMER_GATEWAY_CONFIG may hold the same names as keys (in a
`[customer-gateway]` table); the environment wins over the file. A secret may also come
from a file: `CLUBMED_CLIENT_SECRET_FILE=/run/secrets/...` (what Docker and Kubernetes mount).
No other module reads `os.environ`. Every value is checked here, at load time: a wrong one is
a ConfigError naming its variable (never a secret's value) before anything starts.
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import SplitResult, urlsplit

import jwt

Mode = Literal["development", "production"]


class ConfigError(ValueError):
    """A setting is missing or has a value the gateway cannot use."""


# A back end's credentials have no default: a deployment gives its own, and the CLI's
# development path gives the embedded sandbox's to a back end it serves (gateway/cli.py).
@dataclass(frozen=True, slots=True)
class ClubMedConfig:
    base_url: str | None = None
    token_url: str | None = None  # default: <base_url>/token
    client_id: str | None = field(default=None, repr=False)
    client_secret: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    scope: str = "openid pms"


@dataclass(frozen=True, slots=True)
class CareCloudConfig:
    base_url: str | None = None
    application_id: str | None = None
    login: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    auth_scheme: Literal["bearer", "basic"] = "bearer"


@dataclass(frozen=True, slots=True)
class RelayConfig:
    base_url: str | None = None
    client_id: str | None = None
    api_key: str | None = field(default=None, repr=False)
    product_group_id: str = "default"


@dataclass(frozen=True, slots=True)
class Settings:
    mode: Mode = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    # Allocations between young-generation collections, after startup's objects are frozen
    # (gateway/collector.py); 0 leaves CPython's collector as it is.
    gc_threshold: int = 50_000
    # Upstream HTTP: per back end, one long-lived client with these limits.
    connect_timeout: float = 2.0
    read_timeout: float = 10.0
    max_connections: int = 100
    transport: str = "aiohttp"  # or "httpx": see adapters/upstream/wire.py
    # Upstream calls in flight per back end and worker: the bulkhead. As large as the pool, so
    # the pool is never the queue; 20 made 50 concurrent searches wait ~1 s in line (bench).
    max_concurrency: int = 100
    request_timeout: float = 15.0  # deadline of a whole GraphQL request, upstream included
    retry_attempts: int = 3  # per idempotent upstream read, in all (1 = no retry)
    breaker_failures: int = 5  # consecutive upstream failures that open a back end's breaker
    breaker_reset_seconds: float = 10.0  # how long it stays open before a probe
    max_page_size: int = 100  # cap of `customers(first:)`
    default_language: str = "en-US"
    # What one request may cost (see README's security section).
    max_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 2000
    max_query_bytes: int = 16_384
    max_variables_bytes: int = 16_384
    max_body_bytes: int = 65_536
    max_batch: int = 10
    max_cost: int = 500  # estimated upstream calls
    cors_origins: str = ""  # comma-separated allowlist; empty = no cross-origin access
    # Callers' bearer JWTs: an HS256 secret, or RS256/ES256 keys from a JWKS file or URL.
    jwt_secret: str | None = field(default=None, repr=False)
    jwks_file: str | None = None
    jwks_url: str | None = None
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    tracing: str = "off"  # off | console | otlp (needs the `tracing` extra)
    sandbox_customers: int = 1000
    sandbox_seed: int = 42
    # CareCloud's read-merge-PUT holds a per-record lock, shared by the host's workers.
    write_lock_dir: str | None = None  # default: customer-gateway-<uid> under the temp dir
    write_lock_wait: float = 10.0  # seconds an update waits for another one of its record
    clubmed: ClubMedConfig = ClubMedConfig()
    carecloud: CareCloudConfig = CareCloudConfig()
    relay: RelayConfig = RelayConfig()

    @property
    def production(self) -> bool:
        return self.mode == "production"

    @property
    def has_caller_keys(self) -> bool:
        return bool(self.jwt_secret or self.jwks_file or self.jwks_url)

    @property
    def needs_sandbox(self) -> bool:
        """True when some back end has no URL: the embedded sandboxes stand in for it."""
        return not all((self.clubmed.base_url, self.carecloud.base_url, self.relay.base_url))


# Environment variable -> (section, field). Section None is Settings itself.
ENVIRONMENT: dict[str, tuple[str | None, str]] = {
    "GATEWAY_MODE": (None, "mode"),
    "GATEWAY_HOST": (None, "host"),
    "GATEWAY_PORT": (None, "port"),
    "GATEWAY_WORKERS": (None, "workers"),
    "GATEWAY_LOG_LEVEL": (None, "log_level"),
    "GATEWAY_GC_THRESHOLD": (None, "gc_threshold"),
    "GATEWAY_UPSTREAM_CONNECT_TIMEOUT": (None, "connect_timeout"),
    "GATEWAY_UPSTREAM_READ_TIMEOUT": (None, "read_timeout"),
    "GATEWAY_UPSTREAM_MAX_CONNECTIONS": (None, "max_connections"),
    "GATEWAY_UPSTREAM_TRANSPORT": (None, "transport"),
    "GATEWAY_UPSTREAM_MAX_CONCURRENCY": (None, "max_concurrency"),
    "GATEWAY_REQUEST_TIMEOUT": (None, "request_timeout"),
    "GATEWAY_UPSTREAM_RETRY_ATTEMPTS": (None, "retry_attempts"),
    "GATEWAY_BREAKER_FAILURES": (None, "breaker_failures"),
    "GATEWAY_BREAKER_RESET_SECONDS": (None, "breaker_reset_seconds"),
    "GATEWAY_MAX_PAGE_SIZE": (None, "max_page_size"),
    "GATEWAY_DEFAULT_LANGUAGE": (None, "default_language"),
    "GATEWAY_MAX_DEPTH": (None, "max_depth"),
    "GATEWAY_MAX_ALIASES": (None, "max_aliases"),
    "GATEWAY_MAX_TOKENS": (None, "max_tokens"),
    "GATEWAY_MAX_QUERY_BYTES": (None, "max_query_bytes"),
    "GATEWAY_MAX_VARIABLES_BYTES": (None, "max_variables_bytes"),
    "GATEWAY_MAX_BODY_BYTES": (None, "max_body_bytes"),
    "GATEWAY_MAX_BATCH": (None, "max_batch"),
    "GATEWAY_MAX_COST": (None, "max_cost"),
    "GATEWAY_CORS_ORIGINS": (None, "cors_origins"),
    "GATEWAY_JWT_SECRET": (None, "jwt_secret"),
    "GATEWAY_JWKS_FILE": (None, "jwks_file"),
    "GATEWAY_JWKS_URL": (None, "jwks_url"),
    "GATEWAY_JWT_ISSUER": (None, "jwt_issuer"),
    "GATEWAY_JWT_AUDIENCE": (None, "jwt_audience"),
    "GATEWAY_TRACING": (None, "tracing"),
    "GATEWAY_SANDBOX_CUSTOMERS": (None, "sandbox_customers"),
    "GATEWAY_SANDBOX_SEED": (None, "sandbox_seed"),
    "GATEWAY_WRITE_LOCK_DIR": (None, "write_lock_dir"),
    "GATEWAY_WRITE_LOCK_WAIT": (None, "write_lock_wait"),
    "CLUBMED_BASE_URL": ("clubmed", "base_url"),
    "CLUBMED_TOKEN_URL": ("clubmed", "token_url"),
    "CLUBMED_CLIENT_ID": ("clubmed", "client_id"),
    "CLUBMED_CLIENT_SECRET": ("clubmed", "client_secret"),
    "CLUBMED_API_KEY": ("clubmed", "api_key"),
    "CLUBMED_SCOPE": ("clubmed", "scope"),
    "CARECLOUD_BASE_URL": ("carecloud", "base_url"),
    "CARECLOUD_APPLICATION_ID": ("carecloud", "application_id"),
    "CARECLOUD_LOGIN": ("carecloud", "login"),
    "CARECLOUD_PASSWORD": ("carecloud", "password"),
    "CARECLOUD_AUTH_SCHEME": ("carecloud", "auth_scheme"),
    "RELAY_BASE_URL": ("relay", "base_url"),
    "RELAY_CLIENT_ID": ("relay", "client_id"),
    "RELAY_API_KEY": ("relay", "api_key"),
    "RELAY_PRODUCT_GROUP_ID": ("relay", "product_group_id"),
}
SECRETS = frozenset(
    {
        "CLUBMED_CLIENT_SECRET",
        "CLUBMED_API_KEY",
        "CARECLOUD_PASSWORD",
        "RELAY_API_KEY",
        "GATEWAY_JWT_SECRET",
    }
)
# Each back end's credentials (section -> variables): all are needed with its base URL.
CREDENTIALS: dict[str, tuple[str, ...]] = {
    "clubmed": ("CLUBMED_CLIENT_ID", "CLUBMED_CLIENT_SECRET", "CLUBMED_API_KEY"),
    "carecloud": ("CARECLOUD_APPLICATION_ID", "CARECLOUD_LOGIN", "CARECLOUD_PASSWORD"),
    "relay": ("RELAY_CLIENT_ID", "RELAY_API_KEY"),
}


def credential(settings: Settings, variable: str) -> str:
    """A back end's credential, by its variable; a ConfigError naming it when it is not set."""
    section, attribute = ENVIRONMENT[variable]
    value = getattr(settings if section is None else getattr(settings, section), attribute)
    if not value:
        raise ConfigError(f"{variable} is not set")
    return str(value)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment, over the optional config file, over the defaults."""
    environ = os.environ if environ is None else environ
    values: dict[str, str] = {}
    config_file = environ.get("CUSTOMER_GATEWAY_CONFIG")
    if config_file:
        values.update(_read_file(Path(config_file)))
    for name in ENVIRONMENT:
        if name in SECRETS and f"{name}_FILE" in environ:
            if name in environ:
                raise ConfigError(f"set {name} or {name}_FILE, not both")
            values[name] = _read_secret(f"{name}_FILE", environ[f"{name}_FILE"])
        elif name in environ:
            values[name] = environ[name]
    settings = _apply(Settings(), values)
    settings = replace(settings, log_level=settings.log_level.lower())
    _validate(settings, explicit=values)
    return settings


def _read_secret(variable: str, path: str) -> str:
    """The secret in the file a `*_FILE` names; errors name the file, never a byte of it."""
    try:
        secret = Path(path).read_text().strip()
    except OSError as error:
        raise ConfigError(f"{variable}: cannot read {path}: {_reason(error)}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{variable}: {path} is not UTF-8 text") from None
    if not secret:
        raise ConfigError(f"{variable}: {path} is empty")
    return secret


def read_jwks(path: str) -> jwt.PyJWKSet:
    """The public keys of a JWKS file (GATEWAY_JWKS_FILE); errors never quote the file."""
    try:
        document = json.loads(Path(path).read_text())
        entries = document["keys"]
        keys = jwt.PyJWKSet(entries)
    except OSError as error:
        raise ConfigError(f"GATEWAY_JWKS_FILE: cannot read {path}: {_reason(error)}") from None
    except (ValueError, TypeError, KeyError, AttributeError, jwt.PyJWTError):  # not a JWKS
        keys = None
    if keys is None or not any(key.key_type in ("RSA", "EC") for key in keys.keys):
        raise ConfigError(f"GATEWAY_JWKS_FILE: {path} is not a JWKS with an RSA or EC public key")
    if any("d" in entry for entry in entries):  # the private part of an RSA or EC key
        raise ConfigError(f"GATEWAY_JWKS_FILE: {path} holds a private key: give public keys only")
    return keys


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _read_file(path: Path) -> dict[str, str]:
    try:
        document = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"CUSTOMER_GATEWAY_CONFIG: cannot read {path}: {exc}") from None
    table = document.get("customer-gateway", document)
    unknown = set(table) - set(ENVIRONMENT)
    if unknown:
        raise ConfigError(f"unknown settings in {path}: {sorted(unknown)}")
    return {key: str(value) for key, value in table.items()}


def _apply(settings: Settings, values: Mapping[str, str]) -> Settings:
    sections: dict[str | None, dict[str, object]] = {}
    for name, raw in values.items():
        section, attribute = ENVIRONMENT[name]
        target = settings if section is None else getattr(settings, section)
        kind = {f.name: f.type for f in fields(target)}[attribute]
        sections.setdefault(section, {})[attribute] = _convert(name, raw, str(kind))
    for section, changes in sections.items():
        if section is not None:
            section_values: Any = replace(getattr(settings, section), **changes)
            settings = replace(settings, **{section: section_values})
    top: dict[str, Any] = sections.get(None, {})  # values converted to each field's type above
    return replace(settings, **top)


def _convert(name: str, raw: str, kind: str) -> object:
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from None
    if kind == "str | None":
        return raw or None
    return raw


# uvicorn's log levels (GATEWAY_LOG_LEVEL), most severe first.
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
_AT_LEAST_ONE = (
    "workers",
    "max_connections",
    "max_concurrency",
    "max_page_size",
    "retry_attempts",
    "breaker_failures",
    "max_depth",
    "max_aliases",
    "max_tokens",
    "max_query_bytes",
    "max_variables_bytes",
    "max_body_bytes",
    "max_batch",
    "max_cost",
    "sandbox_customers",
)
_SECONDS = (
    "connect_timeout",
    "read_timeout",
    "request_timeout",
    "breaker_reset_seconds",
    "write_lock_wait",
)
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
# Setting -> its variable, for messages: ("clubmed", "base_url") -> "CLUBMED_BASE_URL".
_VARIABLES = {setting: name for name, setting in ENVIRONMENT.items()}
_FIELDS = {name: attribute for name, (_, attribute) in ENVIRONMENT.items()}


def _validate(settings: Settings, explicit: Mapping[str, str]) -> None:
    _validate_choices(settings)
    _validate_numbers(settings)
    _validate_urls(settings)
    _validate_origins(settings)
    if settings.jwks_file:
        read_jwks(settings.jwks_file)
    if settings.write_lock_dir and not os.path.isabs(settings.write_lock_dir):
        raise ConfigError("GATEWAY_WRITE_LOCK_DIR must be an absolute path")
    if settings.mode == "production":
        _validate_production(settings, explicit)
    _validate_credentials(settings)


def _validate_choices(settings: Settings) -> None:
    if settings.mode not in ("development", "production"):
        raise ConfigError("GATEWAY_MODE must be development or production")
    if settings.log_level not in LOG_LEVELS:
        raise ConfigError(
            f"GATEWAY_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {settings.log_level!r}"
        )
    if settings.transport not in ("aiohttp", "httpx"):
        raise ConfigError("GATEWAY_UPSTREAM_TRANSPORT must be aiohttp or httpx")
    if settings.tracing not in ("off", "console", "otlp"):
        raise ConfigError("GATEWAY_TRACING must be off, console or otlp")
    if settings.carecloud.auth_scheme not in ("bearer", "basic"):
        raise ConfigError("CARECLOUD_AUTH_SCHEME must be bearer or basic")
    if not settings.host.strip():
        raise ConfigError("GATEWAY_HOST must not be empty")
    if not _LANGUAGE_TAG.fullmatch(settings.default_language):
        raise ConfigError("GATEWAY_DEFAULT_LANGUAGE must be a language tag, such as en-US")


def _validate_numbers(settings: Settings) -> None:
    for name in _AT_LEAST_ONE:
        if getattr(settings, name) < 1:
            raise ConfigError(f"{_VARIABLES[None, name]} must be at least 1")
    for name in _SECONDS:
        value = getattr(settings, name)
        if not (math.isfinite(value) and value > 0):
            raise ConfigError(f"{_VARIABLES[None, name]} must be a number of seconds above 0")
    if not 1 <= settings.port <= 65535:
        raise ConfigError("GATEWAY_PORT must be between 1 and 65535")
    if settings.gc_threshold < 0:
        raise ConfigError("GATEWAY_GC_THRESHOLD must be 0 (CPython's default) or more")


def _validate_urls(settings: Settings) -> None:
    """Absolute http(s) URLs; in production https, but to a loopback address (a TLS sidecar)."""
    for section, name in (
        ("clubmed", "base_url"),
        ("clubmed", "token_url"),
        ("carecloud", "base_url"),
        ("relay", "base_url"),
        (None, "jwks_url"),
    ):
        url = getattr(settings if section is None else getattr(settings, section), name)
        if url is None:
            continue
        variable = _VARIABLES[section, name]
        parts = _split(url)
        if parts is None or parts.query or parts.fragment or "@" in parts.netloc:
            raise ConfigError(
                f"{variable} must be an absolute http or https URL, such as "
                "https://api.example.com/v1 (no query, fragment or credentials)"
            )
        if settings.production and parts.scheme != "https" and not _loopback(parts.hostname):
            raise ConfigError(f"{variable} must be https in production (http only to loopback)")


def _validate_origins(settings: Settings) -> None:
    """Origins as browsers send them: scheme://host[:port], so Starlette's match can succeed."""
    origins = [origin.strip() for origin in settings.cors_origins.split(",") if origin.strip()]
    for position, origin in enumerate(origins, start=1):
        if origin == "*":
            if settings.production:
                raise ConfigError("GATEWAY_CORS_ORIGINS: * (any origin) is for development only")
            continue
        parts = _split(origin)
        if parts is None or origin != f"{parts.scheme}://{parts.netloc}".lower() or "@" in origin:
            raise ConfigError(
                f"GATEWAY_CORS_ORIGINS: entry {position} is not an origin: "
                "scheme://host[:port] in lower case, without path or trailing slash"
            )


def _split(url: str) -> SplitResult | None:
    """The parts of an absolute http(s) URL with a host (and a port in 1..65535), else None."""
    if any(char.isspace() for char in url):
        return None
    try:
        parts = urlsplit(url)
        usable = parts.scheme in ("http", "https") and parts.hostname and parts.port != 0
    except ValueError:  # the port is not a number, or out of range
        return None
    return parts if usable else None


def _loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def _validate_production(settings: Settings, explicit: Mapping[str, str]) -> None:
    # No embedded sandbox and no development credential in production.
    credentials = [name for names in CREDENTIALS.values() for name in names]
    missing = [
        name
        for name in ("CLUBMED_BASE_URL", "CARECLOUD_BASE_URL", "RELAY_BASE_URL", *credentials)
        if not explicit.get(name)
    ]
    if not settings.has_caller_keys:
        missing.append("GATEWAY_JWT_SECRET or GATEWAY_JWKS_FILE or GATEWAY_JWKS_URL")
    if missing:
        raise ConfigError(f"production mode needs {', '.join(sorted(missing))}")


def _validate_credentials(settings: Settings) -> None:
    """A back end with a base URL needs all its credentials: the embedded sandbox's are given
    only to a back end without one (gateway/cli.py)."""
    for section, names in CREDENTIALS.items():
        config = getattr(settings, section)
        missing = [name for name in names if getattr(config, _FIELDS[name]) is None]
        if config.base_url and missing:
            url = _VARIABLES[section, "base_url"]
            raise ConfigError(f"{url} is set: {', '.join(missing)} must be set too")
