"""The application's state: what the lifespan builds once and every request reads.

Hung on `app.state` under one key and read by `gateway_state`, so that a typo is a type
error rather than a silent bug, and nothing else keeps process-wide objects by name.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.applications import Starlette

from adapters.base import CustomerAdapter
from adapters.model import Backend
from adapters.upstream import CircuitBreaker
from gateway.caller_limits import CallerLimits
from gateway.config import Settings
from gateway.fleet import Fleet
from gateway.metrics import Metrics
from gateway.people import Identity
from gateway.ratelimit import FailureLimit


@dataclass(frozen=True, slots=True)
class GatewayState:
    """Process-wide: made in the lifespan, shared by every request, closed with the app."""

    settings: Settings
    adapters: dict[Backend, CustomerAdapter]
    breakers: dict[Backend, CircuitBreaker]
    metrics: Metrics
    # The verify actions' count of wrong secrets per login value (gateway/ratelimit.py).
    verify_failures: FailureLimit
    # What the replicas share (Redis) or this process keeps alone (gateway/fleet/).
    fleet: Fleet
    # Callers' rate limits over the fleet's counter (gateway/caller_limits.py).
    caller_limits: CallerLimits
    # The token GraphiQL opens with, in development mode only (printed at start).
    development_token: str | None = None
    # Stewards' decisions, person ids, the matcher (issue 16); None in an app built without.
    identity: Identity | None = None


def hang(app: Starlette, state: GatewayState) -> None:
    """Make `state` the application's, for `gateway_state` to find."""
    app.state.gateway = state


def gateway_state(app: Starlette) -> GatewayState:
    """The state the lifespan built (an AttributeError before it has run)."""
    state: GatewayState = app.state.gateway
    return state
