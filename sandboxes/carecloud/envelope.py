"""CareCloud's answers: every body is `{"data": ...}`
([DOC] docs/backends/carecloud.md#conventions), and a list is
`{"data": {"<key>": [...], "total_items": N}}`, sorted and windowed by the paging parameters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.responses import JSONResponse

from sandboxes.carecloud.errors import NOT_ALLOWED_VALUE, invalid
from sandboxes.carecloud.parameters import Paging


def data(payload: object, status_code: int = 200) -> JSONResponse:
    """CareCloud's envelope around an answer."""
    return JSONResponse({"data": payload}, status_code=status_code)


def page_of(items: Sequence[dict[str, Any]], key: str, window: Paging | None) -> JSONResponse:
    """A list body `{"data": {key: [...], "total_items": N}}`, sorted and windowed."""
    if window is None:
        return data({key: list(items), "total_items": len(items)})
    ordered = list(items)
    if window.sort_field is not None:
        name = window.sort_field
        if ordered and name not in ordered[0]:
            raise invalid("sort_field", NOT_ALLOWED_VALUE, "This field cannot be sorted by", name)
        ordered.sort(key=lambda item: sort_key(item.get(name)), reverse=window.descending)
    chosen = ordered[window.offset : window.offset + window.count]
    return data({key: chosen, "total_items": len(items)})


def sort_key(value: object) -> tuple[int, str]:
    """Sort None first, then by text (numbers zero-padded so 9 < 10)."""
    if value is None:
        return (0, "")
    if isinstance(value, bool | int | float):
        return (1, f"{float(value):030.6f}")
    return (2, str(value))
