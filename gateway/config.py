"""One frozen Settings, read once from the environment (and an optional TOML file).

Every setting is an environment variable, documented in README.md's configuration table.
A back end's variables are `<PREFIX>_<FIELD>` of its settings, read by its spec
(adapters/registry.py): the tables below know no back end by name. A TOML file named by
CUSTOMER_GATEWAY_CONFIG may hold the same names as keys (in a `[customer-gateway]` table);
the environment wins over the file. A secret may also come from a file:
`CLUBMED_CLIENT_SECRET_FILE=/run/secrets/...` (what Docker and Kubernetes mount).
No other module reads or writes `os.environ` (`hand_to_workers` is how `serve` writes it).
Every value is checked here, at load time: a wrong one is a ConfigError naming its variable
(never a secret's value) before anything starts.
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import SplitResult, urlsplit

import jwt

from adapters.model import Backend
from adapters.registry import BACKENDS, Registry
from adapters.spec import BackendSettings, BackendSpec
from gateway.trusted import ManifestError, TrustedDocuments, read_manifest

Mode = Literal["development", "production"]
S = TypeVar("S", bound=BackendSettings)
# Set by `serve` for its workers: the development token printed at start, so GraphiQL of
# every worker opens with the same one (the secret travels as GATEWAY_JWT_SECRET).
DEVELOPMENT_TOKEN_VARIABLE = "CUSTOMER_GATEWAY_DEVELOPMENT_TOKEN"
# Set by `serve` for its workers when there are several: the directory where each writes its
# metrics, read by prometheus_client when it is imported (its multiprocess mode), so every
# worker must find it in its environment from the start (gateway/metrics.py).
METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
# GATEWAY_IDENTITY_STORE's value that keeps the links in the fleet's Redis, not in a file.
REDIS_STORE = "redis"


class ConfigError(ValueError):
    """A setting is missing or has a value the gateway cannot use."""


@dataclass(frozen=True, slots=True)
class Settings:
    mode: Mode = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    # json or text; "" is the mode's own: text in development, json in production.
    log_format: str = ""
    # Allocations between young-generation collections, after startup's objects are frozen
    # (gateway/collector.py); 0 leaves CPython's collector as it is.
    gc_threshold: int = 50_000
    # Upstream HTTP: per back end, one long-lived client with these limits.
    connect_timeout: float = 2.0
    read_timeout: float = 10.0
    max_connections: int = 100
    transport: str = "aiohttp"  # or "httpx": see adapters/upstream/wire.py
    plans: str = "on"  # or "off": queries run on graphql-core alone (gateway/plans)
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
    # Stewards' link decisions and person ids (issue 16): an SQLite file every worker of the
    # host shares, or `redis`: the fleet's Redis (GATEWAY_REDIS_URL), shared by every replica.
    identity_store: str | None = None  # default: identity.sqlite in the temporary directory
    # Where the workers of a `serve --workers N` (N > 1) write their metrics, so that one
    # scrape counts them all; emptied at start. Default: a temporary directory of its own.
    metrics_dir: str | None = None
    # The verify actions: wrong secrets a login value may be tried with per window, then
    # RATE_LIMITED (gateway/ratelimit.py).
    verify_max_failures: int = 5
    verify_window_seconds: float = 60.0
    # State shared by the replicas of a fleet (issue 17, gateway/fleet/): a Redis URL
    # (redis://, rediss:// for TLS, unix://), its password (better from a _FILE secret), a CA
    # file for rediss://, the prefix of every key, and the time-out of one Redis call. Unset,
    # each process keeps that state in memory (the embedded default).
    redis_url: str | None = field(default=None, repr=False)  # may carry a password
    redis_password: str | None = field(default=None, repr=False)
    redis_ca_file: str | None = None
    redis_prefix: str = "customer-gateway"
    redis_timeout: float = 0.5
    # A write lock held in Redis expires after this many seconds, so a replica that died
    # holding one does not block its record for ever (longer than GATEWAY_REQUEST_TIMEOUT).
    write_lock_lease: float = 30.0
    # Callers' rate limits (gateway/caller_limits.py): operations per token subject, and per
    # subject and operation name, in fixed windows; 0 turns a limit off.
    rate_limit: int = 0
    rate_limit_per_operation: int = 0
    rate_limit_window_seconds: float = 60.0
    # Persisted operations (issue 17, gateway/persisted.py): automatic persisted queries on
    # or off, and how long Redis keeps a document after it was last sent whole; trusted
    # documents, a manifest of the only operations run, optionally by id only.
    apq: str = "on"
    apq_ttl_seconds: int = 86_400
    trusted_documents: str | None = None
    trusted_documents_require_id: str = "off"
    # Each back end's settings (its spec's type), by back end. A back end's credentials have
    # no default: a deployment gives its own, and the CLI's development path gives the
    # embedded sandbox's to a back end it serves (gateway/cli.py).
    backends: Mapping[Backend, BackendSettings] = field(
        default_factory=lambda: default_backends(BACKENDS), hash=False
    )

    @property
    def production(self) -> bool:
        return self.mode == "production"

    @property
    def log_lines(self) -> str:
        """The one format of every line written: GATEWAY_LOG_FORMAT, or the mode's default."""
        return self.log_format or ("json" if self.production else "text")

    @property
    def has_caller_keys(self) -> bool:
        return bool(self.jwt_secret or self.jwks_file or self.jwks_url)

    @property
    def needs_sandbox(self) -> bool:
        """True when some back end has no URL: the embedded sandboxes stand in for it."""
        return not all(backend.base_url for backend in self.backends.values())

    def backend(self, spec: BackendSpec[S]) -> S:
        """The settings of `spec`'s back end, of its spec's type."""
        found = self.backends[spec.backend]
        if not isinstance(found, spec.settings):
            raise TypeError(f"{spec.backend.name}'s settings are not {spec.settings.__name__}")
        return found


