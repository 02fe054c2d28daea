"""What the gateway needs to know of a back end to configure and build it: its `BackendSpec`.

Each back-end package exports one `SPEC`; `adapters/registry.py` lists them. The gateway
reads every back end's settings from the environment by its spec (`<PREFIX>_<FIELD>`, a
secret also as `<PREFIX>_<FIELD>_FILE`) and builds its adapter with the spec's factory, so a
back end is wired in one place: its own folder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from adapters.base import CustomerAdapter
from adapters.locks import RecordLocks
from adapters.model import Backend
from adapters.upstream import ResponseCache, TokenStore, Upstream

__all__ = ["BackendSettings", "BackendSpec", "MissingSetting", "Resources", "required"]


class BackendSettings(Protocol):
    """A back end's settings: a frozen dataclass whose every field has a default, its cache
    TTL among them."""

    @property
    def base_url(self) -> str | None: ...

    # Seconds a record read is kept by the entity cache (issue 17); 0: not cached.
    @property
    def cache_ttl(self) -> float: ...


S = TypeVar("S", bound=BackendSettings)


@dataclass(frozen=True, slots=True)
class Resources:
    """What the gateway makes once and shares with the back ends that need it."""

    # Per-record write locks, shared by the host's workers (CareCloud's read-merge-PUT), or
    # by the fleet's replicas when the gateway has a Redis.
    locks: RecordLocks
    # Where logins' tokens are shared by the fleet (None: each process logs in itself).
    tokens: TokenStore | None = None
    # The entity cache of each back end whose cache TTL is on (none: every read goes upstream).
    caches: Mapping[Backend, ResponseCache] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BackendSpec(Generic[S]):
    """One back end as the gateway configures and builds it."""

    backend: Backend
    # Of its environment variables: CLUBMED -> CLUBMED_BASE_URL, CLUBMED_CLIENT_ID, ...
    prefix: str
    # Its settings type: each field is a variable, but those in `tuning`.
    settings: type[S]
    # Its adapter, on the Upstream the gateway opened to its base URL.
    adapter: Callable[[S, Upstream, Resources], CustomerAdapter]
    # Fields that may also come from a file (`<PREFIX>_<FIELD>_FILE`).
    secrets: frozenset[str] = frozenset()
    # Fields required with a base URL (and in production): they have no default.
    credentials: tuple[str, ...] = ()
    # Fields that are absolute http(s) URLs, checked as such.
    urls: tuple[str, ...] = ("base_url",)
    # Fields that take one of a few values.
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Fields no variable sets: the client's tuning, given in code (tests, benchmarks).
    tuning: frozenset[str] = frozenset()


class MissingSetting(ValueError):
    """A setting a back end cannot work without has no value; `field` names it."""

    def __init__(self, field: str) -> None:
        super().__init__(f"{field} is not set")
        self.field = field


def required(value: str | None, field: str) -> str:
    """`value` of the settings' `field`, which must be set by the time a client is built."""
    if not value:
        raise MissingSetting(field)
    return value
