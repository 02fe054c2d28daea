"""Each worker freezes start-up's objects and collects young garbage less often."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from gateway import app
from gateway.app import create_app_from_environment
from gateway.cli import sandbox_variables
from gateway.config import ConfigError, Settings, load_settings


@pytest.fixture
def collector() -> Iterator[None]:
    """The collector as this test process had it, put back afterwards."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def _environment(monkeypatch: pytest.MonkeyPatch, threshold: str) -> None:
    for name, value in sandbox_variables("http://127.0.0.1:9", Settings()).items():
        monkeypatch.setenv(name, value)  # <backend>_BASE_URL http://127.0.0.1:9/<backend>, ...
    monkeypatch.setenv("GATEWAY_GC_THRESHOLD", threshold)
    # The factory configures logging too: not here, where the session captures the logs.
    monkeypatch.setattr(app, "configure_logging", lambda *arguments: None)


def test_a_worker_freezes_start_up_and_raises_the_young_threshold(
    collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _environment(monkeypatch, "12345")
    gc.unfreeze()
    create_app_from_environment()
    assert gc.get_threshold() == (12345, 2, 2)
    assert gc.get_freeze_count() > 0


def test_zero_leaves_cpythons_collector_alone(
    collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _environment(monkeypatch, "0")
    gc.unfreeze()
    before = gc.get_threshold()
    create_app_from_environment()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_negative_threshold_is_refused() -> None:
    with pytest.raises(ConfigError, match="GATEWAY_GC_THRESHOLD"):
        load_settings({"GATEWAY_GC_THRESHOLD": "-1"})
