"""The benchmark's yardstick makes exactly the minimal upstream calls of each operation."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator

import pytest

from bench.critical_path import Upstreams, _run
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
def sandbox() -> Iterator[str]:
    with BackgroundServer(create_sandbox_app(CONFIG)) as server:
        yield server.url


async def _clubmed_ids(url: str) -> list[str]:
    up = Upstreams(url, "transport")
    await up.login()
    found = await up.cm.call("GET", "/v1/customers", filter='last_name=="Smith"', limit=50, page=1)
    await up.aclose()
    return [str(item["id"]) for item in found]


@pytest.mark.parametrize("send", ["transport", "client"])
@pytest.mark.parametrize("operation", [*MINIMUM, "nodes_50"])
def test_the_yardstick_makes_the_minimal_calls(sandbox: str, send: str, operation: str) -> None:
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


def test_the_graphql_floor_makes_no_upstream_call_once_answers_are_recorded(sandbox: str) -> None:
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
                **sandbox_variables(sandbox, Settings()),
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
