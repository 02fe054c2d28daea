"""The per-request Context: built in a line, over the state the lifespan built."""

from __future__ import annotations

import asyncio

import pytest

from adapters.model import Backend
from gateway.app import create_app
from gateway.auth import ALL_SCOPES, Caller
from gateway.context import Context
from gateway.state import GatewayState, gateway_state
from tests.conftest import RunningSandbox
from tests.gateway.conftest import gateway_settings


def test_a_context_is_built_in_a_line_with_fresh_loaders(
    gateway_sandboxes: dict[Backend, RunningSandbox],
) -> None:
    settings = gateway_settings(gateway_sandboxes)
    caller = Caller("bench", frozenset(ALL_SCOPES))

    async def two() -> tuple[Context, Context]:  # in a loop, as a request's: DataLoaders ask for it
        return Context(settings, {}, caller), Context(settings, {}, caller)

    first, second = asyncio.run(two())
    assert first.loaders is not second.loaders  # a loader's cache never outlives its request
    assert first.call is not second.call and first.request_id == "-"
    assert first.caller is caller and not first.partial_errors


def test_the_lifespan_builds_the_one_state(
    gateway_sandboxes: dict[Backend, RunningSandbox],
) -> None:
    settings = gateway_settings(gateway_sandboxes)
    app = create_app(settings)

    async def run() -> GatewayState:
        async with app.router.lifespan_context(app):
            return gateway_state(app)

    state = asyncio.run(run())
    assert set(state.adapters) == set(Backend) == set(state.breakers)
    assert state.settings.jwt_secret == settings.jwt_secret
    assert state.development_token is None  # only in development mode without keys
    with pytest.raises(AttributeError):
        gateway_state(create_app(settings))  # before its lifespan, an app has none


def test_only_the_state_module_reaches_into_starlettes_state_bags() -> None:
    """Per-request state travels in the Context, process-wide state in GatewayState."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "gateway"
    reaching = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "app.state" in path.read_text() or "request.state" in path.read_text()
    }
    assert reaching == {"state.py"}
