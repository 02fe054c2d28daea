"""Merged values with their provenance, by the policy; conflicts with every source."""

from __future__ import annotations

from datetime import date, datetime

from adapters.model import Backend, Loyalty, Phone
from gateway.identity import MergePolicy, RecordKey, WinBy, conflicts, merge
from tests.gateway.identity.records import jan

CLUBMED, CARECLOUD, RELAY = Backend.CLUBMED, Backend.CARECLOUD, Backend.RELAY


def test_a_value_held_by_one_record_comes_from_it() -> None:
    merged = merge([jan(CLUBMED, "1", birthdate=None), jan(RELAY, "R1", middle_name="Karel")])
    assert merged.middle_name is not None and merged.middle_name.value == "Karel"
    assert merged.middle_name.source == RecordKey(RELAY, "R1")
    assert merged.birthdate is not None and merged.birthdate.source == RecordKey(RELAY, "R1")
    assert merged.birth_city is None


def test_source_priority_decides_by_default_and_is_configurable() -> None:
    records = [
        jan(RELAY, "R1", loyalty=Loyalty(status="turquoise")),
        jan(CLUBMED, "1", loyalty=Loyalty(status="TURQUOISE")),
        jan(CARECLOUD, "c1", loyalty=Loyalty(status="Basic")),
    ]
    merged = merge(records)
    assert merged.loyalty is not None
    assert merged.loyalty.source == RecordKey(CLUBMED, "1")
    assert merged.loyalty.won_by is WinBy.SOURCE_PRIORITY
    relay_first = merge(records, MergePolicy(source_priority=(RELAY, CARECLOUD, CLUBMED)))
    assert relay_first.loyalty is not None and relay_first.loyalty.source.backend is RELAY


def test_the_most_recent_record_wins_where_the_policy_says_and_dates_are_known() -> None:
    records = [
        jan(CLUBMED, "1", email="old@example.com"),
        jan(CARECLOUD, "c1", email="new@example.com"),
    ]
    updated = {
        RecordKey(CLUBMED, "1"): datetime(2024, 1, 1),
        RecordKey(CARECLOUD, "c1"): datetime(2025, 6, 1),
    }
    merged = merge(records, updated_at=updated)
    assert merged.email is not None
    assert (merged.email.value, merged.email.won_by) == ("new@example.com", WinBy.MOST_RECENT)
    undated = merge(records)  # no dates: the source priority decides, and says so
    assert undated.email is not None
    assert (undated.email.value, undated.email.won_by) == ("old@example.com", WinBy.SOURCE_PRIORITY)


def test_the_most_complete_value_wins_where_the_policy_says() -> None:
    records = [
        jan(CLUBMED, "1", locale="cs", first_name="Tomas", phones=(Phone("0623456789"),)),
        jan(RELAY, "R1", locale="cs-CZ", first_name="Tomáš", phones=(Phone("1"), Phone("2"))),
    ]
    merged = merge(records)
    for value in (merged.locale, merged.first_name, merged.phones):
        assert value is not None and value.source == RecordKey(RELAY, "R1")
        assert value.won_by is WinBy.MOST_COMPLETE
    by_priority = merge(records, MergePolicy(by_field={}))
    assert by_priority.locale is not None and by_priority.locale.value == "cs"


def test_conflicts_list_every_value_with_its_source_after_normalisation() -> None:
    records = [
        jan(CLUBMED, "1", loyalty=Loyalty(status="TURQUOISE"), locale="cs-CZ"),
        jan(CARECLOUD, "c1", loyalty=Loyalty(status="Basic"), locale="cs", last_name="NOVAK"),
        jan(RELAY, "R1", loyalty=Loyalty(status="turquoise"), birthdate=date(1984, 6, 11)),
    ]
    found = {c.field: c for c in conflicts(records)}
    # Case, accents, phone forms and a locale that only says less are not conflicts.
    assert set(found) == {"loyalty", "birthdate"}
    loyalty = found["loyalty"]
    assert [(v.source.backend, v.value) for v in loyalty.values] == [
        (CLUBMED, Loyalty(status="TURQUOISE")),
        (CARECLOUD, Loyalty(status="Basic")),
        (RELAY, Loyalty(status="turquoise")),
    ]
    assert {v.value for v in found["birthdate"].values} == {date(1984, 11, 6), date(1984, 6, 11)}


def test_a_value_absent_from_a_record_is_no_conflict() -> None:
    assert conflicts([jan(CLUBMED, "1", email=None), jan(RELAY, "R1")]) == ()
