"""The GraphQL floor: what executing each benchmark operation costs with no upstream at all.

    .venv/bin/python -m bench.graphql_floor [--ops 2000] [--customers 2000]

Runs each operation of the benchmark's mix on the gateway's own schema (`Schema.execute`,
Strawberry and graphql-core, our resolvers and dataloaders, a fresh context per operation)
with the adapters' answers replayed from memory: every upstream answer is fetched once from
an in-process sandbox and then served from a dict. No upstream call, no HTTP serving, no
JSON encoding of the answer. Beside it, the critical-path client's CPU for the same
operation (bench/critical_path.py, the transport-level yardstick of bench.run, against the
same sandbox), and the floor again with compiled plans off (GATEWAY_PLANS=off), interleaved.
Figures go to bench/results/graphql-floor-<date>[-<label>].json.

The gateway's CPU per operation is at least the floor plus the yardstick (it makes the same
calls on the same stack), so `1 + floor / yardstick` is the best ratio to the yardstick any
gateway on this schema could show: above 1.5, the target is out of reach of this stack.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import statistics
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from adapters.base import CustomerAdapter
from bench.cpu_time import cpu_seconds_per_call
from bench.critical_path import measure_critical_path
from bench.operations import OPERATIONS
from bench.run import RESULTS, ROOT
from bench.sandbox_urls import one_process
from gateway.app import create_app
from gateway.auth import ALL_SCOPES, Caller
from gateway.cli import sandbox_variables
from gateway.config import Settings, load_settings
from gateway.context import Context
from gateway.schema import GatewaySchema, create_schema
from gateway.state import gateway_state
from sandboxes import BackgroundServer, SandboxConfig, create_sandbox_app

# The adapter methods the mix reaches; each answer is recorded once, then replayed.
REPLAYED = (
    "search",
    "get_customer",
    "list_travelers",
    "list_travel_documents",
    "create_customer",
    "update_customer",
)


def replay(adapter: CustomerAdapter) -> None:
    """Make `adapter` answer each distinct call from memory after its first real answer."""
    for name in REPLAYED:
        real: Callable[..., Awaitable[Any]] = getattr(adapter, name)
        answers: dict[str, Any] = {}

        async def replayed(*args: Any, _real: Any = real, _answers: Any = answers) -> Any:
            key = repr(args)
            if key not in _answers:
                _answers[key] = await _real(*args)
            return _answers[key]

        setattr(adapter, name, replayed)


class Floor:
    """Executes documents on the schema with a fresh per-request context each time."""

    def __init__(
        self, schema: GatewaySchema, settings: Settings, adapters: dict[Any, CustomerAdapter]
    ) -> None:
        self.schema = schema
        self.settings = settings
        self.adapters = adapters
        self.caller = Caller("bench", frozenset(ALL_SCOPES))

    async def execute(self, query: str, variables: dict[str, Any]) -> Any:
        context = Context(self.settings, self.adapters, self.caller, request_id="bench")
        result = await self.schema.execute(query, variable_values=variables, context_value=context)
        if result.errors:
            raise SystemExit(f"the operation answered errors: {result.errors[:1]}")
        return result.data

    async def cpu_ms(self, query: str, variables: dict[str, Any], ops: int) -> float:
        return await cpu_seconds_per_call(lambda: self.execute(query, variables), ops) * 1000


async def measure(sandbox_url: str, ops: int) -> dict[str, dict[str, float]]:
    settings = load_settings(
        {
            "GATEWAY_JWT_SECRET": "graphql-floor-" + "x" * 32,
            **sandbox_variables(sandbox_url, Settings()),
        }
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        adapters = gateway_state(app).adapters
        floor = Floor(create_schema(settings), settings, adapters)
        found = await floor.execute(
            '{ customers(filter: {lastName: "Smith"}, backends: [CLUBMED], first: 50) '
            "{ edges { node { id } } } }",
            {},
        )
        ids = [edge["node"]["id"] for edge in found["customers"]["edges"]]
        variables: dict[str, dict[str, Any]] = {
            "customer_everything": {"id": ids[0]},
            "nodes_50": {"ids": ids[:50]},
            "update_customer": {"id": ids[1]},
        }
        for adapter in adapters.values():
            replay(adapter)
        # The same floor without compiled plans (GATEWAY_PLANS=off), interleaved with it.
        unplanned = Floor(create_schema(replace(settings, plans="off")), settings, adapters)
        figures: dict[str, dict[str, float]] = {}
        for name, query in OPERATIONS.items():
            values = variables.get(name, {})
            on: list[float] = []
            off: list[float] = []
            for _ in range(3):
                on.append(await floor.cpu_ms(query, values, ops))
                off.append(await unplanned.cpu_ms(query, values, ops))
            figures[name] = {
                "floor_cpu_ms": round(statistics.median(on), 3),
                "floor_cpu_ms_plans_off": round(statistics.median(off), 3),
            }
    bodies = {
        name: json.dumps({"query": query, "variables": variables.get(name, {})})
        for name, query in OPERATIONS.items()
    }
    for name, row in figures.items():
        path = measure_critical_path(
            name, one_process(sandbox_url), bodies, [1], ops=max(ops // 2, 200)
        )
        row["yardstick_cpu_ms"] = round(path[1]["cpu_s_per_1000"], 3)
        row["best_ratio"] = round(1 + row["floor_cpu_ms"] / row["yardstick_cpu_ms"], 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ops", type=int, default=2000, help="operations timed per row")
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--label", default="", help="suffix of the results file, e.g. plans")
    args = parser.parse_args()
    config = SandboxConfig(customers=args.customers, seed=42)
    with BackgroundServer(create_sandbox_app(config)) as sandbox:
        figures = asyncio.run(measure(sandbox.url, args.ops))
    print(
        f"{'operation':26s} {'floor ms':>9s} {'plans off':>10s} {'yardstick ms':>13s} "
        f"{'best ratio':>11s}"
    )
    for name, row in figures.items():
        print(
            f"{name:26s} {row['floor_cpu_ms']:9.3f} {row['floor_cpu_ms_plans_off']:10.3f} "
            f"{row['yardstick_cpu_ms']:13.3f} {row['best_ratio']:10.2f}x"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = f"-{args.label}" if args.label else ""
    out = RESULTS / f"graphql-floor-{datetime.date.today().isoformat()}{suffix}.json"
    out.write_text(json.dumps({"settings": vars(args), "operations": figures}, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
