"""How a sandbox is started: how many generated customers, from which seed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    customers: int = 1000  # generated customers per back end, besides the seed examples
    seed: int = 42  # the same seed gives the same people
    # Lifetime of the bearer tokens the sandboxes issue (Club Med OAuth2, CareCloud login).
    token_ttl_seconds: float = 3600.0
