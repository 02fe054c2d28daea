"""README's settings tables (Configuration, and the security and operations tables beside
them) give every setting the gateway reads a row, and no row names a setting it does not."""

from __future__ import annotations

import re
from pathlib import Path

from adapters.registry import BACKENDS
from gateway.config import ENVIRONMENT, backend_variables

README = Path(__file__).resolve().parents[1] / "README.md"
# A row's first cell: `NAME` or `NAME` / `OTHER` (two settings documented together).
_PREFIXES = ("GATEWAY_", *(f"{spec.prefix}_" for spec in BACKENDS))
_ROW = re.compile(r"^\| ((?:`[A-Z0-9_]+`(?: / | \(or `_FILE`\))?)+) \|", re.MULTILINE)


def documented() -> set[str]:
    text = README.read_text()
    return {name for cell in _ROW.findall(text) for name in re.findall(r"`([A-Z0-9_]+)`", cell)}


def test_every_setting_has_a_row_and_every_row_is_a_setting() -> None:
    settings = set(ENVIRONMENT) | {name for spec in BACKENDS for name in backend_variables(spec)}
    rows = documented()
    assert sorted(settings - rows) == [], "settings without a row in README"
    unknown = {name for name in rows - settings if name.startswith(_PREFIXES)}
    assert sorted(unknown) == [], "rows in README for settings that nothing reads"
