"""The benchmark's yardstick makes exactly the minimal upstream calls of each operation."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest

from adapters.model import Backend
from bench.critical_path import Upstreams, _run
from bench.sandbox_urls import SandboxUrls, one_process
from sandboxes import BackgroundServer, SandboxConfig, create_sandbox_app

# Enough Smiths on both back ends to fill a merged page of 20 (10 from each).
CONFIG = SandboxConfig(customers=3000, seed=42)
MINIMUM = {
    "search_profile_travelers": 22,  # 2 searches, then profile + travelers of 10 Club Med
    "customer_everything": 3,
    "search_fields_only": 2,
    "search_clubmed_profile_travelers": 21,  # 1 search, then profile + travelers of 10
    "create_customer": 2,
    "update_customer": 2,
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxUrls]:
    """The three back ends in one process, as `bench.run --sandbox-processes one` starts them."""
    with BackgroundServer(create_sandbox_app(CONFIG)) as server:
        yield one_process(server.url)


@pytest.fixture(scope="module")
def per_backend() -> Iterator[SandboxUrls]:
    """One process per back end, as `bench.run` starts them by default."""
    with ExitStack() as stack:
        yield {
            backend: stack.enter_context(
                BackgroundServer(create_sandbox_app(CONFIG, (backend,)))
            ).url
            for backend in Backend
        }


async def _clubmed_ids(sandboxes: SandboxUrls) -> list[str]:
    up = Upstreams(sandboxes, "transport")
    await up.login()
    found = await up.cm.call("GET", "/v1/customers", filter='last_name=="Smith"', limit=50, page=1)
    await up.aclose()
    return [str(item["id"]) for item in found]


@pytest.mark.parametrize("send", ["transport", "client"])
@pytest.mark.parametrize("operation", [*MINIMUM, "nodes_50"])
def test_the_yardstick_makes_the_minimal_calls(
    sandbox: SandboxUrls, send: str, operation: str
) -> None:
    ids = asyncio.run(_clubmed_ids(sandbox))
    assert len(ids) >= 10
    result = asyncio.run(_run(operation, sandbox, ids, [1], 5, send))
    assert result["calls"] == MINIMUM.get(operation, min(len(ids), 50))
    assert result["1"]["p50_ms"] > 0 and result["1"]["cpu_s_per_1000"] > 0


def test_the_baseline_is_a_worktree_of_the_revision_removed_afterwards() -> None:
    from bench.run import ROOT, baseline_checkout

    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    with baseline_checkout("HEAD") as (path, commit):
        assert commit == head
        assert (path / "gateway" / "cli.py").is_file()
        checked_out = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        assert checked_out == head
    assert not path.exists()
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "list"], capture_output=True, text=True
    ).stdout
    assert str(path) not in listed


def test_the_graphql_floor_makes_no_upstream_call_once_answers_are_recorded(
    sandbox: SandboxUrls,
) -> None:
    from bench.graphql_floor import Floor, replay
    from bench.operations import OPERATIONS
    from bench.run import sandbox_calls
    from gateway.app import create_app
    from gateway.cli import sandbox_variables
    from gateway.config import Settings, load_settings
    from gateway.schema import create_schema
    from gateway.state import gateway_state

    async def run() -> None:
        settings = load_settings(
            {
                "GATEWAY_JWT_SECRET": "floor-test-" + "x" * 32,
                **sandbox_variables(sandbox[Backend.CLUBMED], Settings()),
            }
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            adapters = gateway_state(app).adapters
            floor = Floor(create_schema(settings), settings, adapters)
            for adapter in adapters.values():
                replay(adapter)
            query = OPERATIONS["search_profile_travelers"]
            first = await floor.execute(query, {})
            recorded = sandbox_calls(sandbox)
            assert recorded > 0
            again = await floor.execute(query, {})
            assert sandbox_calls(sandbox) == recorded
            assert again == first and len(first["customers"]["edges"]) == 20

    asyncio.run(run())


def test_the_yardstick_runs_on_a_process_per_back_end(per_backend: SandboxUrls) -> None:
    """In its own process, given each back end's URL (`--sandbox clubmed=URL,...`)."""
    from bench.critical_path import measure_critical_path
    from bench.operations import OPERATIONS
    from gateway.ids import CUSTOMER, encode_id

    ids = [encode_id(CUSTOMER, Backend.CLUBMED, i) for i in asyncio.run(_clubmed_ids(per_backend))]
    nodes = {"query": OPERATIONS["nodes_50"], "variables": {"ids": ids}}
    for operation in ("search_profile_travelers", "customer_everything"):
        result = measure_critical_path(
            operation, per_backend, {"nodes_50": json.dumps(nodes)}, [1], 5
        )
        assert result["calls"] == MINIMUM[operation]


def test_bench_run_reaches_each_back_end_on_its_own_process(per_backend: SandboxUrls) -> None:
    """bench.run's counters, faults and gateway variables, one URL per back end."""
    from bench.run import reset_counters, sandbox_calls, set_faults
    from bench.sandbox_urls import gateway_variables
    from gateway.config import Settings

    set_faults(per_backend, {"latency_ms": 1})
    reset_counters(per_backend)
    for backend, url in per_backend.items():
        assert httpx.get(f"{url}/{backend}/_sandbox/faults").json()["latency_ms"] == 1
        assert httpx.get(f"{url}/{backend}/openapi.json").status_code == 200
    assert sandbox_calls(per_backend) == 3
    reset_counters(per_backend)
    set_faults(per_backend, {})
    assert sandbox_calls(per_backend) == 0
    variables = gateway_variables(per_backend, Settings())
    for backend, url in per_backend.items():
        assert variables[f"{backend.name}_BASE_URL"] == f"{url}/{backend}"


def test_the_sandbox_layouts() -> None:
    from bench.sandbox_urls import as_argument, from_argument, sandbox_ports, sandbox_urls

    one = sandbox_urls(sandbox_ports("one", 18100))
    assert one == one_process("http://127.0.0.1:18100")
    per = sandbox_urls(sandbox_ports("per-backend", 18100))
    assert [per[b] for b in Backend] == [f"http://127.0.0.1:{p}" for p in (18100, 18101, 18102)]
    assert from_argument(as_argument(per)) == per
    assert from_argument("http://127.0.0.1:18100") == one
