"""CareCloud's sub-resource items -> the neutral records: lenient, typed, ids required."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from adapters.carecloud import records
from adapters.errors import UpstreamMalformed
from adapters.relationships import RecordState


def test_amounts_are_decimals_read_through_their_text() -> None:
    credit = records.credit(
        {"credit_id": "c", "assigned_credits": 0.1, "available_credits": 3}, "x"
    )
    assert (credit.assigned_credits, credit.available_credits) == (Decimal("0.1"), Decimal(3))


def test_a_field_in_another_type_is_none_not_a_failure() -> None:
    point = records.point_record(
        {"point_id": "p", "available_points": "n/a", "valid_to": 20, "state": 7, "new": 1}, "x"
    )
    assert (point.available_points, point.valid_to, point.state) == (None, None, None)
    assert records.number(True) is None and records.integer(True) is None


def test_datetimes_and_dates_in_carecloud_forms() -> None:
    assert records.moment("2020-08-06 10:31:09") == datetime(2020, 8, 6, 10, 31, 9)
    assert records.moment("2020-08-06T10:31:09") == datetime(2020, 8, 6, 10, 31, 9)
    assert records.moment("2012-11-22 20:56:05.333756") == datetime(2012, 11, 22, 20, 56, 5)
    assert records.moment("2020-08-06") == datetime(2020, 8, 6)
    assert records.day("2031-12-31 23:59:59") == date(2031, 12, 31)


def test_states_and_a_blocked_card() -> None:
    assert [records.state(n) for n in (0, 1, 2)] == [
        RecordState.DELETED,
        RecordState.ACTIVE,
        RecordState.INACTIVE,
    ]
    assert records.card({"card_id": "c", "state": 0}, "x").blocked is True
    assert records.card({"card_id": "c"}, "x").blocked is None


def test_property_values_keep_their_type() -> None:
    def value(raw: object) -> object:
        found = {"property_record_id": "p:x", "property_id": "p", "property_value": raw}
        return records.customer_property(found, "x").value

    assert [value(v) for v in ("a", 2, 2.5, False, None)] == ["a", 2, 2.5, False, None]
    assert value([1, "b"]) == (1, "b") and value({"k": 1}) == {"k": 1}
    assert records.property_value_json((1, "b")) == [1, "b"]


@pytest.mark.parametrize("route", [records.PURCHASES, records.INTERESTS, records.CARDS])
def test_an_item_without_its_id_is_malformed(route: records.Route[object]) -> None:
    with pytest.raises(UpstreamMalformed) as refused:
        route.read({"interest_id": "i", "card_number": "2001"}, "x")
    assert "2001" not in str(refused.value)
