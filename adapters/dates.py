"""Dates as the back ends write them, read into `datetime.date`; the model speaks ISO only.

Club Med writes yyyymmdd (search, profile, travelers, documents) and the seed's traveler
yyyy-mm-dd; CareCloud yyyy-mm-dd and, in filters, DD.MM.YYYY; Relay yyyy-mm-dd and, in its
free-form `ext`, MM/DD/YYYY. One reader takes them all.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

__all__ = ["parse_date", "yyyymmdd"]

_DATE_FORMS: Final = (
    (re.compile(r"^(\d{3,4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("m", "d", "y")),
)


def parse_date(value: object) -> date | None:
    """A date in any form a back end or its seed writes; None when absent or unreadable.

    A datetime ("2024-05-01T10:00:00", "2024-05-01 10:00:00") gives its date part.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()[:10] if "T" not in value else value.split("T")[0]
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        # The common form first, in C (searches read one date per record).
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # e.g. "2024-5-01" is read below; "2024-13-01" is None there too
    for pattern, order in _DATE_FORMS:
        found = pattern.match(text)
        if found:
            parts = dict(zip(order, map(int, found.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


def yyyymmdd(day: date) -> str:
    """Club Med's compact form: 1980-01-17 -> "19800117"."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"
