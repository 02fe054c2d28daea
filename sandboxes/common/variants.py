"""A hard population for identity matching: each human's records as back ends really hold them.

`people.py` gives every back end the same clean values of a person, and the sandboxes' tests
rely on them, so the dirt lives here, opt-in: `records(seed, count)` renders `count` humans
into one to three back ends each, every record varied as real data is (typos, accents
dropped, nicknames, swapped first and last names, missing fields, phones and dates in each
back end's forms), and some humans are hard negatives of an earlier one (a twin: same surname
and birthdate; a spouse: same surname and family e-mail, often the home phone; namesakes,
a few born the same day). `Record.human` is the ground truth: two records are one person
exactly when their `human` is the same. Deterministic from the seed, like `people.py`.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Final

from adapters.model import Backend
from sandboxes.common.people import (
    FEMALE_FIRST_NAMES,
    MALE_FIRST_NAMES,
    PLACES,
    Place,
    _mix,
    person,
)

__all__ = ["Human", "Record", "Relation", "human", "records", "records_of"]


class Relation(enum.Enum):
    """How a human resembles an earlier one (`Human.relative`): the hard negatives."""

    NONE = "none"
    TWIN = "twin"  # same surname, birthdate and town; another first name
    SPOUSE = "spouse"  # same surname and e-mail, half of them the same phone
    NAMESAKE = "namesake"  # same first and last name, born another day
    NAMESAKE_SAME_DAY = "namesake_same_day"  # ...and born the same day


@dataclass(frozen=True, slots=True)
class Human:
    """The true values of one human of the population."""

    index: int
    female: bool
    first_name: str = field(repr=False)
    last_name: str = field(repr=False)
    birthdate: date = field(repr=False)
    email: str = field(repr=False)
    calling_code: str  # "33"
    phone: str = field(repr=False)  # national significant number: "623456789"
    country_code: str
    place: Place = field(repr=False)
    relation: Relation = Relation.NONE
    relative: int | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """One back end's record of a human, its values written as that back end writes them."""

    backend: Backend
    native_id: str
    human: int  # the ground truth: which human this record is
    first_name: str | None = field(default=None, repr=False)
    last_name: str | None = field(default=None, repr=False)
    email: str | None = field(default=None, repr=False)
    phone: str | None = field(default=None, repr=False)  # as stored, in any form
    birthdate: str | None = field(default=None, repr=False)  # in the back end's date form
    city: str | None = field(default=None, repr=False)
    postal_code: str | None = field(default=None, repr=False)
    country_code: str | None = None


# Shares, per thousand, drawn per human or per record.
_RELATIONS: Final = (
    (40, Relation.TWIN),
    (80, Relation.SPOUSE),
    (110, Relation.NAMESAKE),
    (115, Relation.NAMESAKE_SAME_DAY),
)
# Familiar forms the generator writes for some first names.
_NICKNAMES: Final = {
    "John": ("Johnny", "Jack"),
    "Tom": ("Tommy",),
    "Jakub": ("Kuba",),
    "Lucas": ("Luke",),
    "Louis": ("Lou",),
    "Samuel": ("Sam",),
    "Gabriel": ("Gabe",),
    "Arthur": ("Art",),
    "David": ("Dave",),
    "James": ("Jim", "Jimmy"),
    "Tomáš": ("Tom",),
    "Martin": ("Marty",),
    "Jan": ("Honza",),
    "Anna": ("Ann", "Annie"),
    "Marie": ("Mary",),
    "Sofia": ("Sophie",),
    "Olivia": ("Liv",),
    "Tereza": ("Terka",),
    "Hana": ("Hanka",),
    "Elena": ("Lena",),
    "Isabel": ("Bella", "Isa"),
    "Julia": ("Julie",),
    "Lucie": ("Lucy",),
    "Grace": ("Gracie",),
    "Sarah": ("Sara",),
    "Alice": ("Ali",),
}
_US_AREAS: Final = ("610", "617", "512", "212", "415", "305")
_TYPO_LETTERS: Final = "aeiourstnlmkcdhy"


