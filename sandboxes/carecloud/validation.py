"""Validation of the customer bodies of POST and PUT /customers, as CareCloud documents it,
and of the property records they (and the property-records routes) carry.

[DOC] docs/backends/carecloud.md#customer-record and CC-spec `schemas/PersonalInformation.yaml`
(docs/backends/carecloud.md#sources): `language_id` required (ISO 639-1), `email` matching the
spec's (lower-case) pattern, `phone` matching `^[1-9][0-9]*$`, `gender` null or 1..5, dates
`YYYY-MM-DD`, consent values 0/1/2. Every invalid field is listed in one 400. Fields CareCloud does
not know are dropped, read-only ones (`photo_url`, consents' `last_change`) ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from sandboxes.carecloud.dates import now_text
from sandboxes.carecloud.errors import (
    INVALID_VALUE_FORMAT,
    NOT_ALLOWED_VALUE,
    REQUIRED,
    ApiError,
    InvalidParam,
    bad_request,
)
from sandboxes.carecloud.parameters import required_text
from sandboxes.common import parse_iso_date

# [DOC] CC-spec `schemas/PersonalInformation.yaml`, `email.pattern` (applied as written: lower
# case).
EMAIL_PATTERN: Final = re.compile(
    r"^[-a-z0-9!#$%&'*+/=?^_`{|}~]+(\.[-a-z0-9!#$%&'*+/=?^_`{|}~]+)*"
    r"@([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])$"
)
PHONE_PATTERN: Final = re.compile(r"^[1-9][0-9]*$")
LANGUAGE_PATTERN: Final = re.compile(r"^[a-z]{2}$")
COUNTRY_PATTERN: Final = re.compile(r"^[a-z]{2}$")
_TEXT_FIELDS: Final = (
    "salutation",
    "first_name",
    "last_name",
    "pre_nominals",
    "post_nominals",
    "store_id",
)
_ADDRESS_FIELDS: Final = (*(f"address{n}" for n in range(1, 8)), "zip", "city", "country_code")
_AGREEMENTS: Final = ("agreement_gtc", "agreement_profiling", "agreement_marketing_communication")
# "Password is not part of a common password list" ([DOC] Customers.yaml): a sample of one.
COMMON_PASSWORDS: Final = frozenset(
    {"password1", "passw0rd", "password123", "qwerty123", "abc12345", "welcome1", "letmein1"}
)


def personal_information(
    raw: object, *, previous: dict[str, Any] | None, now: str
) -> dict[str, Any]:
    """The stored form of a PersonalInformation, or a 400 listing every invalid field."""
    if not isinstance(raw, dict):
        raise bad_request(
            InvalidParam("personal_information", REQUIRED, "personal_information is required")
        )
    errors: list[InvalidParam] = []
    info: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        _copy_text(raw, info, name, errors)
    _check_gender(raw, info, errors)
    _check_pattern(raw, info, "email", EMAIL_PATTERN, errors)
    _check_pattern(raw, info, "phone", PHONE_PATTERN, errors)
    _check_language(raw, info, errors)
    _check_birthdate(raw, info, errors)
    _check_address(raw, info, errors)
    old = previous or {}
    _check_consents(raw, info, old, now, errors)
    if errors:
        raise bad_request(*errors)
    # "store_id can only be updated, not removed"
    # ([DOC] docs/backends/carecloud.md#customer-record).
    if "store_id" not in info and "store_id" in old:
        info["store_id"] = old["store_id"]
    if "photo_url" in old:  # read-only: survives a PUT untouched
        info["photo_url"] = old["photo_url"]
    return info


def _copy_text(
    raw: Mapping[str, object], info: dict[str, Any], name: str, errors: list[InvalidParam]
) -> None:
    value = raw.get(name)
    if value is None:
        return
    if isinstance(value, str):
        info[name] = value
    else:
        errors.append(InvalidParam(name, INVALID_VALUE_FORMAT, f"{name} must be a string"))


def _check_gender(
    raw: Mapping[str, object], info: dict[str, Any], errors: list[InvalidParam]
) -> None:
    if "gender" not in raw:
        return
    gender = raw["gender"]
    # 1 Male, 2 Female, 3 Miss, 4 Private, 5 Other; nullable
    # ([DOC] docs/backends/carecloud.md#customer-record).
    if gender is None or (
        isinstance(gender, int) and not isinstance(gender, bool) and 1 <= gender <= 5
    ):
        info["gender"] = gender
    else:
        errors.append(
            InvalidParam("gender", NOT_ALLOWED_VALUE, "gender must be null or 1 to 5", gender)
        )


def _check_pattern(
    raw: Mapping[str, object],
    info: dict[str, Any],
    name: str,
    pattern: re.Pattern[str],
    errors: list[InvalidParam],
) -> None:
    value = raw.get(name)
    if value is None or value == "":
        return
    if isinstance(value, str) and pattern.match(value):
        info[name] = value
    else:
        errors.append(
            InvalidParam(name, INVALID_VALUE_FORMAT, f"{name} has an invalid format", value)
        )


def _check_language(
    raw: Mapping[str, object], info: dict[str, Any], errors: list[InvalidParam]
) -> None:
    language = raw.get("language_id")
    if language is None or language == "":
        errors.append(InvalidParam("language_id", REQUIRED, "language_id is required"))
    elif isinstance(language, str) and LANGUAGE_PATTERN.match(language):
        info["language_id"] = language
    else:
        errors.append(
            InvalidParam("language_id", INVALID_VALUE_FORMAT, "language_id is ISO 639-1", language)
        )


def _check_birthdate(
    raw: Mapping[str, object], info: dict[str, Any], errors: list[InvalidParam]
) -> None:
    value = raw.get("birthdate")
    if value is None or value == "":
        return
    if isinstance(value, str) and parse_iso_date(value) is not None:
        info["birthdate"] = value
    else:
        errors.append(
            InvalidParam("birthdate", INVALID_VALUE_FORMAT, "birthdate is YYYY-MM-DD", value)
        )


def _check_address(
    raw: Mapping[str, object], info: dict[str, Any], errors: list[InvalidParam]
) -> None:
    address = raw.get("address")
    if address is None:
        return
    if not isinstance(address, dict):
        errors.append(InvalidParam("address", INVALID_VALUE_FORMAT, "address must be an object"))
        return
    kept: dict[str, Any] = {}
    for name in _ADDRESS_FIELDS:
        _copy_text(address, kept, name, errors)
    code = kept.get("country_code")
    if code and not COUNTRY_PATTERN.match(code):
        errors.append(
            InvalidParam(
                "country_code", INVALID_VALUE_FORMAT, "country_code is lower-case ISO2", code
            )
        )
    info["address"] = kept


def _consent_value(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in (0, 1, 2)


def _check_consents(
    raw: Mapping[str, object],
    info: dict[str, Any],
    old: dict[str, Any],
    now: str,
    errors: list[InvalidParam],
) -> None:
    consents = raw.get("consents")
    if consents is not None:
        # When both are sent, `consents` wins and `agreement` is ignored
        # ([DOC] docs/backends/carecloud.md#customer-record).
        info["consents"] = _consents(consents, old.get("consents") or [], now, errors)
        # ... but for its custom agreements, which `consents[]` has no place for [INF].
        agreement = raw.get("agreement")
        if isinstance(agreement, dict) and agreement.get("custom_agreements") is not None:
            custom = _custom_agreements(agreement["custom_agreements"], errors)
            info["agreement"] = {"custom_agreements": custom}
    elif raw.get("agreement") is not None:
        info["agreement"] = _agreement(raw["agreement"], errors)


def _consents(
    consents: object, old: list[dict[str, Any]], now: str, errors: list[InvalidParam]
) -> list[dict[str, Any]]:
    if not isinstance(consents, list):
        errors.append(InvalidParam("consents", INVALID_VALUE_FORMAT, "consents must be a list"))
        return []
    before = {c.get("consent_id"): c for c in old if isinstance(c, dict)}
    kept = []
    for item in consents:
        if not isinstance(item, dict) or not isinstance(item.get("consent_id"), str):
            errors.append(InvalidParam("consent_id", REQUIRED, "consent_id is required"))
        elif not _consent_value(item.get("consent_value")):
            errors.append(
                InvalidParam("consent_value", NOT_ALLOWED_VALUE, "consent_value is 0, 1 or 2")
            )
        else:
            prior = before.get(item["consent_id"])
            same = prior is not None and prior.get("consent_value") == item["consent_value"]
            changed = prior.get("last_change", now) if same and prior else now
            kept.append(
                {
                    "consent_id": item["consent_id"],
                    "consent_value": item["consent_value"],
                    "last_change": changed,
                }
            )
    return kept


def _agreement(agreement: object, errors: list[InvalidParam]) -> dict[str, Any]:
    if not isinstance(agreement, dict):
        errors.append(
            InvalidParam("agreement", INVALID_VALUE_FORMAT, "agreement must be an object")
        )
        return {}
    kept: dict[str, Any] = {}
    for name in _AGREEMENTS:
        if name in agreement:
            if _consent_value(agreement[name]):
                kept[name] = agreement[name]
            else:
                errors.append(
                    InvalidParam(name, NOT_ALLOWED_VALUE, f"{name} is 0, 1 or 2", agreement[name])
                )
    custom = agreement.get("custom_agreements")
    if custom is not None:
        kept["custom_agreements"] = _custom_agreements(custom, errors)
    return kept


def _custom_agreements(custom: object, errors: list[InvalidParam]) -> list[dict[str, Any]]:
    if not isinstance(custom, list):
        errors.append(
            InvalidParam(
                "custom_agreements", INVALID_VALUE_FORMAT, "custom_agreements must be a list"
            )
        )
        return []
    kept = []
    for item in custom:
        if not isinstance(item, dict) or not isinstance(item.get("agreement_id"), str):
            errors.append(InvalidParam("agreement_id", REQUIRED, "agreement_id is required"))
        elif not _consent_value(item.get("agreement_value")):
            errors.append(InvalidParam("agreement_value", REQUIRED, "agreement_value is 0, 1 or 2"))
        else:
            kept.append(
                {"agreement_id": item["agreement_id"], "agreement_value": item["agreement_value"]}
            )
    return kept


def password_problem(password: object) -> InvalidParam | None:
    """The documented password rules: 8+ characters, a digit, an upper-case letter, not common."""
    if not isinstance(password, str):
        return InvalidParam("password", INVALID_VALUE_FORMAT, "password must be a string")
    weak = (
        len(password) < 8
        or not any(c.isdigit() for c in password)
        or not any(c.isupper() for c in password)
    )
    if weak:
        return InvalidParam(
            "password",
            INVALID_VALUE_FORMAT,
            "password needs 8 characters, a digit and an upper-case letter",
        )
    if password.lower() in COMMON_PASSWORDS:
        return InvalidParam("password", NOT_ALLOWED_VALUE, "password is too common")
    return None


def social_credentials(raw: object) -> tuple[str, str] | ApiError | None:
    """`social_network_credentials {social_network_id, social_network_token}`, both required."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        return bad_request(
            InvalidParam("social_network_credentials", INVALID_VALUE_FORMAT, "must be an object")
        )
    network, token = raw.get("social_network_id"), raw.get("social_network_token")
    if not isinstance(network, str) or not network:
        return bad_request(
            InvalidParam("social_network_id", REQUIRED, "social_network_id is required")
        )
    if not isinstance(token, str) or not token:
        return bad_request(
            InvalidParam("social_network_token", REQUIRED, "social_network_token is required")
        )
    return network, token


def property_record(customer_id: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """A property record from a request; its id is "<property_id>:<customer_id>"."""
    property_id = required_text(raw, "property_id")
    return {
        "property_record_id": f"{property_id}:{customer_id}",
        "property_id": property_id,
        "property_name": property_id.replace("_", " ").capitalize(),
        "property_value": raw.get("property_value"),
        "last_change": now_text(),
    }
