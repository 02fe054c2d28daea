"""The import rules of STYLE.md, checked in a fresh interpreter (as click's test_imports)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from adapters.model import Backend

# The back ends whose adapter exists in this checkout (Club Med and Relay are not built yet).
BUILT = [b.value for b in Backend if importlib.util.find_spec(f"adapters.{b.value}.adapter")]

PROBE = """
import importlib, json, sys
before = set(sys.modules)
importlib.import_module({module!r})
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def _imported_by(module: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(result.stdout))


@pytest.mark.parametrize("backend", BUILT)
def test_adapters_never_import_the_gateway_or_strawberry(backend: str) -> None:
    for part in ("adapter", "client", "mapping", "sandbox"):
        loaded = _imported_by(f"adapters.{backend}.{part}")
        assert not {m for m in loaded if m.split(".")[0] in ("gateway", "strawberry")}, part


@pytest.mark.parametrize("backend", BUILT)
def test_a_back_end_imports_no_other_back_end(backend: str) -> None:
    others = {f"adapters.{b.value}" for b in Backend} - {f"adapters.{backend}"}
    loaded = _imported_by(f"adapters.{backend}.adapter")
    assert not {m for m in loaded if any(m.startswith(o) for o in others)}


@pytest.mark.parametrize("backend", BUILT)
def test_a_sandbox_does_not_import_its_own_client_or_mapping(backend: str) -> None:
    loaded = _imported_by(f"adapters.{backend}.sandbox")
    forbidden = {f"adapters.{backend}.{m}" for m in ("client", "mapping", "adapter", "auth")}
    assert not loaded & forbidden


def test_the_upstream_package_imports_nothing_of_the_gateway() -> None:
    """One exchange with a back end is the adapters' own: metrics and tracing are injected."""
    for part in ("", ".send", ".policy", ".wire", ".observer", ".credentials"):
        loaded = _imported_by(f"adapters.upstream{part}")
        assert not {m for m in loaded if m.split(".")[0] in ("gateway", "strawberry")}, part