def default_backends(registry: Registry) -> dict[Backend, BackendSettings]:
    """Every back end of `registry` with its settings' defaults."""
    return {spec.backend: spec.settings() for spec in registry}


# Environment variable -> field of Settings, for the gateway's own settings. A back end's
# variables are `<PREFIX>_<FIELD>` of its spec's settings (`backend_variables`).
ENVIRONMENT: dict[str, str] = {
    "GATEWAY_MODE": "mode",
    "GATEWAY_HOST": "host",
    "GATEWAY_PORT": "port",
    "GATEWAY_WORKERS": "workers",
    "GATEWAY_LOG_LEVEL": "log_level",
    "GATEWAY_LOG_FORMAT": "log_format",
    "GATEWAY_GC_THRESHOLD": "gc_threshold",
    "GATEWAY_UPSTREAM_CONNECT_TIMEOUT": "connect_timeout",
    "GATEWAY_UPSTREAM_READ_TIMEOUT": "read_timeout",
    "GATEWAY_UPSTREAM_MAX_CONNECTIONS": "max_connections",
    "GATEWAY_UPSTREAM_TRANSPORT": "transport",
    "GATEWAY_PLANS": "plans",
    "GATEWAY_UPSTREAM_MAX_CONCURRENCY": "max_concurrency",
    "GATEWAY_REQUEST_TIMEOUT": "request_timeout",
    "GATEWAY_UPSTREAM_RETRY_ATTEMPTS": "retry_attempts",
    "GATEWAY_BREAKER_FAILURES": "breaker_failures",
    "GATEWAY_BREAKER_RESET_SECONDS": "breaker_reset_seconds",
    "GATEWAY_MAX_PAGE_SIZE": "max_page_size",
    "GATEWAY_DEFAULT_LANGUAGE": "default_language",
    "GATEWAY_MAX_DEPTH": "max_depth",
    "GATEWAY_MAX_ALIASES": "max_aliases",
    "GATEWAY_MAX_TOKENS": "max_tokens",
    "GATEWAY_MAX_QUERY_BYTES": "max_query_bytes",
    "GATEWAY_MAX_VARIABLES_BYTES": "max_variables_bytes",
    "GATEWAY_MAX_BODY_BYTES": "max_body_bytes",
    "GATEWAY_MAX_BATCH": "max_batch",
    "GATEWAY_MAX_COST": "max_cost",
    "GATEWAY_CORS_ORIGINS": "cors_origins",
    "GATEWAY_JWT_SECRET": "jwt_secret",
    "GATEWAY_JWKS_FILE": "jwks_file",
    "GATEWAY_JWKS_URL": "jwks_url",
    "GATEWAY_JWT_ISSUER": "jwt_issuer",
    "GATEWAY_JWT_AUDIENCE": "jwt_audience",
    "GATEWAY_TRACING": "tracing",
    "GATEWAY_SANDBOX_CUSTOMERS": "sandbox_customers",
    "GATEWAY_SANDBOX_SEED": "sandbox_seed",
    "GATEWAY_WRITE_LOCK_DIR": "write_lock_dir",
    "GATEWAY_WRITE_LOCK_WAIT": "write_lock_wait",
    "GATEWAY_IDENTITY_STORE": "identity_store",
    "GATEWAY_METRICS_DIR": "metrics_dir",
    "GATEWAY_VERIFY_MAX_FAILURES": "verify_max_failures",
    "GATEWAY_VERIFY_WINDOW_SECONDS": "verify_window_seconds",
    "GATEWAY_REDIS_URL": "redis_url",
    "GATEWAY_REDIS_PASSWORD": "redis_password",
    "GATEWAY_REDIS_CA_FILE": "redis_ca_file",
    "GATEWAY_REDIS_PREFIX": "redis_prefix",
    "GATEWAY_REDIS_TIMEOUT": "redis_timeout",
    "GATEWAY_WRITE_LOCK_LEASE": "write_lock_lease",
    "GATEWAY_RATE_LIMIT": "rate_limit",
    "GATEWAY_RATE_LIMIT_PER_OPERATION": "rate_limit_per_operation",
    "GATEWAY_RATE_LIMIT_WINDOW_SECONDS": "rate_limit_window_seconds",
    "GATEWAY_APQ": "apq",
    "GATEWAY_APQ_TTL_SECONDS": "apq_ttl_seconds",
    "GATEWAY_TRUSTED_DOCUMENTS": "trusted_documents",
    "GATEWAY_TRUSTED_DOCUMENTS_REQUIRE_ID": "trusted_documents_require_id",
}
SECRETS = frozenset({"GATEWAY_JWT_SECRET", "GATEWAY_REDIS_PASSWORD"})


