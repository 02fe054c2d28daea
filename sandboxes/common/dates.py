"""Dates as the sandboxes read them in requests."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

_ISO_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_iso_date(value: str) -> date | None:
    """A real calendar date written YYYY-MM-DD, and nothing else (no time, no week date)."""
    if not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
