"""CareCloud's customer JSON <-> the customer model, both ways.

Read ([DOC] docs/backends/carecloud.md#customer-record): `personal_information` gives names,
birthdate, gender (1 Male, 2 Female, 3 Miss, 4 Private, 5 Other), email, the one phone
(international digits without "+"), `language_id`, the address (address1..7, zip, city, lower-case
country_code) and consents (`consents[]`, or the deprecated `agreement`'s three flags when
`consents` is absent; its custom agreements in either case).
Dates are read whatever the form (YYYY-MM-DD, YYYYMMDD, DD.MM.YYYY, MM/DD/YYYY, and the seed's
three-digit year "985-02-12", read literally as year 985).

Writes merge onto the raw personal_information (PUT replaces the whole record), so what the
model does not know survives an update: store_id, salutation, pre/post nominals,
address4..7, custom agreements, consents. What CareCloud cannot hold is refused on write,
never dropped. What does not round-trip:
- gender 3 (Miss) reads FEMALE and 4 (Private) UNKNOWN; the code is in extra["gender_code"]
  and a patch to the gender it already reads as keeps it;
- phones: CareCloud holds one, read as MOBILE, and no type: a type other than MOBILE is
  refused, and so is a second phone;
- addresses: one, without a region (a region is refused, field address.region);
  address4..7 are in extra["address_more"]; a patch changes only the keys it names;
- middle_name, third_name, civility, birth_city and identity do not exist (always None);
  setting a middle name, third name, civility or identity number is refused;
- locale: language_id is ISO 639-1 and holds a language only: a locale with a region
  ("fr-FR") is refused; clearing it is refused (language_id is required);
- consents with value 2 (not set) are no Consent; their ids are in extra["unset_consents"];
- emails are written in lower case (the spec's email pattern has no upper case).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from adapters.dates import parse_date
from adapters.errors import UpstreamBadRequest, UpstreamMalformed
from adapters.model import (
    Address,
    AddressPatch,
    Backend,
    Consent,
    Customer,
    CustomerDraft,
    CustomerFilter,
    CustomerPatch,
    Gender,
    LoyaltyTier,
    Phone,
    PhoneType,
)

BACKEND: Final = Backend.CARECLOUD

# What a customer read from GET /customers carries; membership and loyalty need sub-resources.
PERSONAL_FIELDS: Final = frozenset(
    {
        "first_name",
        "middle_name",
        "last_name",
        "birthdate",
        "birth_city",
        "gender",
        "email",
        "phones",
        "addresses",
        "locale",
        "consents",
        "third_name",
        "civility",
        "identity",
    }
)
FULL_FIELDS: Final = PERSONAL_FIELDS | {"membership_number", "loyalty"}

GENDER_FROM_CODE: Final = {
    1: Gender.MALE,
    2: Gender.FEMALE,
    3: Gender.FEMALE,  # Miss
    4: Gender.UNKNOWN,  # Private
    5: Gender.OTHER,
}
GENDER_TO_CODE: Final = {Gender.MALE: 1, Gender.FEMALE: 2, Gender.OTHER: 5, Gender.UNKNOWN: 4}

# consent_id (or the agreement_* suffix) -> Consent.purpose; other ids are kept as they are.
CONSENT_PURPOSES: Final = {
    "gtc": "GTC",
    "profiling": "PROFILING",
    "marketing_communication": "MARKETING",
}
CONSENT_CHANNEL: Final = "ANY"
# A status's name (GET /statuses, any case) -> the model's tier; other names read OTHER.
LOYALTY_TIERS: Final = {
    "basic": LoyaltyTier.BASIC,
    "silver": LoyaltyTier.SILVER,
    "gold": LoyaltyTier.GOLD,
    "platinum": LoyaltyTier.PLATINUM,
}
_READ_ONLY: Final = ("photo_url",)
_ADDRESS_MORE: Final = ("address4", "address5", "address6", "address7")


def tier_from(status_name: str | None) -> LoyaltyTier | None:
    """The tier of a status name, case-insensitive; an unknown one is OTHER."""
    if status_name is None:
        return None
    return LOYALTY_TIERS.get(status_name.strip().casefold(), LoyaltyTier.OTHER)


def _text(value: object) -> str | None:
    """A string field; CareCloud writes empty fields as "", the model as None."""
    return value if isinstance(value, str) and value != "" else None


def phone_digits(number: str) -> str:
    """A phone as CareCloud stores it: international digits, no "+", no "00", no spaces."""
    digits = re.sub(r"[\s\-.()/]", "", number).lstrip("+")
    return digits[2:] if digits.startswith("00") else digits


def locale_from(language_id: object) -> str | None:
    """language_id "en" -> "en"; a region, if one is ever sent ("en-gb"), is kept: "en-GB"."""
    text = _text(language_id)
    if text is None:
        return None
    language, _, region = text.replace("_", "-").partition("-")
    return f"{language.lower()}-{region.upper()}" if region else language.lower()


def language_id_of(locale: str) -> str:
    """The ISO 639-1 language_id of a locale that is a language only ("fr", "FR" -> "fr").

    A region or script ("fr-FR", "zh-Hant") is refused: CareCloud would drop it.
    """
    language, _, more = locale.replace("_", "-").partition("-")
    language = language.lower()
    if not re.fullmatch(r"[a-z]{2}", language):
        raise UpstreamBadRequest(BACKEND, "the locale has no ISO 639-1 language", field="locale")
    if more:
        raise UpstreamBadRequest(
            BACKEND,
            f'CareCloud holds a language only (e.g. "{language}"), not a region',
            field="locale",
        )
    return language


def _address(raw: object) -> Address | None:
    if not isinstance(raw, Mapping):
        return None
    address = Address(
        line1=_text(raw.get("address1")),
        line2=_text(raw.get("address2")),
        line3=_text(raw.get("address3")),
        city=_text(raw.get("city")),
        postal_code=_text(raw.get("zip")),
        country_code=code.upper() if (code := _text(raw.get("country_code"))) else None,
    )
    return None if address == Address() else address


def _consent(key: str, value: object) -> Consent | None:
    if value not in (0, 1) or isinstance(value, bool):
        return None
    return Consent(CONSENT_CHANNEL, CONSENT_PURPOSES.get(key, key), value == 1)


def consents_from(info: Mapping[str, object]) -> tuple[tuple[Consent, ...], tuple[str, ...]]:
    """(given or withdrawn consents, ids not set). `consents[]` wins over `agreement`'s three
    flags; its custom agreements, which `consents[]` has no place for, are read alongside
    (an id `consents[]` also names is read from `consents[]`)."""
    pairs: list[tuple[str, object]] = []
    agreement = info.get("agreement")
    agreement = agreement if isinstance(agreement, Mapping) else {}
    if isinstance(given := info.get("consents"), list):
        pairs = [
            (str(c.get("consent_id")), c.get("consent_value"))
            for c in given
            if isinstance(c, Mapping)
        ]
    else:
        pairs = [
            (k.removeprefix("agreement_"), v)
            for k, v in agreement.items()
            if k.startswith("agreement_")
        ]
    custom = agreement.get("custom_agreements")
    if isinstance(custom, list):
        named = {key for key, _ in pairs}
        pairs += [
            (key, c.get("agreement_value"))
            for c in custom
            if isinstance(c, Mapping) and (key := str(c.get("agreement_id"))) not in named
        ]
    consents = tuple(c for key, value in pairs if (c := _consent(key, value)) is not None)
    unset = tuple(key for key, value in pairs if value == 2)
    return consents, unset


def _extra(
    raw: Mapping[str, object], info: Mapping[str, object], unset: tuple[str, ...]
) -> dict[str, object]:
    extra: dict[str, object] = {"last_change": raw.get("last_change"), "state": raw.get("state")}
    if isinstance(info.get("gender"), int):
        extra["gender_code"] = info["gender"]
    for name in ("language_id", "store_id"):
        if name in info:
            extra[name] = info[name]
    address = info.get("address")
    if isinstance(address, Mapping) and (
        more := {k: address[k] for k in _ADDRESS_MORE if _text(address.get(k))}
    ):
        extra["address_more"] = more
    if unset:
        extra["unset_consents"] = unset
    return extra


def customer_from_json(raw: Mapping[str, object]) -> Customer:
    """A customer from GET /customers or /customers/{id}: every personal field, no loyalty."""
    customer_id = raw.get("customer_id")
    info = raw.get("personal_information")
    if not isinstance(customer_id, str) or not isinstance(info, Mapping):
        raise UpstreamMalformed(BACKEND, "a customer without customer_id or personal_information")
    gender = info.get("gender")
    phone = _text(info.get("phone"))
    address = _address(info.get("address"))
    consents, unset = consents_from(info)
    return Customer(
        backend=BACKEND,
        native_id=customer_id,
        known_fields=PERSONAL_FIELDS,
        first_name=_text(info.get("first_name")),
        last_name=_text(info.get("last_name")),
        birthdate=parse_date(info.get("birthdate")),
        gender=GENDER_FROM_CODE.get(gender) if isinstance(gender, int) else None,
        email=_text(info.get("email")),
        phones=(Phone(phone if phone.startswith("+") else f"+{phone}", PhoneType.MOBILE),)
        if phone
        else (),
        addresses=(address,) if address else (),
        locale=locale_from(info.get("language_id")),
        consents=consents,
        extra=_extra(raw, info, unset),
    )


def search_params(filter: CustomerFilter) -> dict[str, str]:
    """GET /customers filters (ANDed); the phone as international digits."""
    params: dict[str, str] = {}
    for name in ("first_name", "last_name", "email"):
        value = getattr(filter, name)
        if value:
            params[name] = value.strip()
    if filter.phone:
        params["phone"] = phone_digits(filter.phone)
    if filter.birthdate:
        params["birthdate"] = filter.birthdate.isoformat()
    return params


def _one_phone(phones: tuple[Phone, ...]) -> str | None:
    if len(phones) > 1:
        raise UpstreamBadRequest(BACKEND, "CareCloud holds one phone per customer", field="phones")
    if phones and phones[0].type not in (None, PhoneType.MOBILE):
        raise UpstreamBadRequest(
            BACKEND, "CareCloud holds no phone type: its phone reads MOBILE", field="phones"
        )
    return phone_digits(phones[0].number) if phones else None


def _gender_code(gender: Gender, current: object) -> int:
    """Keep the stored code when it already reads as `gender` (3 Miss stays 3)."""
    if isinstance(current, int) and GENDER_FROM_CODE.get(current) is gender:
        return current
    return GENDER_TO_CODE[gender]


# Address (and AddressPatch) field -> CareCloud address key; CareCloud has no region.
ADDRESS_KEYS: Final = {
    "line1": "address1",
    "line2": "address2",
    "line3": "address3",
    "postal_code": "zip",
    "city": "city",
    "country_code": "country_code",
}


def _check_address(changes: Mapping[str, object]) -> None:
    if changes.get("region") is not None:
        raise UpstreamBadRequest(
            BACKEND, "CareCloud holds no address region", field="address.region"
        )


def _address_json(changes: Mapping[str, object], previous: object) -> dict[str, Any]:
    """The named keys over the stored address: the others (address4..7 too) survive."""
    _check_address(changes)
    merged = dict(previous) if isinstance(previous, Mapping) else {}
    for name, value in changes.items():
        if name in ADDRESS_KEYS:  # region: only a clear gets here, and there is none to clear
            text = value.lower() if isinstance(value, str) and name == "country_code" else value
            _set(merged, ADDRESS_KEYS[name], text)
    return merged


def _set(target: dict[str, Any], key: str, value: object) -> None:
    if value is None or value == "":
        target.pop(key, None)
    else:
        target[key] = value


def new_customer_body(
    draft: CustomerDraft, *, customer_source_id: str, default_language_id: str
) -> dict[str, Any]:
    """The POST /customers body ([DOC] docs/backends/carecloud.md#routes); the draft has no native
    id. The draft's customer source, or else the configured `customer_source_id`."""
    if draft.civility:
        raise UpstreamBadRequest(BACKEND, "CareCloud holds no civility", field="civility")
    if draft.identity is not None:
        raise UpstreamBadRequest(BACKEND, "CareCloud holds no identity number", field="identity")
    if draft.force_address:
        raise UpstreamBadRequest(
            BACKEND, "CareCloud has no address validation to skip", field="forceAddress"
        )
    source_id = draft.customer_source or customer_source_id
    info: dict[str, Any] = {
        "first_name": draft.first_name,
        "last_name": draft.last_name,
        "language_id": language_id_of(draft.locale) if draft.locale else default_language_id,
    }
    _set(info, "email", draft.email.lower() if draft.email else None)
    _set(info, "birthdate", draft.birthdate.isoformat() if draft.birthdate else None)
    _set(info, "gender", GENDER_TO_CODE[draft.gender] if draft.gender else None)
    _set(info, "phone", _one_phone(draft.phones))
    if draft.address is not None:
        changes = {name: getattr(draft.address, name) for name in (*ADDRESS_KEYS, "region")}
        _set(info, "address", _address_json(changes, None) or None)
    return {
        "customer": {"personal_information": info},
        "customer_source": {"customer_source_id": source_id},
        "autologin": False,
    }


def check_patch(patch: CustomerPatch) -> None:
    """Refuse, before anything is sent, what CareCloud cannot hold."""
    changes = patch.changes()
    if changes.get("middle_name"):
        raise UpstreamBadRequest(BACKEND, "CareCloud has no middle name", field="middleName")
    if changes.get("third_name"):
        raise UpstreamBadRequest(BACKEND, "CareCloud has no third name", field="thirdName")
    if changes.get("civility"):
        raise UpstreamBadRequest(BACKEND, "CareCloud holds no civility", field="civility")
    if changes.get("identity") is not None:
        raise UpstreamBadRequest(BACKEND, "CareCloud holds no identity number", field="identity")
    if "locale" in changes:
        locale = changes["locale"]
        if not locale:
            raise UpstreamBadRequest(
                BACKEND, "CareCloud requires a language", field="locale", reason="REQUIRED"
            )
        language_id_of(str(locale))
    phones = changes.get("phones")
    if isinstance(phones, tuple):
        _one_phone(phones)
    address = changes.get("address")
    if isinstance(address, AddressPatch):
        _check_address(address.changes())


def writable(info: Mapping[str, object]) -> dict[str, Any]:
    """A stored personal_information as a PUT sends it back: read-only fields left out."""
    merged = copy.deepcopy(dict(info))
    for name in _READ_ONLY:
        merged.pop(name, None)
    if isinstance(consents := merged.get("consents"), list):
        merged["consents"] = [
            {k: v for k, v in c.items() if k != "last_change"}
            for c in consents
            if isinstance(c, dict)
        ]
    return merged


def merge_patch(info: Mapping[str, object], patch: CustomerPatch) -> dict[str, Any]:
    """The personal_information to PUT: the stored one with the patch applied."""
    merged = writable(info)
    for name, value in patch.changes().items():
        if name in ("first_name", "last_name"):
            _set(merged, name, value)
        elif name == "email":
            _set(merged, "email", value.lower() if isinstance(value, str) else None)
        elif name == "birthdate":
            _set(merged, "birthdate", value.isoformat() if isinstance(value, date) else None)
        elif name == "gender":
            _set(
                merged,
                "gender",
                _gender_code(value, merged.get("gender")) if isinstance(value, Gender) else None,
            )
        elif name == "phones":
            _set(merged, "phone", _one_phone(value) if isinstance(value, tuple) else None)
        elif name == "address":
            if isinstance(value, AddressPatch) and not value.changes():
                continue  # names no key: the stored address stays as it is, byte for byte
            address = (
                _address_json(value.changes(), merged.get("address"))
                if isinstance(value, AddressPatch)
                else None
            )
            _set(merged, "address", address or None)
        elif name == "locale" and isinstance(value, str):
            merged["language_id"] = language_id_of(value)
    return merged
