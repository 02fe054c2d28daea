"""The searches that find a record's other records, one per key, in each back end's form."""

from __future__ import annotations

from datetime import date

from adapters.model import Backend, CustomerFilter
from gateway.identity.search import candidate_filters, index_keys, search_keys
from tests.gateway.identity.records import jan


def test_a_record_searches_by_email_phone_and_last_name_with_birthdate() -> None:
    record = jan(Backend.RELAY, "R1", email=" Jan.Novak@Example.com", phone="011 33 6 23 45 67 89")
    assert candidate_filters(record, Backend.CLUBMED) == (
        CustomerFilter(email="jan.novak@example.com"),
        CustomerFilter(phone="0623456789"),  # Club Med stores French numbers nationally
        CustomerFilter(last_name="Novák", birthdate=date(1984, 11, 6)),
    )
    assert candidate_filters(record, Backend.CARECLOUD)[1] == CustomerFilter(phone="33623456789")


def test_without_a_birthdate_a_record_searches_by_its_full_name() -> None:
    record = jan(birthdate=None, email=None, phone=None)
    assert candidate_filters(record, Backend.CARECLOUD) == (
        CustomerFilter(first_name="Jan", last_name="Novák"),
    )


def test_the_same_phone_twice_is_one_search() -> None:
    record = jan(email=None, birthdate=None, last_name=None, phones=())
    assert candidate_filters(record, Backend.CLUBMED) == ()
    twice = jan(email=None, phones=(jan().phones[0], jan(Backend.RELAY).phones[0]))
    assert len([f for f in candidate_filters(twice, Backend.CLUBMED) if f.phone]) == 1


def test_a_search_key_finds_a_record_indexed_under_it() -> None:
    seeker = jan(birthdate=None, email=None, phone=None)
    found = jan(Backend.CARECLOUD, "c1", first_name="JAN", email=None, phone=None)
    assert search_keys(seeker) & index_keys(found)
    accents_dropped = jan(Backend.CARECLOUD, "c1", last_name="Novak", email=None, phone=None)
    assert not search_keys(seeker) & index_keys(accents_dropped)  # back ends keep accents
