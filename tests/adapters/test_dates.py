"""Every date form the back ends (and their seeds) write, read by the one shared reader."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.dates import parse_date, yyyymmdd


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1985-02-12", date(1985, 2, 12)),
        ("19850212", date(1985, 2, 12)),
        ("12.02.1985", date(1985, 2, 12)),
        ("02/12/1985", date(1985, 2, 12)),
        ("1985-02-12 10:00:00", date(1985, 2, 12)),
        ("1985-02-12T10:00:00", date(1985, 2, 12)),
        ("985-02-12", date(985, 2, 12)),  # the seed's typo, read literally
        ("1985-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (19850212, None),
    ],
)
def test_dates_in_every_form(text: object, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_club_meds_compact_form() -> None:
    assert yyyymmdd(date(1980, 1, 17)) == "19800117"
    assert yyyymmdd(date(985, 2, 3)) == "09850203"
    assert parse_date(yyyymmdd(date(2030, 7, 1))) == date(2030, 7, 1)
