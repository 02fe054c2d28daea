"""The matcher: each rule, for and against, and the hard negatives kept apart."""

from __future__ import annotations

from datetime import date

from adapters.model import Backend
from gateway.identity import Matcher, NameFrequencies, Rule
from tests.gateway.identity.records import jan, record

CLUBMED, CARECLOUD, RELAY = Backend.CLUBMED, Backend.CARECLOUD, Backend.RELAY


def test_the_same_person_in_three_back_ends_matches_on_every_exact_key() -> None:
    matcher = Matcher()
    a, b, c = (
        jan(CLUBMED, "1"),
        jan(CARECLOUD, "c1", email=" JAN.NOVAK@example.com"),
        jan(RELAY, "R1"),
    )
    for x, y in ((a, b), (b, c), (a, c)):
        match = matcher.compare(x, y)
        assert match.same and match.score > 0.99
        assert {Rule.SAME_EMAIL, Rule.SAME_PHONE, Rule.SAME_NAME_AND_BIRTHDATE} <= set(match.rules)


def test_the_same_email_with_an_agreeing_name_matches_alone() -> None:
    match = Matcher().compare(
        jan(phone=None, birthdate=None), jan(RELAY, "R1", phone=None, birthdate=None)
    )
    assert match.same and Rule.SAME_EMAIL in match.rules


def test_the_same_phone_in_two_back_ends_forms_matches() -> None:
    a = jan(email=None, birthdate=None, phone="+420 623 456 789")
    b = jan(CARECLOUD, "c1", email=None, birthdate=None, phone="420623456789")
    match = Matcher().compare(a, b)
    assert match.same and Rule.SAME_PHONE in match.rules


def test_the_same_folded_name_and_birthdate_match_alone() -> None:
    a = jan(email=None, phone=None, first_name="JAN", last_name="Novak")
    b = jan(RELAY, "R1", email=None, phone=None)
    match = Matcher().compare(a, b)
    assert match.same and match.rules == (Rule.SAME_NAME_AND_BIRTHDATE,)


def test_a_nickname_is_the_same_first_name() -> None:
    a = jan(first_name="Thomas", email=None, phone=None)
    b = jan(RELAY, "R1", first_name="Tommy", email=None, phone=None)
    match = Matcher().compare(a, b)
    assert match.same and Rule.SAME_NAME_AND_BIRTHDATE in match.rules


def test_a_typo_is_a_similar_name_with_its_jaro_winkler_similarity() -> None:
    a = jan(last_name="Procházka", email=None)
    b = jan(RELAY, "R1", last_name="Prochzka", email=None)
    match = Matcher().compare(a, b)
    (last,) = [e for e in match.evidence if e.rule is Rule.SIMILAR_LAST_NAME]
    assert last.similarity is not None and 0.88 <= last.similarity < 0.97
    assert match.same  # the phone and birthdate carry it


def test_swapped_first_and_last_names_are_recognised() -> None:
    a = jan(email=None, phone=None)
    b = jan(RELAY, "R1", first_name="Novák", last_name="Jan", email=None, phone=None)
    match = Matcher().compare(a, b)
    assert Rule.SWAPPED_NAMES in {e.rule for e in match.evidence}
    assert match.same


def test_a_different_birthdate_counts_against_a_shared_name() -> None:
    namesakes = Matcher().compare(
        jan(email="jan1@example.com", phone=None),
        jan(RELAY, "R1", email=None, phone=None, birthdate=date(1962, 4, 7)),
    )
    assert not namesakes.same and namesakes.score < 0.01
    assert any(e.rule is Rule.DIFFERENT_BIRTHDATE and e.weight < 0 for e in namesakes.evidence)


def test_a_typod_birthdate_is_near_not_different() -> None:
    match = Matcher().compare(jan(), jan(RELAY, "R1", birthdate=date(1984, 6, 11)))
    assert Rule.NEAR_BIRTHDATE in match.rules and match.same


def test_a_different_email_beside_the_same_name_and_birthdate_counts_against() -> None:
    # Namesakes born the same day: a differing strong key keeps them apart.
    a = jan(email="jan.novak.1@example.com", phone=None)
    b = jan(RELAY, "R1", email="jan.novak.2@example.org", phone=None)
    match = Matcher().compare(a, b)
    assert not match.same
    against = [e for e in match.evidence if e.rule is Rule.DIFFERENT_EMAIL]
    assert len(against) == 2 and all(e.weight < 0 for e in against)


def test_twins_with_the_same_surname_and_birthdate_are_kept_apart() -> None:
    a = jan(first_name="Jan", email="jan.novak@example.com", phone="+420 623 456 789")
    b = jan(
        RELAY, "R1", first_name="Petr", email="petr.novak@example.com", phone="+420 777 000 111"
    )
    match = Matcher().compare(a, b)
    assert not match.same and Rule.DIFFERENT_FIRST_NAME in {e.rule for e in match.evidence}


def test_spouses_sharing_the_family_email_and_phone_are_kept_apart() -> None:
    a = jan()
    b = jan(RELAY, "R1", first_name="Hana", birthdate=date(1986, 2, 1))
    match = Matcher().compare(a, b)
    assert {Rule.SAME_EMAIL, Rule.SAME_PHONE} <= set(match.rules)
    assert not match.same


def test_a_spouse_with_no_first_name_on_record_is_kept_apart_by_the_birthdate() -> None:
    match = Matcher().compare(jan(), jan(RELAY, "R1", first_name=None, birthdate=date(1986, 2, 1)))
    assert not match.same


def test_common_names_weigh_less() -> None:
    frequencies = NameFrequencies(first={"jan": 0.05}, last={"novak": 0.02, "prochazka": 0.0005})
    matcher = Matcher(frequencies)
    common = matcher.compare(jan(email=None, phone=None), jan(RELAY, "R1", email=None, phone=None))
    rare = matcher.compare(
        jan(email=None, phone=None, last_name="Procházka"),
        jan(RELAY, "R1", email=None, phone=None, last_name="Procházka"),
    )
    assert rare.score > common.score


def test_the_frequency_table_counts_a_populations_names() -> None:
    table = NameFrequencies.of(
        ["Tom", "Thomas", "Anna", "Anna"], ["Novák", "Novak", "Smith", "Doe"]
    )
    assert table.first == {"thomas": 0.5, "anna": 0.5}
    assert table.last["novak"] == 0.5
    assert table.first_information("tommy") == 1.0  # one bit: half the population


def test_names_alone_do_not_make_a_match() -> None:
    a = record(CLUBMED, "1", first_name="Jan", last_name="Novák")
    b = record(RELAY, "R1", first_name="Jan", last_name="Novák")
    match = Matcher().compare(a, b)
    assert not match.same and 0.0 < match.score < 0.5
