"""Metrics: one registry per app in one process; under several workers, each worker's values
in the shared directory, its breakers written there and forgotten when it is gone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.model import Backend
from gateway.config import ConfigError
from gateway.metrics import Metrics
from gateway.metrics_files import workers_metrics_dir

ROOT = Path(__file__).resolve().parents[2]
CLUBMED_BREAKER = 'gateway_breaker_state{backend="clubmed"}'


def test_each_app_in_one_process_counts_its_own() -> None:
    """Tests build several apps in one process: each renders its own registry, as before."""
    first, second = Metrics(), Metrics()
    first.operations.labels("Mine", "ok").observe(0.1)
    first.watch_breaker(Backend.CLUBMED, lambda: "open")
    second.watch_breaker(Backend.CLUBMED, lambda: "closed")
    assert 'gateway_operations_seconds_count{operation="Mine",outcome="ok"} 1.0' in (
        first.render().decode()
    )
    assert "Mine" not in second.render().decode()
    assert f"{CLUBMED_BREAKER} 2.0" in first.render().decode()
    assert f"{CLUBMED_BREAKER} 0.0" in second.render().decode()


def test_a_shared_directory_needs_prometheus_client_to_know_it(tmp_path: Path) -> None:
    """This process imported prometheus_client without PROMETHEUS_MULTIPROC_DIR: its values
    stay in memory, and a worker built so would count nothing of what a scrape reads."""
    with pytest.raises(RuntimeError, match="PROMETHEUS_MULTIPROC_DIR"):
        Metrics(str(tmp_path))


# One worker, in a fresh interpreter: its clubmed breaker in the state given, then either
# left as a killed worker leaves it, or rendered (then closed, as its lifespan ends).
_WORKER = """
import json, os, sys
from adapters.model import Backend
from gateway.metrics import Metrics

directory, state, then = sys.argv[1:]
metrics = Metrics(directory)
metrics.watch_breaker(Backend.CLUBMED, lambda: state)
text = metrics.render().decode() if then == "render" else ""
if then == "render":
    metrics.close()
print(json.dumps({"pid": os.getpid(), "text": text}))
"""


def _worker(directory: Path, state: str, then: str) -> tuple[int, str]:
    environment = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    done = subprocess.run(
        [sys.executable, "-c", _WORKER, str(directory), state, then],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer = json.loads(done.stdout)
    return int(answer["pid"]), str(answer["text"])


def test_a_workers_breakers_are_written_and_forgotten_when_it_is_gone(tmp_path: Path) -> None:
    killed, _ = _worker(tmp_path, "open", then="leave")
    assert (tmp_path / f"gauge_livemax_{killed}.db").exists()
    # The killed worker said nothing: a scrape finds it gone, its open breaker is not shown.
    _, text = _worker(tmp_path, "closed", then="render")
    assert f"{CLUBMED_BREAKER} 0.0" in text
    assert not (tmp_path / f"gauge_livemax_{killed}.db").exists()
    # The state is written to the file a scrape reads (a gauge of a function would read 0).
    closed, text = _worker(tmp_path, "open", then="render")
    assert f"{CLUBMED_BREAKER} 2.0" in text
    assert not (tmp_path / f"gauge_livemax_{closed}.db").exists()  # closed: marked dead


def test_a_given_metrics_directory_loses_only_the_workers_files(tmp_path: Path) -> None:
    given = tmp_path / "metrics"
    given.mkdir()
    (given / "histogram_123.db").write_bytes(b"of an earlier run")
    (given / "gauge_livemax_123.db").write_bytes(b"of an earlier run")
    (given / "notes.txt").write_text("the operator's")
    with workers_metrics_dir(str(given)) as directory:
        assert directory == str(given)
        assert sorted(p.name for p in given.iterdir()) == ["notes.txt"]
        (given / "counter_456.db").write_bytes(b"of this run")
    assert sorted(p.name for p in given.iterdir()) == ["notes.txt"]


def test_the_default_metrics_directory_is_private_and_removed() -> None:
    with workers_metrics_dir(None) as directory:
        assert Path(directory).stat().st_mode & 0o777 == 0o700
        (Path(directory) / "counter_456.db").write_bytes(b"of this run")
    assert not Path(directory).exists()


def test_an_unusable_metrics_directory_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with (
        pytest.raises(ConfigError, match="GATEWAY_METRICS_DIR"),
        workers_metrics_dir(str(tmp_path / "a-file" / "metrics")),
    ):
        pass