def human(seed: int, index: int) -> Human:
    """Human `index`: `people.person` with its phone made real, and maybe a relative's likeness."""
    p = person(seed, index)
    z = _mix(seed + 7, index)
    tail = f"{index % 100_000_000:08d}"
    national = {
        "US": _US_AREAS[z % len(_US_AREAS)] + "2" + tail[-6:],
        "GB": "74" + tail,
        "IT": "34" + tail,
        "DE": "17" + tail,
        "BR": "119" + tail,
    }.get(p.place.country_code, p.phone_national)
    own = Human(
        index,
        p.gender == "F",
        p.first_name,
        p.last_name,
        p.birthdate,
        p.email,
        p.place.calling_code,
        national,
        p.place.country_code,
        p.place,
    )
    draw, z = z % 1000, z // 1000
    relation = next((r for share, r in _RELATIONS if draw < share), Relation.NONE)
    if relation is Relation.NONE or index < 50:
        return own
    kin = human(seed, index - 1 - z % 40)
    z //= 40
    if relation in (Relation.NAMESAKE, Relation.NAMESAKE_SAME_DAY):
        born = kin.birthdate if relation is Relation.NAMESAKE_SAME_DAY else own.birthdate
        return replace(
            own,
            female=kin.female,
            first_name=kin.first_name,
            last_name=kin.last_name,
            birthdate=born,
            email=_address(kin.first_name, kin.last_name, index, own.email),
            relation=relation,
            relative=kin.index,
        )
    names = FEMALE_FIRST_NAMES if own.female else MALE_FIRST_NAMES
    first = names[z % len(names)]
    if first == kin.first_name:
        first = names[(z + 1) % len(names)]
    if relation is Relation.TWIN:
        return replace(
            own,
            first_name=first,
            last_name=kin.last_name,
            birthdate=kin.birthdate,
            email=_address(first, kin.last_name, index, own.email),
            place=kin.place,
            relation=relation,
            relative=kin.index,
        )
    shared_phone = z // len(names) % 2 == 0
    return replace(
        own,
        first_name=first,
        last_name=kin.last_name,
        email=kin.email,
        place=kin.place,
        calling_code=kin.calling_code if shared_phone else own.calling_code,
        phone=kin.phone if shared_phone else own.phone,
        country_code=kin.country_code if shared_phone else own.country_code,
        relation=relation,
        relative=kin.index,
    )


def records_of(seed: int, index: int) -> tuple[Record, ...]:
    """The records human `index` has: one to three back ends, each its own variant."""
    who = human(seed, index)
    z = _mix(seed + 11, index)
    count = 1 if z % 100 < 40 else 2 if z % 100 < 75 else 3
    z //= 100
    order = (Backend.CLUBMED, Backend.CARECLOUD, Backend.RELAY)
    skip = z % 3
    held = order if count == 3 else tuple(b for i, b in enumerate(order) if i != skip)[:count]
    return tuple(
        _record(who, backend, _mix(seed + 13 + i, index)) for i, backend in enumerate(held)
    )


def records(seed: int, count: int) -> Iterator[Record]:
    """The records of humans 0..count-1, in index order."""
    for index in range(count):
        yield from records_of(seed, index)


def _record(who: Human, backend: Backend, z: int) -> Record:
    def chance(per_thousand: int) -> bool:
        nonlocal z
        hit = z % 1000 < per_thousand
        z = _mix(z & 0xFFFF_FFFF, z >> 32)
        return hit

    first, last = who.first_name, who.last_name
    if chance(90) and first in _NICKNAMES:
        forms = _NICKNAMES[first]
        first = forms[z % len(forms)]
    # A US system keeps ASCII more often than not.
    if chance(500 if backend is Backend.RELAY else 100):
        first, last = _plain(first), _plain(last)
    if chance(40):
        first = _typo(first, z)
    if chance(40):
        last = _typo(last, z >> 8)
    if chance(80):
        last = last.upper()
    if chance(20):
        first, last = last, first
    email: str | None = who.email
    if chance(150):
        email = None
    elif chance(60):
        email = f"{who.first_name[0].lower()}{who.index}@work.example"
    elif chance(200):
        email = who.email.capitalize() + " "
    phone = None if chance(150) else _phone(who, backend, z)
    if phone is not None and chance(50):
        # An older or second number, kept by one back end only.
        phone = _phone(replace(who, phone=who.phone[:-4] + f"{(z >> 20) % 10_000:04d}"), backend, z)
    born = None if chance(80) else who.birthdate
    if born is not None and chance(20):
        born = _date_typo(born, z)
    place: Place | None = who.place
    if chance(100):
        place = None
    elif chance(40):  # moved: one back end still has the old address
        place = PLACES[(PLACES.index(who.place) + 1 + z % (len(PLACES) - 1)) % len(PLACES)]
    return Record(
        backend,
        _native_id(backend, who.index),
        who.index,
        None if chance(10) else first,
        last,
        email,
        phone,
        None if born is None else _date_form(backend, born, chance(10)),
        None if place is None else place.city,
        None if place is None else place.postal_code,
        None if place is None else place.country_code,
    )


