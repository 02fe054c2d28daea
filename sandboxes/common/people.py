"""Generated people the three sandboxes share, deterministic from a seed number.

One population of persons, indexed 0..N; each back end holds a slice of it, and the slices
overlap, so some people exist in two or three back ends with the same email, phone, or name
and birthdate (each sandbox writes them its own way: case, phone and date formats).

Generation is arithmetic on a 64-bit hash of (seed, index): no `random.Random` per person,
so 1,000,000 people take a few seconds, and person `i` is the same whatever the size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Final, NamedTuple

from adapters.model import Backend

_MASK64: Final = (1 << 64) - 1

FEMALE_FIRST_NAMES: Final = (
    "Anna",
    "Marie",
    "Jane",
    "Emma",
    "Léa",
    "Chloé",
    "Sofia",
    "Olivia",
    "Zoé",
    "Camille",
    "Eva",
    "Lucie",
    "Julia",
    "Alice",
    "Tereza",
    "Hana",
    "Giulia",
    "Laura",
    "Sarah",
    "Mia",
    "Inès",
    "Manon",
    "Clara",
    "Nina",
    "Petra",
    "Ana",
    "Elena",
    "Isabel",
    "Grace",
    "Ruth",
)
MALE_FIRST_NAMES: Final = (
    "John",
    "Tom",
    "Roger",
    "Jakub",
    "Lucas",
    "Hugo",
    "Louis",
    "Jan",
    "Petr",
    "Marco",
    "Luca",
    "Paul",
    "Pierre",
    "Noah",
    "Liam",
    "Adam",
    "Tomáš",
    "Martin",
    "David",
    "James",
    "Jules",
    "Gabriel",
    "Arthur",
    "Leo",
    "Mateo",
    "Pedro",
    "Ethan",
    "Samuel",
    "Oskar",
    "Ivan",
)
MIDDLE_NAMES: Final = ("James", "Edward", "Harold", "Marie", "Anne", "Louis", "Rose", "Jean")
LAST_NAMES: Final = (
    "Smith",
    "Doe",
    "Moore",
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "Novák",
    "Svoboda",
    "Dvořák",
    "Černý",
    "Procházka",
    "Kučera",
    "Veselý",
    "Horák",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Jackson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Walker",
    "Hall",
    "Young",
    "King",
    "Wright",
    "Lopez",
    "Hill",
    "Scott",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Mitchell",
    "Perez",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
    "Parker",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Sanchez",
    "Morris",
    "Rogers",
    "Reed",
    "Cook",
    "Morgan",
    "Bell",
    "Murphy",
    "Bailey",
    "Rivera",
    "Cooper",
    "Richardson",
    "Cox",
    "Howard",
    "Ward",
    "Torres",
    "Peterson",
    "Gray",
    "Ramirez",
    "James",
    "Watson",
    "Brooks",
    "Kelly",
    "Sanders",
    "Price",
    "Bennett",
    "Wood",
    "Barnes",
    "Ross",
    "Henderson",
    "Coleman",
    "Jenkins",
    "Perry",
    "Powell",
    "Long",
)
EMAIL_DOMAINS: Final = ("example.com", "example.org", "example.net", "mail.example")


@dataclass(frozen=True, slots=True)
class Place:
    city: str
    postal_code: str
    region: str | None  # ISO 3166-2 subdivision code without the country, when one is used
    country_code: str  # ISO 3166-1 alpha-2
    country_name: str  # upper case, as Club Med writes it
    calling_code: str  # international prefix without "+"
    locale: str


PLACES: Final = (
    Place("Paris", "75001", None, "FR", "FRANCE", "33", "fr-FR"),
    Place("Lyon", "69002", None, "FR", "FRANCE", "33", "fr-FR"),
    Place("Aix-en-Provence", "13100", None, "FR", "FRANCE", "33", "fr-FR"),
    Place("Prague 1", "11000", None, "CZ", "CZECH REPUBLIC", "420", "cs-CZ"),
    Place("Brno", "60200", None, "CZ", "CZECH REPUBLIC", "420", "cs-CZ"),
    Place("Radnor", "19087", "PA", "US", "UNITED STATES", "1", "en-US"),
    Place("Boston", "02108", "MA", "US", "UNITED STATES", "1", "en-US"),
    Place("Austin", "73301", "TX", "US", "UNITED STATES", "1", "en-US"),
    Place("London", "SW1A 1AA", None, "GB", "UNITED KINGDOM", "44", "en-GB"),
    Place("Milano", "20121", None, "IT", "ITALY", "39", "it-IT"),
    Place("München", "80331", None, "DE", "GERMANY", "49", "de-DE"),
    Place("São Paulo", "01000-000", "SP", "BR", "BRAZIL", "55", "pt-BR"),
)
STREETS: Final = (
    "Old Town Square",
    "Rue de Rivoli",
    "King of Prussia Road",
    "Main Street",
    "Via Roma",
    "Hauptstraße",
    "Baker Street",
    "Avenue des Champs-Élysées",
    "Národní",
    "Oak Avenue",
)
LOYALTY_TIERS: Final = ("NONE", "TURQUOISE", "SILVER", "GOLD", "PLATINUM", "EXCLUDED")


@dataclass(frozen=True, slots=True)
class NationalId:
    """A national identity number and its kind, labelled as Club Med labels them (CPF...)."""

    number: str
    kind: str


@dataclass(frozen=True, slots=True)
class Companion:
    """A traveler who goes along with a person (Club Med's travelers), and how to reach them."""

    first_name: str
    last_name: str
    birthdate: date
    email: str | None = None  # lower case
    phone_national: str | None = None  # digits, no trunk prefix, as Person.phone_national
    lives_with_holder: bool = False  # at the address of the person they travel with
    national_id: NationalId | None = None


@dataclass(frozen=True, slots=True)
class Passport:
    number: str
    issuing_country: str
    expiration_date: date


class Person(NamedTuple):
    """One generated human, back-end neutral. Sandboxes render it in their own formats.

    A named tuple, not a dataclass: a million of them are built at start-up. Travelers and
    passport are derived on demand from (seed, index), since only reads need them.
    """

    seed: int
    index: int  # type: ignore[assignment]  # shadows tuple.index: the name is the domain's
    gender: str  # "F" or "M"
    first_name: str
    middle_name: str | None
    last_name: str
    birthdate: date
    email: str  # lower case
    phone_national: str  # digits, no trunk prefix: "623456789"
    place: Place
    street: str
    street_number: int
    loyalty_tier: str
    loyalty_points: int
    member_since: int  # year
    renewal_date: date
    marketing_consent: bool

    @property
    def phone_international(self) -> str:
        """Digits with the country's calling code and no "+": 33623456789."""
        return self.place.calling_code + self.phone_national

    def companions(self) -> tuple[Companion, ...]:
        """The 0 to 3 travelers who go along with this person.

        Each has an email two times in three and a mobile phone one time in two, both
        unlike any person's (their own index, and numbers from 50000000 up, past any
        population's); three in four live at the person's address, and hold an identity
        number as the person's compatriots do (`national_id`).
        """
        z = _mix(self.seed + 1, self.index)
        count, z = z % 4, z // 4
        found = []
        for n in range(count):
            female, z = z % 2, z // 2
            name, z = z % 30, z // 30
            days, z = z % (365 * 80), z // (365 * 80)
            first = (FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)[name]
            found.append(self._companion(n, first, date.fromordinal(_EPOCH + days)))
        return tuple(found)

    def _companion(self, n: int, first_name: str, birthdate: date) -> Companion:
        """Companion n's contact details, from a hash of their own (4 * index + n)."""
        w = _mix(self.seed + 5, 4 * self.index + n)
        email, w = w % 3, w // 3
        domain, w = w % _N_DOMAINS, w // _N_DOMAINS
        phone, w = w % 2, w // 2
        trunk, w = w % 2, w // 2
        home, w = w % 4, w // 4
        number = 50_000_000 + (4 * self.index + n) % 50_000_000
        return Companion(
            first_name,
            self.last_name,
            birthdate,
            email=(
                f"{_ASCII[first_name]}.{_ASCII[self.last_name]}.{self.index}-{n + 1}"
                f"@{EMAIL_DOMAINS[domain]}"
                if email
                else None
            ),
            phone_national=f"{6 + trunk}{number:08d}" if phone == 0 else None,
            lives_with_holder=home != 0,
            national_id=_national_id(self.place.country_code, w),
        )

    def national_id(self) -> NationalId | None:
        """Brazilians hold a CPF; one other person in three an identity card's number."""
        return _national_id(self.place.country_code, _mix(self.seed + 4, self.index))

    def passport(self) -> Passport | None:
        """Three people in four hold a passport of their country."""
        z = _mix(self.seed + 2, self.index)
        if z % 4 == 0:
            return None
        z //= 4
        letters = chr(65 + z % 26) + chr(65 + (z // 26) % 26)
        z //= 676
        number = f"{letters}{z % 10_000_000:07d}"
        z //= 10_000_000
        expires = date.fromordinal(_TODAY + z % 3650 - 365)
        return Passport(number, self.place.country_code, expires)


def _cpf(z: int) -> str:
    """A well-formed CPF (its two check digits computed), written 000.000.000-00."""
    digits = [(z // 10**k) % 10 for k in range(9)]
    for length in (9, 10):
        total = sum(d * (length + 1 - i) for i, d in enumerate(digits))
        digits.append(total * 10 % 11 % 10)
    s = "".join(map(str, digits))
    return f"{s[:3]}.{s[3:6]}.{s[6:9]}-{s[9:]}"


def _national_id(country_code: str, z: int) -> NationalId | None:
    if country_code == "BR":
        return NationalId(_cpf(z), "CPF")
    if z % 3:
        return None
    z //= 3
    letters = chr(65 + z % 26) + chr(65 + (z // 26) % 26)
    return NationalId(f"{country_code}{letters}{(z // 676) % 10_000_000:07d}", "ID_NUMBER")


def _mix(seed: int, index: int) -> int:
    """splitmix64 of (seed, index): a well-spread 64-bit number per person."""
    z = (seed * 0x9E3779B97F4A7C15 + index * 0xBF58476D1CE4E5B9 + 0x94D049BB133111EB) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


_EPOCH: Final = date(1940, 1, 1).toordinal()
_TODAY: Final = date(2026, 1, 1).toordinal()  # fixed: data does not depend on the day made
_N_LAST: Final = len(LAST_NAMES)
_N_PLACES: Final = len(PLACES)
_N_DOMAINS: Final = len(EMAIL_DOMAINS)
_N_TIERS: Final = len(LOYALTY_TIERS)
_N_STREETS: Final = len(STREETS)
_ASCII: Final = {
    name: name.encode("ascii", "ignore").decode().lower()
    for name in (*FEMALE_FIRST_NAMES, *MALE_FIRST_NAMES, *LAST_NAMES)
}


def person(seed: int, index: int) -> Person:
    """Person number `index` of the population of `seed`."""
    a = _mix(seed, index)
    b = _mix(seed + 3, index)
    female, a = a % 2, a // 2
    first, a = a % 30, a // 30
    middle, a = a % 24, a // 24
    last, a = a % _N_LAST, a // _N_LAST
    days, a = a % (365 * 65), a // (365 * 65)
    where, a = a % _N_PLACES, a // _N_PLACES
    domain, a = a % _N_DOMAINS, a // _N_DOMAINS
    trunk, a = a % 2, a // 2
    tier, b = b % _N_TIERS, b // _N_TIERS
    points, b = b % 50_000, b // 50_000
    since, b = b % 36, b // 36
    renewal, b = b % 365, b // 365
    street, b = b % _N_STREETS, b // _N_STREETS
    number, b = b % 200, b // 200
    first_name = (FEMALE_FIRST_NAMES if female else MALE_FIRST_NAMES)[first]
    last_name = LAST_NAMES[last]
    return Person(
        seed,
        index,
        "F" if female else "M",
        first_name,
        MIDDLE_NAMES[middle] if middle < 8 else None,
        last_name,
        date.fromordinal(_EPOCH + days),
        f"{_ASCII[first_name]}.{_ASCII[last_name]}.{index}@{EMAIL_DOMAINS[domain]}",
        # Unique per index: 6 or 7, then 8 digits of the index.
        f"{6 + trunk}{index % 100_000_000:08d}",
        PLACES[where],
        STREETS[street],
        1 + number,
        LOYALTY_TIERS[tier],
        points,
        1990 + since,
        date.fromordinal(_TODAY + renewal),
        b % 2 == 1,
    )


# Where each back end's slice starts, as a fraction of `count`. With the default shares,
# persons [0.7c, c) are in Club Med and CareCloud, and [0.9c, c) in all three.
_SLICE_START: Final = {Backend.CLUBMED: 0.0, Backend.CARECLOUD: 0.7, Backend.RELAY: 0.9}


def slice_range(backend: Backend, count: int) -> range:
    """The population indexes that `backend` holds when each back end holds `count`."""
    start = int(count * _SLICE_START[backend])
    return range(start, start + count)


def people_for(backend: Backend, count: int, seed: int = 42) -> Iterator[Person]:
    """The `count` generated persons that `backend` holds, in index order."""
    for index in slice_range(backend, count):
        yield person(seed, index)


def backends_of(index: int, count: int) -> frozenset[Backend]:
    """The back ends that hold population person `index` when each holds `count`."""
    return frozenset(b for b in Backend if index in slice_range(b, count))
