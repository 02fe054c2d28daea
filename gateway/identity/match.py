"""Whether two records are one person: evidence for and against, a score, a decision.

Each rule adds its weight (log-odds-like points) when it fires; the decision is the sum
against `SAME_AT`, and the score is the logistic of that margin (0.5 at the threshold).
The weights and thresholds are tuned on `bench/identity.py`'s population (10,000 people,
twins, namesakes and shared family e-mails among them); each comment says what moving it
traded there.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import date
from typing import Final

from rapidfuzz.distance import JaroWinkler

from adapters.model import Customer
from gateway.identity.names import NameFrequencies, nickname_group
from gateway.identity.records import Comparable, comparable

__all__ = ["Evidence", "Match", "Matcher", "Rule"]


class Rule(enum.StrEnum):
    """A reason two records are (or are not) one person."""

    SAME_EMAIL = "same_email"
    SAME_PHONE = "same_phone"
    SAME_NAME_AND_BIRTHDATE = "same_name_and_birthdate"
    SIMILAR_FIRST_NAME = "similar_first_name"
    SIMILAR_LAST_NAME = "similar_last_name"
    SWAPPED_NAMES = "swapped_names"
    SAME_BIRTHDATE = "same_birthdate"
    NEAR_BIRTHDATE = "near_birthdate"
    DIFFERENT_FIRST_NAME = "different_first_name"
    DIFFERENT_LAST_NAME = "different_last_name"
    DIFFERENT_BIRTHDATE = "different_birthdate"
    DIFFERENT_EMAIL = "different_email"
    DIFFERENT_PHONE = "different_phone"
    SAME_ADDRESS = "same_address"
    DIFFERENT_ADDRESS = "different_address"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One rule that fired: its weight (negative counts against) and, for names, similarity."""

    rule: Rule
    weight: float
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class Match:
    evidence: tuple[Evidence, ...]
    score: float  # 0..1, 0.5 at the decision threshold
    same: bool

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules that counted for the match."""
        return tuple(e.rule for e in self.evidence if e.weight > 0)


# Measured with bench/identity.py (the matcher over its candidate pairs, seeds 42 and 7 of
# 10,000 people), moving one value with the rest as set: at these values precision is
# 0.9980 / 0.9971 and recall 0.9645 / 0.9618. "P" and "R" below are those at the value named.

# A shared e-mail or phone is strong but not enough alone: a family shares both, so a
# differing first name must outweigh most of it. E-mail 8.0: P .9919/.9933 (spouses
# merge); 6.0: R .9616/.9588. Phone 5.0: R .9629/.9607; 7.0 gained 0.0015 of recall only.
SAME_EMAIL_WEIGHT: Final = 7.0
SAME_PHONE_WEIGHT: Final = 6.0
# A phone shared beside a shared e-mail is the same household evidence counted twice.
# At 6.0: P .9912/.9923 (spouses sharing both merged); at 1.0: R -0.001.
SAME_PHONE_BESIDE_EMAIL_WEIGHT: Final = 2.5
# People keep several addresses and numbers: a different one says little on its own.
# E-mail 0.0: P .9964/.9955; -2.0: R .9584/.9556 (a work address on one record).
DIFFERENT_EMAIL_WEIGHT: Final = -1.0
# Phone 0.0: P .9971/.9956; -1.5: P .9983/.9975 for R .9628/.9609 (an old number kept).
DIFFERENT_PHONE_WEIGHT: Final = -0.5
# Where someone lives (country, postal code). Same at 2.0: R .9745/.9735 but P .9962/.9950
# (namesakes in one town); 0.0: R .9581/.9553. It counts nothing beside a shared e-mail or
# phone: a household shares all three (47 spouses merged when it did).
SAME_ADDRESS_WEIGHT: Final = 1.0
# Different: people move and a back end keeps the old address, but -1.0 let namesakes born
# the same day merge (P .9957/.9956); -3.0: R .9616/.9588.
DIFFERENT_ADDRESS_WEIGHT: Final = -2.0
# Same birthdate. With an agreeing name it decides alone (SAME_NAME_AND_BIRTHDATE).
SAME_BIRTHDATE_WEIGHT: Final = 4.0
# The differing strong key: a different e-mail beside the same name and birthdate counts
# this much more (namesakes born the same day). -1.0: R .9737/.9716 but P .9976/.9966;
# -3.0: R .9599/.9571.
DIFFERENT_EMAIL_SAME_NAME_WEIGHT: Final = -2.0
# A typo'd birthdate (day and month swapped, a digit or a year off) is support, a different
# one near-proof of two people. Near 3.5: P .9976 on seed 42; 1.0 and -6.0/-9.0 for the
# different one moved nothing by more than 0.001 (few such pairs are found by a search).
NEAR_BIRTHDATE_WEIGHT: Final = 2.5
DIFFERENT_BIRTHDATE_WEIGHT: Final = -7.0
# A name's agreement is worth its information (bits, from the frequency table) times this,
# capped: "Smith" tells less than "Procházka". 0.25: R .9544/.9522; 0.45: P .9872/.9893.
NAME_BITS_WEIGHT: Final = 0.35
NAME_WEIGHT_CAP: Final = 3.0
# Similarity at or above which two folded names are the same name (a nickname is 1.0):
# one slip in a name of 9 letters or more passes (Procházka/Prochazak 0.978). 0.94 and
# 0.99 moved neither figure by more than 0.0003.
SAME_NAME_AT: Final = 0.97
# Jaro-Winkler at or above which names are a typo apart, worth a fixed, smaller weight:
# one slip in a 5-letter name scores about 0.9. 0.85: R +0.003, P -0.0003; 0.92: R
# .9591/.9554. Weight 1.5: R +0.0005 for P -0.0002 (twins with near names, Ana/Anna).
SIMILAR_NAME_AT: Final = 0.88
SIMILAR_NAME_WEIGHT: Final = 1.0
# Different given names: twins and spouses share surname, birthdate, e-mail or phone.
# First -5.0: P .9919/.9933; -8.0: R -0.002. Last -2.0 and -5.0: no change over 0.0004.
DIFFERENT_FIRST_NAME_WEIGHT: Final = -6.0
DIFFERENT_LAST_NAME_WEIGHT: Final = -3.0
# The decision. 6.0: R .9744/.9728 but P .9960/.9948; 7.0: P .9985/.9979, R .9555/.9530.
SAME_AT: Final = 6.5


class Matcher:
    """Compares records; holds the name frequencies that weigh common names less."""

    def __init__(
        self, frequencies: NameFrequencies | None = None, *, same_at: float = SAME_AT
    ) -> None:
        self._frequencies = frequencies or NameFrequencies()
        self._same_at = same_at

    def compare(self, a: Customer | Comparable, b: Customer | Comparable) -> Match:
        """The evidence on whether `a` and `b` are one person."""
        x = a if isinstance(a, Comparable) else comparable(a)
        y = b if isinstance(b, Comparable) else comparable(b)
        evidence = [*_keys(x, y), *self._names_and_birthdate(x, y)]
        total = sum(e.weight for e in evidence)
        score = 1.0 / (1.0 + math.exp(-(total - self._same_at)))
        return Match(tuple(evidence), round(score, 4), total >= self._same_at)

    def _names_and_birthdate(self, x: Comparable, y: Comparable) -> list[Evidence]:
        found: list[Evidence] = []
        first, last, swapped = _name_similarities(x, y)
        y_first, y_last = (y.last_name, y.first_name) if swapped else (y.first_name, y.last_name)
        same_name = first is not None and last is not None and min(first, last) >= SAME_NAME_AT
        born = _birthdates(x.birthdate, y.birthdate)
        if swapped:
            found.append(Evidence(Rule.SWAPPED_NAMES, 0.0))
        # Each name weighs what the commoner of its two spellings does, in either orientation.
        first_weight = min(self._first_weight(n) for n in (x.first_name, y_first))
        last_weight = min(self._last_weight(n) for n in (x.last_name, y_last))
        if same_name and born == Rule.SAME_BIRTHDATE:
            # Written as one exact-key rule; its weight is the parts' sum.
            weight = first_weight + last_weight + SAME_BIRTHDATE_WEIGHT
            similarity = round(min(first or 0.0, last or 0.0), 3)  # 1.0 unless one holds the other
            found.append(Evidence(Rule.SAME_NAME_AND_BIRTHDATE, weight, similarity))
            if x.email and y.email and x.email != y.email:
                found.append(Evidence(Rule.DIFFERENT_EMAIL, DIFFERENT_EMAIL_SAME_NAME_WEIGHT))
            return found
        if first is not None:
            found.append(_name_evidence(first, first_weight, first=True))
        if last is not None:
            found.append(_name_evidence(last, last_weight, first=False))
        if born is not None:
            found.append(Evidence(born, _BIRTHDATE_WEIGHTS[born]))
        return found

    def _first_weight(self, folded: str | None) -> float:
        if not folded:
            return NAME_WEIGHT_CAP
        bits = self._frequencies.first_information(folded)
        return min(NAME_WEIGHT_CAP, NAME_BITS_WEIGHT * bits)

    def _last_weight(self, folded: str | None) -> float:
        if not folded:
            return NAME_WEIGHT_CAP
        bits = self._frequencies.last_information(folded)
        return min(NAME_WEIGHT_CAP, NAME_BITS_WEIGHT * bits)


_BIRTHDATE_WEIGHTS: Final = {
    Rule.SAME_BIRTHDATE: SAME_BIRTHDATE_WEIGHT,
    Rule.NEAR_BIRTHDATE: NEAR_BIRTHDATE_WEIGHT,
    Rule.DIFFERENT_BIRTHDATE: DIFFERENT_BIRTHDATE_WEIGHT,
}


def _keys(x: Comparable, y: Comparable) -> list[Evidence]:
    found: list[Evidence] = []
    if x.email and y.email:
        if x.email == y.email:
            found.append(Evidence(Rule.SAME_EMAIL, SAME_EMAIL_WEIGHT))
        else:
            found.append(Evidence(Rule.DIFFERENT_EMAIL, DIFFERENT_EMAIL_WEIGHT))
    if x.phones and y.phones:
        if x.phones & y.phones:
            shared_email = bool(found) and found[0].rule is Rule.SAME_EMAIL
            weight = SAME_PHONE_BESIDE_EMAIL_WEIGHT if shared_email else SAME_PHONE_WEIGHT
            found.append(Evidence(Rule.SAME_PHONE, weight))
        else:
            found.append(Evidence(Rule.DIFFERENT_PHONE, DIFFERENT_PHONE_WEIGHT))
    if x.postal_addresses and y.postal_addresses:
        if x.postal_addresses & y.postal_addresses:
            household = any(e.rule in (Rule.SAME_EMAIL, Rule.SAME_PHONE) for e in found)
            found.append(Evidence(Rule.SAME_ADDRESS, 0.0 if household else SAME_ADDRESS_WEIGHT))
        else:
            found.append(Evidence(Rule.DIFFERENT_ADDRESS, DIFFERENT_ADDRESS_WEIGHT))
    return found


def _name_evidence(similarity: float, weight: float, *, first: bool) -> Evidence:
    rounded = round(similarity, 3)
    if similarity >= SAME_NAME_AT:
        rule = Rule.SIMILAR_FIRST_NAME if first else Rule.SIMILAR_LAST_NAME
        return Evidence(rule, weight, rounded)
    if similarity >= SIMILAR_NAME_AT:
        rule = Rule.SIMILAR_FIRST_NAME if first else Rule.SIMILAR_LAST_NAME
        return Evidence(rule, SIMILAR_NAME_WEIGHT, rounded)
    if first:
        return Evidence(Rule.DIFFERENT_FIRST_NAME, DIFFERENT_FIRST_NAME_WEIGHT, rounded)
    return Evidence(Rule.DIFFERENT_LAST_NAME, DIFFERENT_LAST_NAME_WEIGHT, rounded)


def _name_similarities(x: Comparable, y: Comparable) -> tuple[float | None, float | None, bool]:
    """(first, last, swapped): the similarities in the orientation that agrees best."""
    first = _similarity(x.first_name, y.first_name, given=True)
    last = _similarity(x.last_name, y.last_name, given=False)
    cross_a = _similarity(x.first_name, y.last_name, given=False)
    cross_b = _similarity(x.last_name, y.first_name, given=True)
    straight = (first or 0.0) + (last or 0.0)
    if (
        cross_a is not None
        and cross_b is not None
        and min(cross_a, cross_b) >= SIMILAR_NAME_AT
        and cross_a + cross_b > straight + 0.2
    ):
        return cross_a, cross_b, True
    return first, last, False


def _similarity(a: str | None, b: str | None, *, given: bool) -> float | None:
    if not a or not b:
        return None
    if a == b or (given and nickname_group(a) == nickname_group(b)):
        return 1.0
    if set(a.split()) & set(b.split()):
        return SAME_NAME_AT  # one name within the other: "jean pierre" and "jean"
    return float(JaroWinkler.similarity(a, b))


def _birthdates(a: date | None, b: date | None) -> Rule | None:
    if a is None or b is None:
        return None
    if a == b:
        return Rule.SAME_BIRTHDATE
    if (
        (a.year, a.month, a.day) == (b.year, b.day, b.month)
        or (abs(a.year - b.year) == 1 and (a.month, a.day) == (b.month, b.day))
        or _one_digit_apart(a, b)
    ):
        return Rule.NEAR_BIRTHDATE
    return Rule.DIFFERENT_BIRTHDATE


def _one_digit_apart(a: date, b: date) -> bool:
    x, y = (f"{d.year:04d}{d.month:02d}{d.day:02d}" for d in (a, b))
    return sum(c != d for c, d in zip(x, y, strict=True)) == 1
