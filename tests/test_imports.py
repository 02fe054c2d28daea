"""The import rules of docs/style.md#conventions (item 1), checked in a fresh interpreter (as
click's test_imports).

gateway ──> adapters <── sandboxes (only adapters.model, for the Backend enum)
   └──(gateway.cli's development path only)──> sandboxes
gateway.identity ──> adapters.model only (and nothing of the gateway outside itself)
gateway ──> adapters.<back end> only through adapters.registry (each SPEC)
"""

from __future__ import annotations

import ast
import importlib.util
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import sandboxes
from adapters.model import Backend

# The back ends whose adapter exists in this checkout (Club Med and Relay are not built yet).
BUILT = [b.value for b in Backend if importlib.util.find_spec(f"adapters.{b.value}.adapter")]
# Every module of the sandboxes package, imported together in one interpreter.
SANDBOX_MODULES = sorted(
    module.name for module in pkgutil.walk_packages(sandboxes.__path__, "sandboxes.")
)

PROBE = """
import importlib, json, sys
before = set(sys.modules)
for module in {modules!r}:
    importlib.import_module(module)
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def _imported_by(*modules: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(modules=list(modules))],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(result.stdout))


def _of(package: str, loaded: set[str]) -> set[str]:
    return {m for m in loaded if m == package or m.startswith(package + ".")}


@pytest.mark.parametrize("backend", BUILT)
def test_adapters_never_import_the_gateway_or_strawberry(backend: str) -> None:
    for part in ("adapter", "client", "mapping"):
        loaded = _imported_by(f"adapters.{backend}.{part}")
        assert not {m for m in loaded if m.split(".")[0] in ("gateway", "strawberry")}, part
        assert not _of("sandboxes", loaded), part


@pytest.mark.parametrize("backend", BUILT)
def test_a_back_end_imports_no_other_back_end(backend: str) -> None:
    others = {f"adapters.{b.value}" for b in Backend} - {f"adapters.{backend}"}
    loaded = _imported_by(f"adapters.{backend}.adapter")
    assert not {m for m in loaded if any(m.startswith(o) for o in others)}


def test_the_sandboxes_import_nothing_of_adapters_but_the_model_and_nothing_of_gateway() -> None:
    assert len(SANDBOX_MODULES) > 30  # the walk found the package's modules
    loaded = _imported_by(*SANDBOX_MODULES)
    assert _of("adapters", loaded) <= {"adapters", "adapters.model"}
    assert not _of("gateway", loaded)
    assert not _of("strawberry", loaded)


@pytest.mark.parametrize("backend", [b.value for b in Backend])
def test_a_sandbox_never_imports_an_adapter_module(backend: str) -> None:
    loaded = _imported_by(f"sandboxes.{backend}.app")
    assert f"sandboxes.{backend}.app" in loaded
    assert not {m for m in loaded if m.startswith(tuple(f"adapters.{b.value}" for b in Backend))}
    assert _of("adapters", loaded) <= {"adapters", "adapters.model"}


@pytest.mark.parametrize("module", ["gateway.cli", "gateway.app", "gateway.config"])
def test_the_product_loads_no_sandbox_code(module: str) -> None:
    # gateway.cli imports the sandboxes inside its development path only (serve without a
    # back-end URL, and the `sandbox` command), never when it is imported.
    loaded = _imported_by(module)
    assert module in loaded
    assert not _of("sandboxes", loaded)


def _sandbox_imports(path: Path) -> list[tuple[str, bool]]:
    """(function or "<module>", under TYPE_CHECKING) of each import of sandboxes in a file."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, where: str, typing_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name, typing_only)
            elif isinstance(child, ast.If) and ast.unparse(child.test) == "TYPE_CHECKING":
                visit(child, where, True)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                names = [a.name for a in child.names] if isinstance(child, ast.Import) else []
                names.append(getattr(child, "module", None) or "")
                if any(n == "sandboxes" or n.startswith("sandboxes.") for n in names):
                    found.append((where, typing_only))
            else:
                visit(child, where, typing_only)

    visit(ast.parse(path.read_text()), "<module>", False)
    return found


def test_only_the_clis_development_path_imports_the_sandboxes() -> None:
    root = Path(__file__).resolve().parents[1]
    product = sorted([*(root / "gateway").rglob("*.py"), *(root / "adapters").rglob("*.py")])
    importers = {
        str(path.relative_to(root)): imports
        for path in product
        if (imports := _sandbox_imports(path))
    }
    assert set(importers) == {"gateway/cli.py"}
    at_run_time = {where for where, typing_only in importers["gateway/cli.py"] if not typing_only}
    assert at_run_time == {"serve", "sandbox", "sandbox_credentials"}


def test_the_upstream_package_imports_nothing_of_the_gateway() -> None:
    """One exchange with a back end is the adapters' own: metrics and tracing are injected."""
    for part in ("", ".send", ".policy", ".wire", ".observer", ".credentials"):
        loaded = _imported_by(f"adapters.upstream{part}")
        assert not {m for m in loaded if m.split(".")[0] in ("gateway", "strawberry")}, part


def test_only_the_configuration_touches_the_environment() -> None:
    """docs/style.md#conventions, item 8: `gateway/config.py` reads `os.environ`, and writes it for
    `serve`'s workers (`hand_to_workers`); no other module of the product names it."""
    root = Path(__file__).resolve().parents[1]
    product = sorted([*(root / "gateway").rglob("*.py"), *(root / "adapters").rglob("*.py")])
    touching = {
        str(path.relative_to(root))
        for path in product
        for node in ast.walk(ast.parse(path.read_text()))
        if (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "putenv"))
        or (isinstance(node, ast.alias) and node.name in ("environ", "getenv", "putenv"))
    }
    assert touching == {"gateway/config.py"}


def test_identity_imports_only_the_model_of_adapters_and_nothing_else_of_the_gateway() -> None:
    """Identity resolution is domain logic: it runs over the model, whoever calls it."""
    root = Path(__file__).resolve().parents[1]
    modules = sorted(
        "gateway.identity" + (f".{path.stem}" if path.stem != "__init__" else "")
        for path in (root / "gateway" / "identity").glob("*.py")
    )
    assert len(modules) > 5
    loaded = _imported_by(*modules)
    assert _of("adapters", loaded) <= {"adapters", "adapters.model"}
    assert _of("gateway", loaded) - _of("gateway.identity", loaded) == {"gateway"}
    assert not _of("sandboxes", loaded)
    assert not _of("strawberry", loaded) and not _of("httpx", loaded)


def test_the_gateway_reaches_a_back_end_only_through_the_registry() -> None:
    """No gateway module names a back-end package: each is wired by its SPEC, listed once in
    `adapters/registry.py`, so a fourth back end touches no gateway file."""
    root = Path(__file__).resolve().parents[1]
    packages = tuple(f"adapters.{b.value}" for b in Backend)
    naming = {
        str(path.relative_to(root))
        for path in sorted((root / "gateway").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom)
        and node.module
        and (node.module in packages or node.module.startswith(tuple(f"{p}." for p in packages)))
    }
    assert naming == set()
    registry = ast.parse((root / "adapters" / "registry.py").read_text())
    imported = {
        f"{node.module}.{alias.name}"
        for node in ast.walk(registry)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert set(packages) <= imported