def backend_variable(spec: BackendSpec[Any], name: str) -> str:
    """The environment variable of a back end's settings field: CLUBMED_BASE_URL."""
    return f"{spec.prefix}_{name.upper()}"


def backend_variables(spec: BackendSpec[Any]) -> dict[str, str]:
    """A back end's environment variables -> the fields of its settings they set."""
    return {
        backend_variable(spec, setting.name): setting.name
        for setting in fields(spec.settings)
        if setting.name not in spec.tuning
    }


def secret_variables(registry: Registry) -> frozenset[str]:
    """Every variable that may also come from a file (`<VARIABLE>_FILE`)."""
    return SECRETS | {backend_variable(spec, name) for spec in registry for name in spec.secrets}


def load_settings(
    environ: Mapping[str, str] | None = None, *, registry: Registry = BACKENDS
) -> Settings:
    """Settings from the environment, over the optional config file, over the defaults: the
    gateway's own and those of every back end of `registry`."""
    environ = os.environ if environ is None else environ
    names = [*ENVIRONMENT, *(name for spec in registry for name in backend_variables(spec))]
    secrets = secret_variables(registry)
    values: dict[str, str] = {}
    config_file = environ.get("CUSTOMER_GATEWAY_CONFIG")
    if config_file:
        values.update(_read_file(Path(config_file), names))
    for name in names:
        if name in secrets and f"{name}_FILE" in environ:
            if name in environ:
                raise ConfigError(f"set {name} or {name}_FILE, not both")
            values[name] = _read_secret(f"{name}_FILE", environ[f"{name}_FILE"])
        elif name in environ:
            values[name] = environ[name]
    settings = _apply(Settings(backends=_backends(registry, values)), values)
    settings = replace(settings, log_level=settings.log_level.lower())
    _validate(settings, registry, explicit=values)
    return settings


