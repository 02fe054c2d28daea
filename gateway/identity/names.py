"""What the matcher knows of names: nicknames, and how common a name is."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from gateway.identity import normalise

__all__ = ["NameFrequencies", "nickname_group"]

# Given names and their usual short or familiar forms (English, French, Czech, Italian,
# Spanish, German), folded. Forms of one name across languages (John, Jan, Jean) are not
# listed: they are different names as often as the same person's.
_NICKNAMES: Final = (
    ("alexander", "alex", "sasha", "sacha"),
    ("alexandra", "alexa", "sandra"),
    ("alice", "ali", "allie"),
    ("anna", "ann", "anne", "annie", "anicka", "anca"),
    ("anthony", "tony", "antonio", "toni"),
    ("arthur", "art", "artie"),
    ("benjamin", "ben", "benji"),
    ("camille", "cami", "cam"),
    ("catherine", "kate", "katie", "cathy", "kathy", "katherine"),
    ("charles", "charlie", "chuck"),
    ("christopher", "chris"),
    ("daniel", "dan", "danny"),
    ("david", "dave", "davy"),
    ("edward", "ed", "eddie", "ted"),
    ("elena", "lena", "helena"),
    ("elizabeth", "liz", "beth", "lisa", "betty"),
    ("emma", "emmy", "em"),
    ("eva", "evi", "evka"),
    ("gabriel", "gabe", "gabi"),
    ("giulia", "giuli"),
    ("grace", "gracie"),
    ("hana", "hanka", "hanna", "hannah"),
    ("isabel", "isabelle", "isabella", "isa", "bella"),
    ("jakub", "kuba"),
    ("jacob", "jake"),
    ("james", "jim", "jimmy", "jamie"),
    ("jan", "honza"),
    ("jane", "janie", "jenny"),
    ("john", "johnny", "jack", "jon"),
    ("joseph", "joe", "joey"),
    ("julia", "julie"),
    ("laura", "laurie"),
    ("louis", "lou"),
    ("lucas", "luke"),
    ("lucie", "lucy"),
    ("margaret", "maggie", "meg", "peggy"),
    ("marie", "mary"),
    ("martin", "marty"),
    ("matthew", "matt"),
    ("michael", "mike", "mick"),
    ("nicholas", "nick", "nicky"),
    ("olivia", "liv", "livvy", "olive"),
    ("oskar", "oscar", "ossi"),
    ("patrick", "pat", "paddy"),
    ("paul", "paulie"),
    ("peter", "pete"),
    ("petr", "petrik"),
    ("pierre", "pierrot"),
    ("richard", "rick", "dick", "richie"),
    ("robert", "rob", "bob", "bobby"),
    ("roger", "rog"),
    ("ruth", "ruthie"),
    ("samuel", "sam", "sammy"),
    ("sarah", "sara"),
    ("sofia", "sophie", "sofie", "sophia"),
    ("stephen", "steve", "steven"),
    ("tereza", "terka", "terezie", "teresa", "tess"),
    ("thomas", "tom", "tommy", "tomas"),
    ("william", "will", "bill", "billy"),
)
_GROUP: Final = {form: group[0] for group in _NICKNAMES for form in group}

# How common a name the table does not know is taken to be: fairly (1 in 200), so that
# without a table no name passes for a rare one and outweighs a differing key.
_UNKNOWN: Final = 1 / 200


def nickname_group(folded: str) -> str:
    """The name a folded given name is a familiar form of (itself when none): "tom" -> "thomas"."""
    return _GROUP.get(folded, folded)


@dataclass(frozen=True, slots=True)
class NameFrequencies:
    """The share of people carrying each folded first and last name (0 to 1)."""

    first: Mapping[str, float] = field(default_factory=dict)
    last: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, first_names: Iterable[str], last_names: Iterable[str]) -> NameFrequencies:
        """Counted from a population's names (e.g. the records the gateway has seen)."""
        return cls(_shares(first_names, nickname_group), _shares(last_names, lambda n: n))

    def first_information(self, folded: str) -> float:
        """Bits of identity an agreeing first name carries: fewer for a common one."""
        return -math.log2(self.first.get(nickname_group(folded), _UNKNOWN))

    def last_information(self, folded: str) -> float:
        return -math.log2(self.last.get(folded, _UNKNOWN))


def _shares(names: Iterable[str], key: Callable[[str], str]) -> dict[str, float]:
    counts = Counter(key(f) for n in names if (f := normalise.name(n)))
    total = sum(counts.values()) or 1
    return {n: c / total for n, c in counts.items()}
