"""Checks of the Club Med sandbox's request bodies: customers, profile patches, travelers.

Each checker takes the field's dotted name and a non-empty value and returns the value to
store, or raises a 400 `INVALID_BODY` naming the field (never echoing the value). Empty
values (`null`, `""`) are handled by the callers: they clear on PATCH ([DOC] seed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Final

from sandboxes.clubmed.errors import bad_body
from sandboxes.clubmed.parameters import is_language_tag
from sandboxes.clubmed.records import ADDRESS_FIELDS, Record, empty_address

Checker = Callable[[str, object], object]

MAX_NAME: Final = 50
PHONE_TYPES: Final = frozenset({"MOBILE", "HOME", "WORK", "FAX", "OTHER"})
# docs/backends/clubmed.md#customer-record: the identity types Club Med documents.
IDENTITY_TYPES: Final = frozenset(
    {"CPF", "CUIL", "TAX_NUMBER", "SECURITY_NUMBER", "ID_NUMBER", "NATIONAL_REGISTER"}
)
# [INF] An identity number: letters, digits and the separators numbers are written with; a
# CPF or a CUIL is 11 digits once its separators are dropped (529.982.247-25, 20-12345678-9).
_IDENTITY_NUMBER: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{0,29}$")
_ELEVEN_DIGITS: Final = frozenset({"CPF", "CUIL"})
_PHONE: Final = re.compile(r"^\+?[0-9 ]{6,20}$")
_EMAIL: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_ISO2: Final = re.compile(r"^[A-Z]{2}$")
_DIGITS8: Final = re.compile(r"^\d{8}$")
_DASHED: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_empty(value: object) -> bool:
    return value is None or value == ""


def text(field: str, value: object, limit: int = 100) -> str:
    if not isinstance(value, str):
        raise bad_body(field, f"{field} must be a string")
    if len(value) > limit:
        raise bad_body(field, f"{field} must be at most {limit} characters")
    return value


def name(field: str, value: object) -> str:
    return text(field, value, MAX_NAME)


def email(field: str, value: object) -> str:
    if not _EMAIL.match(text(field, value, 254)):
        raise bad_body(field, f"{field} is not an email address")
    return str(value)


def gender(field: str, value: object) -> str:
    if value not in ("M", "F"):
        raise bad_body(field, f"{field} must be M or F")
    return str(value)


def country_code(field: str, value: object) -> str:
    if not isinstance(value, str) or not _ISO2.match(value):
        raise bad_body(field, f"{field} must be an ISO 3166-1 alpha-2 code in upper case")
    return value


def locale(field: str, value: object) -> str:
    if not isinstance(value, str) or not is_language_tag(value):
        raise bad_body(field, f"{field} must be a language tag such as en-US")
    return value


def real_date(field: str, value: object, *, dashed_too: bool = False) -> date:
    """A date written yyyymmdd (or yyyy-mm-dd when `dashed_too`) that exists."""
    raw = value if isinstance(value, str) else ""
    if _DASHED.match(raw) and dashed_too:
        raw = raw.replace("-", "")
    if not _DIGITS8.match(raw):
        raise bad_body(field, f"{field} must be a date written yyyymmdd")
    try:
        return datetime.strptime(raw, "%Y%m%d").date()
    except ValueError:
        raise bad_body(field, f"{field} is not a real date") from None


def birthdate(field: str, value: object, *, dashed_too: bool = False) -> str:
    """A real date not in the future, stored yyyymmdd."""
    day = real_date(field, value, dashed_too=dashed_too)
    if day > date.today():
        raise bad_body(field, f"{field} must not be in the future")
    return day.strftime("%Y%m%d")


def expiration_date(field: str, value: object) -> str:
    return real_date(field, value).strftime("%Y%m%d")


def phones(field: str, value: object) -> list[Record]:
    if not isinstance(value, list):
        raise bad_body(field, f"{field} must be a list")
    found = []
    for n, phone in enumerate(value):
        at = f"{field}[{n}]"
        if not isinstance(phone, dict):
            raise bad_body(at, f"{at} must be an object")
        unknown(at, phone, ("number", "type"))
        if not isinstance(phone.get("number"), str) or not _PHONE.match(phone["number"]):
            raise bad_body(f"{at}.number", f"{at}.number is not a phone number")
        if phone.get("type") not in PHONE_TYPES:
            kinds = ", ".join(sorted(PHONE_TYPES))
            raise bad_body(f"{at}.type", f"{at}.type must be one of {kinds}")
        found.append({"number": phone["number"], "type": phone["type"]})
    return found


def identity(field: str, value: object) -> Record:
    """{number, type}, both required: the identity replaced whole."""
    if not isinstance(value, dict):
        raise bad_body(field, f"{field} must be an object")
    unknown(field, value, ("number", "type"))
    kind = value.get("type")
    if kind not in IDENTITY_TYPES:
        kinds = ", ".join(sorted(IDENTITY_TYPES))
        raise bad_body(f"{field}.type", f"{field}.type must be one of {kinds}")
    number = value.get("number")
    digits = re.sub(r"[ ./-]", "", number) if isinstance(number, str) else ""
    if (
        not isinstance(number, str)
        or not _IDENTITY_NUMBER.match(number)
        or (kind in _ELEVEN_DIGITS and not (len(digits) == 11 and digits.isdigit()))
    ):
        raise bad_body(f"{field}.number", f"{field}.number is not a {kind} number")
    return {"number": number, "type": kind}


def unknown(field: str | None, body: Mapping[str, object], allowed: tuple[str, ...]) -> None:
    """A 400 naming the first key of `body` not in `allowed`."""
    for key in body:
        if key not in allowed:
            at = f"{field}.{key}" if field else key
            raise bad_body(at, f"{at} is not a known or writable field")


def patch_address(field: str, value: object, current: Record | None) -> Record | None:
    """`current` patched key by key (absent kept, null/"" cleared); None once all is empty."""
    if not isinstance(value, dict):
        raise bad_body(field, f"{field} must be an object")
    unknown(field, value, ADDRESS_FIELDS)
    address = dict(current) if current is not None else empty_address()
    for key, sub in value.items():
        at = f"{field}.{key}"
        # Sub-fields are free text here: their rules are the address validation's, which
        # force_address=true (and any PATCH) skips.
        address[key] = None if is_empty(sub) else text(at, sub)
    return None if all(is_empty(v) for v in address.values()) else address


def check_address(address: Record | None) -> None:
    """Club Med's address validation ([INF] CONTRACT.md): ISO2 country, a city and a zip."""
    if address is None:
        return
    ok = (
        isinstance(address.get("country_code"), str)
        and bool(_ISO2.match(address["country_code"]))
        and not is_empty(address.get("city"))
        and not is_empty(address.get("zip_code"))
    )
    if not ok:
        raise bad_body("address", "The address needs a country_code, a city and a zip_code")


# The writable profile fields and their checkers (PATCH; create puts names in `identity`).
PROFILE_CHECKERS: Final[dict[str, Checker]] = {
    "email": email,
    "gender": gender,
    "civility": lambda field, value: text(field, value, 10),
    "first_name": name,
    "second_name": name,
    "third_name": name,
    "last_name": name,
    "birth_city": text,
    "birth_country_code": country_code,
    "birthdate": birthdate,
    "phones": phones,
    "locale": locale,
    "identity": identity,
}
REQUIRED_NAMES: Final = ("first_name", "last_name")
