"""The hard population: deterministic, varied as real records are, its ground truth kept."""

from __future__ import annotations

import itertools
from collections import Counter

from adapters.model import Backend
from sandboxes.common.people import person
from sandboxes.common.variants import Relation, human, records, records_of

SEED = 42


def test_the_population_is_deterministic_and_a_human_the_same_whatever_the_size() -> None:
    assert list(records(SEED, 300)) == list(records(SEED, 300))
    assert list(records(SEED, 300))[-len(records_of(SEED, 299)) :] == list(records_of(SEED, 299))
    assert list(records(SEED, 50)) == list(
        itertools.islice(records(SEED, 500), len(list(records(SEED, 50))))
    )


def test_each_human_has_one_to_three_records_in_distinct_back_ends() -> None:
    counts = Counter(len(records_of(SEED, i)) for i in range(2000))
    assert set(counts) == {1, 2, 3}
    for i in range(200):
        held = [r.backend for r in records_of(SEED, i)]
        assert len(held) == len(set(held)) and all(r.human == i for r in records_of(SEED, i))


def test_the_clean_people_are_not_changed_a_human_starts_from_its_person() -> None:
    plain = [i for i in range(200) if human(SEED, i).relation is Relation.NONE]
    for i in plain[:50]:
        assert (human(SEED, i).first_name, human(SEED, i).birthdate) == (
            person(SEED, i).first_name,
            person(SEED, i).birthdate,
        )


def test_hard_negatives_resemble_their_relative() -> None:
    found = {
        r: human(SEED, i)
        for i in range(3000)
        if (r := human(SEED, i).relation) is not Relation.NONE
    }
    assert set(found) == set(Relation) - {Relation.NONE}
    for relation, who in found.items():
        assert who.relative is not None
        kin = human(SEED, who.relative)
        assert who.last_name == kin.last_name
        if relation is Relation.TWIN:
            assert who.birthdate == kin.birthdate and who.first_name != kin.first_name
        elif relation is Relation.SPOUSE:
            assert who.email == kin.email and who.first_name != kin.first_name
        else:
            assert who.first_name == kin.first_name and who.email != kin.email
            assert (who.birthdate == kin.birthdate) is (relation is Relation.NAMESAKE_SAME_DAY)


def test_records_of_one_person_vary_as_real_data_does() -> None:
    rendered = list(records(SEED, 3000))
    phones = {r.phone for r in rendered if r.phone}
    assert any(p.startswith("0") for p in phones) and any(p.startswith("+") for p in phones)
    assert any(p.startswith("011") for p in phones) and any("(" in p for p in phones)
    assert any(r.email is None for r in rendered) and any(r.birthdate is None for r in rendered)
    assert any(r.email and r.email != r.email.strip().lower() for r in rendered)
    truths = {i: human(SEED, i) for i in range(3000)}
    swapped = [r for r in rendered if r.last_name == truths[r.human].first_name]
    upper = [r for r in rendered if r.last_name and r.last_name.isupper()]
    nicknames = [r for r in rendered if r.first_name in ("Johnny", "Kuba", "Sophie", "Tommy")]
    assert swapped and upper and nicknames
    club_dates = [r.birthdate for r in rendered if r.backend is Backend.CLUBMED and r.birthdate]
    assert all(len(d) == 8 and d.isdigit() for d in club_dates)  # yyyymmdd
