"""CareCloud's dates and datetimes: `YYYY-MM-DD HH:MM:SS` in the project's local time without
offset (this sandbox's project runs on UTC), and the date forms its filters take."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sandboxes.common import parse_iso_date

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_DOTTED_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")


def now_text() -> str:
    """A CareCloud datetime: project-local time without offset; the sandbox's project is UTC."""
    return datetime.now(UTC).strftime(DATETIME_FORMAT)


def parse_filter_date(value: str) -> date | None:
    """The birthdate filter takes YYYY-MM-DD or DD.MM.YYYY
    ([DOC] docs/backends/carecloud.md#conventions)."""
    dotted = _DOTTED_DATE.match(value)
    if dotted:
        day, month, year = dotted.groups()
        value = f"{year}-{month}-{day}"
    return parse_iso_date(value)


def parse_datetime(value: object) -> datetime | None:
    """A CareCloud datetime `YYYY-MM-DD HH:MM:SS` (requests may use a "T"), as naive UTC."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.replace("T", " "), DATETIME_FORMAT)
    except ValueError:
        return None


def validity(item: Mapping[str, Any], now: datetime) -> bool:
    """Whether `valid_from <= now <= valid_to` (either bound may be absent or a date)."""
    start = _bound(item.get("valid_from"), end=False)
    stop = _bound(item.get("valid_to"), end=True)
    return (start is None or start <= now) and (stop is None or now <= stop)


def _bound(value: object, *, end: bool) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    if len(value) == 10:
        value += " 23:59:59" if end else " 00:00:00"
    return parse_datetime(value)
