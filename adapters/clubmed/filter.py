"""The `filter` expression of Club Med's customer search, built from a CustomerFilter.

[INF] docs/backends/clubmed.md#filter: only `filter=last_name==Smith` is public. CONTRACT.md fixes
the grammar we speak: criteria `field==value` joined by `;` (AND). Every value is sent quoted with
`"`, `\\` escaping `\\` and `"`, so a value holding `;`, `==`, quotes or backslashes
(`Smith;email==x@y.z`) stays one value and can never add a criterion.
"""

from __future__ import annotations

import re
from typing import Final

from adapters.dates import yyyymmdd
from adapters.errors import UpstreamBadRequest
from adapters.model import Backend, CustomerFilter

BACKEND: Final = Backend.CLUBMED

# CustomerFilter criterion -> Club Med filter field, in the order they are written.
FILTER_FIELDS: Final = (
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("email", "email"),
    ("phone", "phones.number"),
    ("birthdate", "birthdate"),
    ("membership_number", "gm_number"),
)


def quoted(value: str) -> str:
    """A filter value in double quotes: `\\` and `"` escaped with `\\`."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def phone_for_search(number: str) -> str:
    """The digits of a phone, a leading "+" kept: Club Med compares digits ([INF] CONTRACT.md)."""
    digits = re.sub(r"\D", "", number)
    if not digits:
        raise UpstreamBadRequest(BACKEND, "the phone has no digits", field="phone")
    return f"+{digits}" if number.strip().startswith("+") else digits


def filter_expression(filter: CustomerFilter) -> str:
    """`first_name=="John";last_name=="Smith"`; a filter without criteria is refused."""
    criteria: list[str] = []
    for name, field in FILTER_FIELDS:
        value = getattr(filter, name)
        if value is None or value == "":
            continue
        if name == "birthdate":
            text = yyyymmdd(value)
        elif name == "phone":
            text = phone_for_search(value)
        else:
            text = str(value).strip()
        criteria.append(f"{field}=={quoted(text)}")
    if not criteria:
        raise UpstreamBadRequest(BACKEND, "a search needs at least one criterion", field="filter")
    return ";".join(criteria)
