"""The ISO date the CareCloud and Relay sandboxes read in requests: that form, and a real day."""

from __future__ import annotations

from datetime import date

import pytest

from sandboxes.common.dates import parse_iso_date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1990-03-12", date(1990, 3, 12)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2023-02-29", None),  # not a real day
        ("19900312", None),
        ("1990-3-12", None),
        ("1990-W11-1", None),
        ("1990-03-12T00:00:00", None),
        ("12.03.1990", None),
        ("", None),
    ],
)
def test_only_a_real_yyyy_mm_dd_date(text: str, expected: date | None) -> None:
    assert parse_iso_date(text) == expected
