"""Values folded to the form two records are compared in: e-mail, E.164 phone, name, date.

Each back end writes the same value its own way (the seeds, docs/README.md#seeds): Club Med
phones in French national form ("0623456789"), CareCloud in international digits without
"+" ("420170134844"), Relay in US form ("6105551212"); dates as yyyymmdd (Club Med),
yyyy-mm-dd (all three), DD.MM.YYYY (CareCloud filters) and MM/DD/YYYY (Relay's `ext`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Final

import phonenumbers

from adapters.model import Backend

__all__ = [
    "DEFAULT_REGION",
    "birthdate",
    "email",
    "name",
    "phone",
    "phone_as_stored",
    "postal_address",
]

# The region a phone without its country code is read in, per back end: where each back
# end's seed numbers live (Club Med 06..., CareCloud 420..., Relay's 610 555 1212).
DEFAULT_REGION: Final = {Backend.CLUBMED: "FR", Backend.CARECLOUD: "CZ", Backend.RELAY: "US"}

_SPACES: Final = re.compile(r"\s+")
_NOT_WORD: Final = re.compile(r"[^\w\s]|_")
_NOT_DIGIT: Final = re.compile(r"\D")
_DATE_FORMS: Final = (
    (re.compile(r"^(\d{3,4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("m", "d", "y")),
)


def email(value: str | None) -> str | None:
    """An address with no whitespace, case-folded; None when empty."""
    if value is None:
        return None
    folded = _SPACES.sub("", value).casefold()
    return folded or None


def name(value: str | None) -> str | None:
    """A name folded for case, accents and punctuation: "  Lefèvre-D'Arc " -> "lefevre d arc"."""
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = _SPACES.sub(" ", _NOT_WORD.sub(" ", bare)).strip()
    return folded or None


def phone(value: str | None, backend: Backend) -> str | None:
    """The number in E.164 ("+33623456789"), read in the back end's region; None if unreadable."""
    if value is None or not (text := value.strip()):
        return None
    digits = _NOT_DIGIT.sub("", text)
    if not digits:
        return None
    candidates = [text]
    if backend is Backend.CARECLOUD and len(digits) > 9 and not text.startswith(("+", "0")):
        # CareCloud stores the international prefix without "+" (seed: "420170134844"); a
        # Czech national number has 9 digits, so a longer one starts with its country code.
        candidates.insert(0, "+" + digits)
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, DEFAULT_REGION[backend])
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def phone_as_stored(e164: str, backend: Backend) -> str:
    """The form a back end most likely stores a number in, for a search by phone there.

    Club Med: national for French numbers ("0623456789"), else international; CareCloud:
    international digits without "+" (its seed); Relay: ten digits for US numbers.
    """
    number = phonenumbers.parse(e164, None)
    home = phonenumbers.country_code_for_region(DEFAULT_REGION[backend])
    if backend is Backend.CARECLOUD:
        return e164.lstrip("+")
    if number.country_code == home:
        national = phonenumbers.national_significant_number(number)
        return national if backend is Backend.RELAY else "0" + national
    return e164


def postal_address(postal_code: str | None, country_code: str | None) -> str | None:
    """Where someone lives, as far as matching goes: "FR:75001"; None without a postal code."""
    if not postal_code or not (code := _NOT_WORD.sub("", postal_code).replace(" ", "").upper()):
        return None
    return f"{(country_code or '').upper()}:{code}"


def birthdate(value: date | str | None) -> date | None:
    """A date from any back end's form (or a date already); None when absent or unreadable."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip().split("T")[0].split(" ")[0]
    for pattern, order in _DATE_FORMS:
        if found := pattern.match(text):
            parts = dict(zip(order, map(int, found.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None