def hand_to_workers(
    variables: Mapping[str, str],
    *,
    jwt_secret: str | None = None,
    development_token: str | None = None,
    metrics_dir: str | None = None,
) -> None:
    """Put what `serve` settled in this process where uvicorn's workers read their settings:
    variables (the sandboxes' URLs and credentials), the development secret and token, and
    the directory of the workers' metrics (None: each process counts its own, and a
    directory inherited from the environment is dropped)."""
    handed = dict(variables)
    if jwt_secret is not None:
        handed["GATEWAY_JWT_SECRET"] = jwt_secret
    if development_token is not None:
        handed[DEVELOPMENT_TOKEN_VARIABLE] = development_token
    if metrics_dir is not None:
        handed[METRICS_DIR_VARIABLE] = metrics_dir
    else:
        os.environ.pop(METRICS_DIR_VARIABLE, None)
    os.environ.update(handed)


def handed_development_token(environ: Mapping[str, str] | None = None) -> str | None:
    """The development token `serve` handed to this worker, if it made one."""
    return (os.environ if environ is None else environ).get(DEVELOPMENT_TOKEN_VARIABLE)


def handed_metrics_dir(environ: Mapping[str, str] | None = None) -> str | None:
    """The directory of every worker's metrics that `serve` handed to this worker, if any."""
    return (os.environ if environ is None else environ).get(METRICS_DIR_VARIABLE) or None


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


def _read_file(path: Path, names: Collection[str]) -> dict[str, str]:
    try:
        document = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"CUSTOMER_GATEWAY_CONFIG: cannot read {path}: {exc}") from None
    table = document.get("customer-gateway", document)
    unknown = set(table) - set(names)
    if unknown:
        raise ConfigError(f"unknown settings in {path}: {sorted(unknown)}")
    return {key: str(value) for key, value in table.items()}


def _apply(settings: Settings, values: Mapping[str, str]) -> Settings:
    """`settings` with the gateway's own variables among `values`, each of its field's type."""
    kinds = {setting.name: _kind(setting) for setting in fields(Settings)}
    changes: dict[str, Any] = {  # values converted to each field's type
        ENVIRONMENT[name]: _convert(name, raw, kinds[ENVIRONMENT[name]])
        for name, raw in values.items()
        if name in ENVIRONMENT
    }
    return replace(settings, **changes)


def _backends(registry: Registry, values: Mapping[str, str]) -> dict[Backend, BackendSettings]:
    """Each back end's settings: its variables among `values` over its settings' defaults."""
    backends: dict[Backend, BackendSettings] = {}
    for spec in registry:
        kinds = {setting.name: _kind(setting) for setting in fields(spec.settings)}
        changes = {
            name: _convert(variable, values[variable], kinds[name])
            for variable, name in backend_variables(spec).items()
            if variable in values
        }
        backends[spec.backend] = spec.settings(**changes)
    return backends


def _kind(setting: Field[Any]) -> str:
    """A field's type as written: "int", "str | None" (annotations may be strings or not)."""
    kind = setting.type
    return kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))


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
    "verify_max_failures",
    "apq_ttl_seconds",
)
_SECONDS = (
    "connect_timeout",
    "read_timeout",
    "request_timeout",
    "breaker_reset_seconds",
    "write_lock_wait",
    "verify_window_seconds",
    "redis_timeout",
    "write_lock_lease",
    "rate_limit_window_seconds",
)
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
# Field of Settings -> its variable, for messages: "port" -> "GATEWAY_PORT".
_VARIABLES = {setting: name for name, setting in ENVIRONMENT.items()}


def _validate(settings: Settings, registry: Registry, explicit: Mapping[str, str]) -> None:
    _validate_choices(settings)
    _validate_backend_choices(settings, registry)
    _validate_numbers(settings)
    _validate_urls(settings, registry)
    _validate_origins(settings)
    if settings.jwks_file:
        read_jwks(settings.jwks_file)
    if settings.write_lock_dir and not os.path.isabs(settings.write_lock_dir):
        raise ConfigError("GATEWAY_WRITE_LOCK_DIR must be an absolute path")
    if settings.metrics_dir and not os.path.isabs(settings.metrics_dir):
        raise ConfigError("GATEWAY_METRICS_DIR must be an absolute path")
    _validate_identity_store(settings)
    _validate_redis(settings)
    validate_entity_cache(settings, registry)
    _validate_persisted(settings)
    if settings.mode == "production":
        _validate_production(settings, registry, explicit)
    _validate_credentials(settings, registry)


