"""pyproject's strict override is `--strict`, flag for flag, whatever mypy's version.

mypy takes `strict = true` only globally (in an override it switches strict on for every
module), so the override lists the flags `--strict` sets; a mypy that adds one to strict
fails here until it is listed. The list is mypy's own (`mypy.main.define_options`): if that
moves in an upgrade, this fails loudly too.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from mypy.main import define_options
from mypy.options import PER_MODULE_OPTIONS

ROOT = Path(__file__).resolve().parents[1]
STRICT_PACKAGES = {"adapters.*", "gateway.*", "sandboxes.*"}


def _mypy_config() -> dict[str, Any]:
    config: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["mypy"]


def test_the_strict_override_sets_every_flag_of_strict() -> None:
    config = _mypy_config()
    _, _, flags = define_options()
    strict = dict(flags)
    overrides = [o for o in config["overrides"] if set(o["module"]) >= STRICT_PACKAGES]
    assert len(overrides) == 1
    override = overrides[0]
    assert "strict" not in override and "strict" not in config
    per_module = {name: value for name, value in strict.items() if name in PER_MODULE_OPTIONS}
    global_only = {name: value for name, value in strict.items() if name not in per_module}
    assert {name: override.get(name) for name in per_module} == per_module
    assert {name: config.get(name) for name in global_only} == global_only
