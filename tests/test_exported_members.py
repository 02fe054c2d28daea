"""Each package's stated public surface, pinned as httpx pins its own
(httpx's tests/test_exported_members.py): `__all__` is exactly what the package's
`__init__` binds, and every name in it imports. Its order is ruff's (RUF022).

A package's own submodules are not names it exports: Python sets them as attributes when
they are imported (`adapters.carecloud.mapping`), and they are reached by their path.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from types import ModuleType

import pytest

import adapters
import sandboxes

# Every package of the edge and the simulators: a fourth back end's folders join by
# themselves.
PACKAGES = ["adapters", "sandboxes"] + sorted(
    found.name
    for root in (adapters, sandboxes)
    for found in pkgutil.walk_packages(root.__path__, f"{root.__name__}.")
    if found.ispkg
)


def _bound(package: ModuleType) -> set[str]:
    """The public names of the package's namespace, its own submodules left out."""
    return {
        name
        for name, value in vars(package).items()
        if not name.startswith("_")
        and not (isinstance(value, ModuleType) and value.__name__ == f"{package.__name__}.{name}")
    }


@pytest.mark.parametrize("name", PACKAGES)
def test_all_imports_are_exported(name: str) -> None:
    package = importlib.import_module(name)
    exported: list[str] = package.__all__
    bound = _bound(package)
    assert len(set(exported)) == len(exported), "a name listed twice"
    assert sorted(bound - set(exported)) == [], "bound by the __init__, missing from __all__"
    assert sorted(set(exported) - bound) == [], "in __all__, not bound by the __init__"


def test_every_exported_name_imports_in_a_fresh_interpreter() -> None:
    probe = (
        "import importlib\n"
        f"for name in {PACKAGES!r}:\n"
        "    namespace = {}\n"
        "    exec(f'from {name} import *', namespace)\n"
        "    assert set(importlib.import_module(name).__all__) <= set(namespace), name\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