_REDIS_SCHEMES = ("redis", "rediss", "unix")
_REDIS_PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def _validate_redis(settings: Settings) -> None:
    """A Redis URL of a known scheme, a CA file only for rediss://, a lease past the deadline."""
    url = settings.redis_url
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in _REDIS_SCHEMES or not (parts.netloc or parts.path):
            raise ConfigError(
                "GATEWAY_REDIS_URL must be a redis://, rediss:// or unix:// URL, such as "
                "redis://127.0.0.1:6379/0"
            )
        if parts.password and settings.production:
            raise ConfigError(
                "GATEWAY_REDIS_URL carries a password: give it as GATEWAY_REDIS_PASSWORD_FILE"
            )
    if settings.redis_ca_file is not None:
        if url is None or not url.startswith("rediss://"):
            raise ConfigError("GATEWAY_REDIS_CA_FILE is for a rediss:// GATEWAY_REDIS_URL")
        if not os.path.isfile(settings.redis_ca_file):
            raise ConfigError("GATEWAY_REDIS_CA_FILE: no such file")
    if not _REDIS_PREFIX.fullmatch(settings.redis_prefix):
        raise ConfigError(
            "GATEWAY_REDIS_PREFIX must be letters, digits, '_', '.' or '-' (at most 64)"
        )
    if settings.write_lock_lease <= settings.request_timeout:
        raise ConfigError(
            "GATEWAY_WRITE_LOCK_LEASE must be longer than GATEWAY_REQUEST_TIMEOUT, so a lock "
            "outlives the update that holds it"
        )


# The longest a back end's cache TTL may be: Redis then holds personal data, never for longer.
MAX_CACHE_TTL = 86_400.0


def validate_entity_cache(settings: Settings, registry: Registry = BACKENDS) -> None:
    """Each cache TTL from 0 (off) to a day; a cache in memory for one process only.

    Also checked by `serve` after --workers (gateway/cli.py): several workers without Redis
    could not invalidate each other's memory, and would serve what another one changed.
    """
    cached = []
    for spec in registry:
        ttl = settings.backend(spec).cache_ttl
        variable = backend_variable(spec, "cache_ttl")
        if not (math.isfinite(ttl) and 0 <= ttl <= MAX_CACHE_TTL):
            raise ConfigError(
                f"{variable} must be a number of seconds from 0 (off) to {MAX_CACHE_TTL:.0f}"
            )
        if ttl > 0:
            cached.append(variable)
    if cached and settings.workers > 1 and settings.redis_url is None:
        raise ConfigError(
            f"{cached[0]} with {settings.workers} workers (GATEWAY_WORKERS or --workers) needs "
            "GATEWAY_REDIS_URL: workers cannot invalidate each other's in-process cache"
        )


def _validate_persisted(settings: Settings) -> None:
    """APQ on or off; a manifest that reads as one of the two formats (gateway/trusted.py)."""
    for name in ("apq", "trusted_documents_require_id"):
        if getattr(settings, name) not in ("on", "off"):
            raise ConfigError(f"{_VARIABLES[name]} must be on or off")
    if settings.trusted_documents is None:
        if settings.trusted_documents_require_id == "on":
            raise ConfigError(
                "GATEWAY_TRUSTED_DOCUMENTS_REQUIRE_ID needs GATEWAY_TRUSTED_DOCUMENTS"
            )
        return
    trusted_documents(settings.trusted_documents)


def trusted_documents(path: str) -> TrustedDocuments:
    """The manifest of GATEWAY_TRUSTED_DOCUMENTS, or a ConfigError saying what is wrong."""
    try:
        return read_manifest(path)
    except ManifestError as error:
        raise ConfigError(f"GATEWAY_TRUSTED_DOCUMENTS: {error}") from None


def _validate_identity_store(settings: Settings) -> None:
    """`redis` with a Redis to use, or an absolute file path whose directory exists (the
    file is made at start)."""
    path = settings.identity_store
    if path == REDIS_STORE:
        if settings.redis_url is None:
            raise ConfigError(
                "GATEWAY_IDENTITY_STORE=redis needs GATEWAY_REDIS_URL: the fleet's Redis holds "
                "the links"
            )
        return
    if path is None:
        return
    if not os.path.isabs(path) or path.endswith(os.sep):
        raise ConfigError("GATEWAY_IDENTITY_STORE must be an absolute path of a file")
    if os.path.isdir(path):
        raise ConfigError("GATEWAY_IDENTITY_STORE is a directory, not a file")
    if not os.path.isdir(os.path.dirname(path)):
        raise ConfigError("GATEWAY_IDENTITY_STORE: its directory does not exist")


