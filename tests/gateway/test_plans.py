"""Compiled plans (gateway/plans): the same answers as graphql-core's when back ends fail,
one plan per document and @skip/@include values, never a mutation, and the setting."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from adapters.model import Backend
from gateway.app import create_app
from gateway.auth import ALL_SCOPES, Caller
from gateway.config import ConfigError, Settings, load_settings
from gateway.context import Context
from gateway.plans.executor import PlannedExecutor
from gateway.schema import create_schema
from gateway.state import gateway_state
from sandboxes.common.faults import FaultSettings
from tests.conftest import RunningSandbox
from tests.gateway.conftest import gateway_settings
from tests.plans_corpus import Recorded, compare_executions, plan_cache

EVERYONE = frozenset(ALL_SCOPES)
SEARCH = """query ($last: String!) {
  customers(filter: {lastName: $last}, first: 6) {
    totalCount
    edges { node { id lastName locale phones { e164 }
      travelers { id firstName } travelDocuments { number } } }
  }
}"""
SWITCHED = """query ($with: Boolean!) {
  customers(filter: {lastName: "Smith"}, first: 2) {
    edges { node { id email @include(if: $with) } }
  }
}"""


@pytest.fixture
def sandboxes(
    gateway_sandboxes: dict[Backend, RunningSandbox],
) -> Iterator[dict[Backend, RunningSandbox]]:
    for sandbox in gateway_sandboxes.values():
        sandbox.reset()
    yield gateway_sandboxes
    for sandbox in gateway_sandboxes.values():
        sandbox.reset()


def _settings(sandboxes: dict[Backend, RunningSandbox], tmp_path: Path) -> Settings:
    # One try per call and no breaker in the way: each execution meets the same failures.
    return gateway_settings(
        sandboxes,
        identity_store=str(tmp_path / "id.sqlite"),
        retry_attempts=1,
        breaker_failures=1000,
    )


def _documents(query: str, *variables: dict[str, object]) -> list[Recorded]:
    return [Recorded(query, json.dumps(v), None, "plans", EVERYONE) for v in variables]


@pytest.mark.parametrize(
    ("backend", "fault"),
    [
        # Profiles unreadable: every Club Med customer's profile fields fail, and their
        # non-null fields take their parents down with them.
        (Backend.CLUBMED, FaultSettings(malformed_rate=1.0, path_prefix="/v2/customers")),
        # Travelers and travel documents failing: list fields of each customer.
        (Backend.CLUBMED, FaultSettings(error_rate=1.0, path_prefix="/v1/customers/")),
        # One back end of the federated search down: partial results beside data.
        (Backend.CARECLOUD, FaultSettings(error_rate=1.0)),
        (Backend.RELAY, FaultSettings(malformed_rate=1.0)),
    ],
)
def test_failing_back_ends_answer_the_same_from_a_plan(
    sandboxes: dict[Backend, RunningSandbox], tmp_path: Path, backend: Backend, fault: FaultSettings
) -> None:
    sandboxes[backend].app.faults.settings = fault
    documents = _documents(SEARCH, {"last": "Smith"}, {"last": "Jones"})
    planned, differences = asyncio.run(
        compare_executions(_settings(sandboxes, tmp_path), documents)
    )
    assert differences == []
    assert planned == len(documents)


async def _run(settings: Settings, query: str, variables: list[dict[str, bool]]) -> tuple[int, int]:
    """Runs `query` with each set of variables; the cache's plans and runs after."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        adapters = gateway_state(app).adapters
        schema = create_schema(settings)
        for values in variables:
            context = Context(settings, adapters, Caller("plans", EVERYONE))
            result = await schema.execute(query, variable_values=values, context_value=context)
            assert result.errors is None, result.errors
        plans = plan_cache(schema)
        return len(plans), plans.runs


def test_a_document_is_planned_once_per_skip_and_include_values(
    sandboxes: dict[Backend, RunningSandbox], tmp_path: Path
) -> None:
    settings = _settings(sandboxes, tmp_path)
    same: list[dict[str, bool]] = [{"with": True}] * 3
    assert asyncio.run(_run(settings, SWITCHED, same)) == (1, 3)
    both: list[dict[str, bool]] = [{"with": True}, {"with": False}] * 2
    assert asyncio.run(_run(settings, SWITCHED, both)) == (2, 4)


def test_mutations_and_plans_off_run_on_graphql_core(
    sandboxes: dict[Backend, RunningSandbox], tmp_path: Path
) -> None:
    settings = _settings(sandboxes, tmp_path)
    off = create_schema(replace(settings, plans="off")).execution_context_class
    assert not issubclass(off, PlannedExecutor)
    mutation = (
        'mutation { createCustomer(input: {backend: CLUBMED, firstName: "Plan", '
        'lastName: "Mutation", email: "plan.mutation.%s@example.com"}) { customer { id } } }'
    )
    query = '{ customers(filter: {lastName: "Smith"}, first: 1) { totalCount } }'

    async def runs_after(*documents: str) -> int:
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            schema = create_schema(settings)
            for document in documents:
                context = Context(settings, gateway_state(app).adapters, Caller("plans", EVERYONE))
                result = await schema.execute(document, context_value=context)
                assert result.errors is None, result.errors
            return plan_cache(schema).runs

    assert asyncio.run(runs_after(mutation % 1)) == 0
    assert asyncio.run(runs_after(mutation % 2, query)) == 1


def test_the_setting_takes_on_or_off_only() -> None:
    assert load_settings({"GATEWAY_PLANS": "off"}).plans == "off"
    assert load_settings({}).plans == "on"
    with pytest.raises(ConfigError, match="GATEWAY_PLANS must be on or off"):
        load_settings({"GATEWAY_PLANS": "both"})
