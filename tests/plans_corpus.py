"""Every query document the test session executes, kept to run through both executors.

`record_documents` wraps the schema's `execute` for the whole session (tests/conftest.py);
tests/gateway/test_zy_plans_corpus.py, moved to the session's end, runs each recorded query
on graphql-core alone and from its compiled plan, and compares the answers.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

import orjson
from graphql import GraphQLError, OperationType, get_operation_ast, parse

from gateway.app import create_app
from gateway.auth import Caller
from gateway.config import Settings
from gateway.context import Context
from gateway.plans.cache import PlanCache
from gateway.plans.executor import plans_of
from gateway.schema import GatewaySchema, create_schema
from gateway.state import gateway_state

# Enough for the whole suite's distinct queries; a runaway test cannot grow it further.
MOST: int = 20_000


@dataclass(frozen=True, slots=True)
class Recorded:
    query: str
    variables: str  # JSON, for a hashable key
    operation_name: str | None
    subject: str
    scopes: frozenset[str]


CORPUS: dict[Recorded, None] = {}


def _is_query(query: str, operation_name: str | None) -> bool:
    try:
        operation = get_operation_ast(parse(query), operation_name)
    except GraphQLError:
        return False
    return operation is not None and operation.operation is OperationType.QUERY


def record(query: Any, variables: Any, operation_name: Any, context: Any) -> None:
    """Keep one query document as the session ran it (mutations are never planned)."""
    if len(CORPUS) >= MOST or not isinstance(query, str) or not isinstance(context, Context):
        return
    caller = context.caller
    if caller is None or not _is_query(query, operation_name):
        return
    try:
        encoded = json.dumps(variables or {}, sort_keys=True)
    except (TypeError, ValueError):
        return
    CORPUS[Recorded(query, encoded, operation_name, caller.subject, caller.scopes)] = None


def plan_cache(schema: Any) -> PlanCache:
    """The plans of a schema made with plans on."""
    found = plans_of(schema)
    assert found is not None, "the schema runs no plan"
    return found


Execute = Callable[..., Awaitable[Any]]


def record_documents() -> Callable[[], None]:
    """Record every execution of every gateway schema from now on; returns the undoing."""
    original: Execute = GatewaySchema.execute

    async def execute(self: GatewaySchema, query: Any, *args: Any, **kwargs: Any) -> Any:
        named = dict(
            zip(
                ("variable_values", "context_value", "root_value", "operation_name"),
                args,
                strict=False,
            )
        )
        named.update(kwargs)
        record(
            query,
            named.get("variable_values"),
            named.get("operation_name"),
            named.get("context_value"),
        )
        return await original(self, query, *args, **kwargs)

    GatewaySchema.execute = execute  # type: ignore[method-assign,assignment]

    def undo() -> None:
        GatewaySchema.execute = original  # type: ignore[method-assign,assignment]

    return undo


def _errors(errors: list[GraphQLError] | None) -> list[bytes]:
    # graphql-core itself records concurrent fields' errors in the order they fail.
    return sorted(orjson.dumps(e.formatted, option=orjson.OPT_SORT_KEYS) for e in errors or [])


async def _answer(
    schema: GatewaySchema, settings: Settings, adapters: Any, recorded: Recorded
) -> tuple[bytes, list[bytes], bytes]:
    context = Context(settings, adapters, Caller(recorded.subject, recorded.scopes))
    result = await schema.execute(
        recorded.query,
        variable_values=json.loads(recorded.variables),
        context_value=context,
        operation_name=recorded.operation_name,
    )
    extensions = orjson.dumps(result.extensions or {}, option=orjson.OPT_SORT_KEYS)
    return orjson.dumps(result.data), _errors(result.errors), extensions


async def compare_executions(
    settings: Settings, documents: list[Recorded]
) -> tuple[int, list[str]]:
    """How many documents ran from a plan, and every difference in their answers."""
    app = create_app(settings)
    differences: list[str] = []
    async with app.router.lifespan_context(app):
        adapters = gateway_state(app).adapters
        on = create_schema(settings)
        off = create_schema(replace(settings, plans="off"))
        plans = plan_cache(on)
        for recorded in documents:
            expected = await _answer(off, settings, adapters, recorded)
            runs = plans.runs
            got = await _answer(on, settings, adapters, recorded)
            if expected[0] != b"null" and plans.runs != runs + 1:
                differences.append(f"not run from a plan: {recorded.query[:300]!r}")
            if got != expected:
                differences.append(
                    f"{recorded.query[:300]!r} variables={recorded.variables[:200]}:\n"
                    f"  graphql-core {expected[0][:400]!r} {expected[1][:2]}\n"
                    f"  plan         {got[0][:400]!r} {got[1][:2]}"
                )
    return plans.runs, differences