def _validate_choices(settings: Settings) -> None:
    if settings.mode not in ("development", "production"):
        raise ConfigError("GATEWAY_MODE must be development or production")
    if settings.log_format not in ("", "json", "text"):
        raise ConfigError("GATEWAY_LOG_FORMAT must be json or text")
    if settings.log_format == "text" and settings.mode == "production":
        raise ConfigError("GATEWAY_LOG_FORMAT=text is for development: production logs JSON")
    if settings.log_level not in LOG_LEVELS:
        raise ConfigError(
            f"GATEWAY_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {settings.log_level!r}"
        )
    if settings.transport not in ("aiohttp", "httpx"):
        raise ConfigError("GATEWAY_UPSTREAM_TRANSPORT must be aiohttp or httpx")
    if settings.plans not in ("on", "off"):
        raise ConfigError("GATEWAY_PLANS must be on or off")
    if settings.tracing not in ("off", "console", "otlp"):
        raise ConfigError("GATEWAY_TRACING must be off, console or otlp")
    if not settings.host.strip():
        raise ConfigError("GATEWAY_HOST must not be empty")
    if not _LANGUAGE_TAG.fullmatch(settings.default_language):
        raise ConfigError("GATEWAY_DEFAULT_LANGUAGE must be a language tag, such as en-US")


def _validate_backend_choices(settings: Settings, registry: Registry) -> None:
    for spec in registry:
        backend = settings.backend(spec)
        for name, allowed in spec.choices.items():
            if getattr(backend, name) not in allowed:
                alternatives = f"{', '.join(allowed[:-1])} or {allowed[-1]}"
                raise ConfigError(f"{backend_variable(spec, name)} must be {alternatives}")


def _validate_numbers(settings: Settings) -> None:
    for name in _AT_LEAST_ONE:
        if getattr(settings, name) < 1:
            raise ConfigError(f"{_VARIABLES[name]} must be at least 1")
    for name in _SECONDS:
        value = getattr(settings, name)
        if not (math.isfinite(value) and value > 0):
            raise ConfigError(f"{_VARIABLES[name]} must be a number of seconds above 0")
    if not 1 <= settings.port <= 65535:
        raise ConfigError("GATEWAY_PORT must be between 1 and 65535")
    for name in ("rate_limit", "rate_limit_per_operation"):
        if getattr(settings, name) < 0:
            raise ConfigError(f"{_VARIABLES[name]} must be 0 (no limit) or more")
    if settings.gc_threshold < 0:
        raise ConfigError("GATEWAY_GC_THRESHOLD must be 0 (CPython's default) or more")


def _validate_urls(settings: Settings, registry: Registry) -> None:
    """Absolute http(s) URLs; in production https, but to a loopback address (a TLS sidecar)."""
    urls = [
        (backend_variable(spec, name), getattr(settings.backend(spec), name))
        for spec in registry
        for name in spec.urls
    ]
    for variable, url in [*urls, ("GATEWAY_JWKS_URL", settings.jwks_url)]:
        if url is None:
            continue
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


def _validate_production(
    settings: Settings, registry: Registry, explicit: Mapping[str, str]
) -> None:
    # No embedded sandbox and no development credential in production.
    needed = [
        backend_variable(spec, name)
        for spec in registry
        for name in ("base_url", *spec.credentials)
    ]
    missing = [name for name in needed if not explicit.get(name)]
    if not settings.has_caller_keys:
        missing.append("GATEWAY_JWT_SECRET or GATEWAY_JWKS_FILE or GATEWAY_JWKS_URL")
    if missing:
        raise ConfigError(f"production mode needs {', '.join(sorted(missing))}")


def _validate_credentials(settings: Settings, registry: Registry) -> None:
    """A back end with a base URL needs all its credentials: the embedded sandbox's are given
    only to a back end without one (gateway/cli.py)."""
    for spec in registry:
        backend = settings.backend(spec)
        missing = [
            backend_variable(spec, name)
            for name in spec.credentials
            if getattr(backend, name) is None
        ]
        if backend.base_url and missing:
            url = backend_variable(spec, "base_url")
            raise ConfigError(f"{url} is set: {', '.join(missing)} must be set too")
