"""`serve --workers 2`: one scrape of /metrics counts every worker's requests (issue 17),
whichever worker takes it, and /readyz names the worker (replica) that answered."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from adapters.model import Backend
from gateway.config import METRICS_DIR_VARIABLE
from tests.conftest import RunningSandbox
from tests.gateway.conftest import token
from tests.gateway_process import serve_gateway

ROOT = Path(__file__).resolve().parents[2]
OPERATION = "WorkersCount"
DOCUMENT = f"query {OPERATION} {{ __typename }}"
REQUESTS = 20


@dataclass
class Served:
    url: str
    metrics_dir: Path


def _leave_a_stale_count(directory: Path) -> None:
    """A worker file of an earlier run, counting one request of the operation: `serve` must
    not add it to this run's."""
    script = (
        "import sys\n"
        "from gateway.metrics import Metrics\n"
        f"Metrics(sys.argv[1]).operations.labels({OPERATION!r}, 'ok').observe(0.1)\n"
    )
    environment = {**os.environ, METRICS_DIR_VARIABLE: str(directory)}
    subprocess.run(
        [sys.executable, "-c", script, str(directory)], cwd=ROOT, env=environment, check=True
    )


def _worker_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.suffix == ".db")


@pytest.fixture(scope="module")
def served(
    gateway_sandboxes: dict[Backend, RunningSandbox], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """`serve --workers 2` (stopped at the end, always), its metrics in a directory of ours."""
    base = tmp_path_factory.mktemp("workers")
    metrics_dir = base / "metrics"
    metrics_dir.mkdir()
    _leave_a_stale_count(metrics_dir)
    assert _worker_files(metrics_dir)
    log = base / "serve.log"
    settings = {"GATEWAY_METRICS_DIR": str(metrics_dir)}
    with serve_gateway(gateway_sandboxes, settings, workers=2, log=log) as url:
        yield Served(url, metrics_dir)
    # Stopped: the workers' files are gone with them (none to count in a later run).
    assert _worker_files(metrics_dir) == [], log.read_text()


def _replicas(url: str, attempts: int) -> set[str]:
    """The replicas that answered /readyz, each asked on a fresh connection, until two have
    (at most `attempts` times): the second worker may still be starting."""
    seen: set[str] = set()
    for _ in range(attempts):
        ready = httpx.get(f"{url}/readyz", timeout=10)  # a fresh connection each time
        assert ready.status_code == 200, ready.text
        seen.add(ready.json()["replica"])
        if len(seen) == 2:
            break
        time.sleep(0.05)
    return seen


def _count_per_worker(directory: Path) -> dict[str, float]:
    """Requests of the operation each worker counted, from its own file (by pid)."""
    counts: dict[str, float] = {}
    for path in directory.glob("histogram_*.db"):
        for family in MultiProcessCollector.merge([str(path)]):
            for sample in family.samples:
                if sample.name.endswith("_count") and sample.labels["operation"] == OPERATION:
                    pid = path.stem.removeprefix("histogram_")
                    counts[pid] = counts.get(pid, 0) + sample.value
    return counts


def _scraped_count(url: str) -> float:
    text = httpx.get(f"{url}/metrics", timeout=10).text  # a fresh connection: any worker
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "gateway_operations_seconds_count"
        and sample.labels.get("operation") == OPERATION
    )


def test_readyz_names_each_worker(served: Served) -> None:
    replicas = _replicas(served.url, attempts=200)
    assert len(replicas) == 2, replicas
    host = socket.gethostname()
    assert all(re.fullmatch(rf"{re.escape(host)}:\d+", replica) for replica in replicas)


def test_one_scrape_counts_every_workers_requests(served: Served) -> None:
    assert len(_replicas(served.url, attempts=200)) == 2  # both workers are up

    def ask(_: int) -> None:
        response = httpx.post(  # a fresh connection each time, for either worker to take
            f"{served.url}/graphql",
            json={"query": DOCUMENT, "operationName": OPERATION},
            headers={"authorization": f"Bearer {token()}"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        assert "errors" not in response.json(), response.text

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(ask, range(REQUESTS)))
    # Both workers took some: a scrape answered from one worker's registry alone is short.
    per_worker = _count_per_worker(served.metrics_dir)
    assert sum(per_worker.values()) == REQUESTS, per_worker
    assert len([count for count in per_worker.values() if count > 0]) == 2, per_worker
    for _ in range(3):
        assert _scraped_count(served.url) == REQUESTS


def test_the_breakers_are_one_series_per_back_end(served: Served) -> None:
    """The worst state among live workers ("livemax"): no pid label, written by the workers
    (a gauge of a function would read 0 from the files whatever the breaker said)."""
    text = httpx.get(f"{served.url}/metrics", timeout=10).text
    breakers = [line for line in text.splitlines() if line.startswith("gateway_breaker_state{")]
    assert sorted(breakers) == [
        'gateway_breaker_state{backend="carecloud"} 0.0',
        'gateway_breaker_state{backend="clubmed"} 0.0',
        'gateway_breaker_state{backend="relay"} 0.0',
    ]