def _plain(name: str) -> str:
    """The name with its accents dropped: "Dvořák" -> "Dvorak"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _address(first: str, last: str, index: int, like: str) -> str:
    """An e-mail address as `people.py` writes them, on the domain of `like`."""
    return f"{_plain(first).lower()}.{_plain(last).lower()}.{index}@{like.split('@')[1]}"


def _typo(name: str, z: int) -> str:
    """One slip of the keyboard: a letter changed, dropped, doubled, or two swapped."""
    if len(name) < 4:
        return name
    at = 1 + z % (len(name) - 2)
    kind = (z >> 4) % 4
    if kind == 0:
        return name[:at] + _TYPO_LETTERS[(z >> 6) % len(_TYPO_LETTERS)] + name[at + 1 :]
    if kind == 1:
        return name[:at] + name[at + 1 :]
    if kind == 2:
        return name[:at] + name[at] + name[at:]
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :]


def _date_typo(day: date, z: int) -> date:
    if day.day <= 12 and day.day != day.month:
        return day.replace(month=day.day, day=day.month)
    return day.replace(year=day.year + (1 if z % 2 else -1), day=min(day.day, 28))


def _date_form(backend: Backend, day: date, odd: bool) -> str:
    if backend is Backend.CLUBMED:
        return f"{day.year:04d}{day.month:02d}{day.day:02d}"
    if backend is Backend.CARECLOUD and odd:
        # CareCloud's seed answers "985-02-12": a year with its thousands dropped.
        return f"{day.year % 1000}-{day.month:02d}-{day.day:02d}"
    return day.isoformat()


def _phone(who: Human, backend: Backend, z: int) -> str:
    """The number in one of the forms the back end holds (its home country's or foreign)."""
    cc, n = who.calling_code, who.phone
    home = {Backend.CLUBMED: "33", Backend.CARECLOUD: "420", Backend.RELAY: "1"}[backend]
    pick = (z >> 12) % 4
    if cc != home:
        foreign = (f"+{cc}{n}", f"+{cc} {n[:3]} {n[3:6]} {n[6:]}")
        exits = {Backend.CLUBMED: "00", Backend.CARECLOUD: "00", Backend.RELAY: "011"}
        if backend is Backend.CARECLOUD:
            foreign = (f"{cc}{n}", f"{cc}{n}")  # its seed's form: digits, no "+"
        return (*foreign, f"{exits[backend]}{cc}{n}", f"+{cc}{n}")[pick]
    if backend is Backend.CLUBMED:
        pairs = " ".join(n[i : i + 2] for i in range(1, 9, 2))
        return (f"0{n}", f"0{n[0]} {pairs}", f"+33 {n[0]} {pairs}", f"0033{n}")[pick]
    if backend is Backend.CARECLOUD:
        return (
            f"420{n}",
            f"420{n}",
            f"+420 {n[:3]} {n[3:6]} {n[6:]}",
            f"{n[:3]} {n[3:6]} {n[6:]}",
        )[pick]
    return (n, f"({n[:3]}) {n[3:6]}-{n[6:]}", f"1-{n[:3]}-{n[3:6]}-{n[6:]}", f"+1 {n}")[pick]


def _native_id(backend: Backend, index: int) -> str:
    if backend is Backend.CLUBMED:
        return f"{100_000_000 + index}"
    if backend is Backend.CARECLOUD:
        return f"{_mix(5, index):016x}"
    return f"R{index:08d}"
