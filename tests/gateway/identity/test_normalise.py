"""Values folded to the form records are compared in."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.model import Backend
from gateway.identity import normalise


def test_an_email_is_folded_for_case_and_whitespace() -> None:
    assert normalise.email("  Jan.Novak@Example.COM ") == "jan.novak@example.com"
    assert normalise.email(" ") is None and normalise.email(None) is None


@pytest.mark.parametrize(
    ("stored", "backend", "e164"),
    [
        # Club Med: French national form (seed: "0623456789"), and foreign numbers.
        ("0623456789", Backend.CLUBMED, "+33623456789"),
        ("06 23 45 67 89", Backend.CLUBMED, "+33623456789"),
        ("0033623456789", Backend.CLUBMED, "+33623456789"),
        ("+420 623 456 789", Backend.CLUBMED, "+420623456789"),
        # CareCloud: international digits without "+" (seed: "420170134844"), or Czech national.
        ("420170134844", Backend.CARECLOUD, "+420170134844"),
        ("33623456789", Backend.CARECLOUD, "+33623456789"),
        ("623 456 789", Backend.CARECLOUD, "+420623456789"),
        # Relay: US forms (seed: "6105551212"), and the US exit code for foreign ones.
        ("6105551212", Backend.RELAY, "+16105551212"),
        ("(610) 555-1212", Backend.RELAY, "+16105551212"),
        ("1-610-555-1212", Backend.RELAY, "+16105551212"),
        ("011 33 6 23 45 67 89", Backend.RELAY, "+33623456789"),
    ],
)
def test_a_phone_in_any_stored_form_reads_as_e164(stored: str, backend: Backend, e164: str) -> None:
    assert normalise.phone(stored, backend) == e164


@pytest.mark.parametrize("junk", [None, "", "  ", "n/a", "12"])
def test_an_unreadable_phone_is_none(junk: str | None) -> None:
    assert normalise.phone(junk, Backend.RELAY) is None


def test_a_name_is_folded_for_case_accents_and_punctuation() -> None:
    assert normalise.name("  Lefèvre-D'Arc ") == "lefevre d arc"
    assert normalise.name("DVOŘÁK") == normalise.name("dvorak") == "dvorak"
    assert normalise.name("Müller") == "muller"
    assert normalise.name(" - ") is None


@pytest.mark.parametrize(
    "written",
    [
        "19841106",
        "1984-11-06",
        "06.11.1984",
        "11/06/1984",
        "1984-11-06T10:00:00",
        date(1984, 11, 6),
    ],
)
def test_a_date_reads_from_every_back_ends_form(written: str | date) -> None:
    assert normalise.birthdate(written) == date(1984, 11, 6)


def test_an_unreadable_date_is_none() -> None:
    assert normalise.birthdate("1984-13-06") is None
    assert normalise.birthdate("soon") is None and normalise.birthdate(None) is None


def test_a_postal_address_is_its_country_and_folded_code() -> None:
    assert normalise.postal_address("sw1a 1aa", "gb") == "GB:SW1A1AA"
    assert normalise.postal_address(None, "FR") is None


@pytest.mark.parametrize(
    ("e164", "backend", "stored"),
    [
        ("+33623456789", Backend.CLUBMED, "0623456789"),
        ("+420623456789", Backend.CLUBMED, "+420623456789"),
        ("+420623456789", Backend.CARECLOUD, "420623456789"),
        ("+16105551212", Backend.RELAY, "6105551212"),
        ("+33623456789", Backend.RELAY, "+33623456789"),
    ],
)
def test_a_number_is_written_back_in_the_form_each_back_end_stores(
    e164: str, backend: Backend, stored: str
) -> None:
    assert normalise.phone_as_stored(e164, backend) == stored
    assert normalise.phone(stored, backend) == e164
