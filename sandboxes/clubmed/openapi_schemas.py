"""JSON schemas of the Club Med sandbox's OpenAPI document: the records as `records.py` renders
them, and the request bodies as `validation.py` checks them.

Dates are Club Med's yyyymmdd strings (docs/backends/clubmed.md#customer-record): plain strings
with a pattern, not `format: date`. Empty fields are null (v2, docs/backends/clubmed.md#routes).
Enumerations are the sandbox's fixed sets; Club Med may add values in any version
(docs/backends/clubmed.md#versions).
"""

from __future__ import annotations

from typing import Final

from sandboxes.clubmed.records import ADDRESS_FIELDS, DOCUMENT_KEYS
from sandboxes.clubmed.validation import IDENTITY_TYPES, MAX_NAME, PHONE_TYPES
from sandboxes.common.openapi import (
    BOOLEAN,
    INTEGER,
    STRING,
    Schema,
    array,
    described,
    nullable,
    obj,
    record,
    ref,
    text,
)
from sandboxes.common.people import LOYALTY_TIERS

YYYYMMDD: Final = "^[0-9]{8}$"
YYYYMMDD_OR_DASHED: Final = "^([0-9]{8}|[0-9]{4}-[0-9]{2}-[0-9]{2})$"
ISO2: Final = "^[A-Z]{2}$"
DIGITS: Final = "^[0-9]+$"
# The checks of validation.py and parameters.py, as patterns.
PHONE: Final = "^\\+?[0-9 ]{6,20}$"
EMAIL: Final = "^[^@\\s]+@[^@\\s]+\\.[^@\\s.]+$"
LANGUAGE_TAG: Final = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
IDENTITY_NUMBER: Final = "^[A-Za-z0-9][A-Za-z0-9 ./-]{0,29}$"
DOCUMENT_NUMBER: Final = "^[A-Z0-9]{5,20}$"

_GENDER: Final[Schema] = {"type": "string", "enum": ["M", "F"]}
_PHONE_TYPE: Final[Schema] = {"type": "string", "enum": sorted(PHONE_TYPES)}
_IDENTITY_TYPE: Final[Schema] = {"type": "string", "enum": sorted(IDENTITY_TYPES)}
_LOYALTY_STATUS: Final[Schema] = {"type": "string", "enum": list(LOYALTY_TIERS)}
_DAY: Final = described(text(pattern=YYYYMMDD), "yyyymmdd")
_CLEARS = "null (or an empty string) clears it"


def _records() -> dict[str, Schema]:
    address = nullable(
        record(
            {name: nullable(STRING) for name in ADDRESS_FIELDS},
            description="`country` is a name in upper case, `country_code` ISO 3166-1 alpha-2.",
        )
    )
    document = {
        "document_number": text(pattern=DOCUMENT_NUMBER),
        "issuing_country": nullable(text(pattern=ISO2)),
        "nationality": nullable(text(pattern=ISO2)),
        "expiration_date": nullable(_DAY),
    }
    names = {
        "first_name": text(MAX_NAME),
        "last_name": text(MAX_NAME),
    }
    return {
        "Phone": record(
            {
                "number": described(
                    text(pattern=PHONE), "as written (Club Med's examples: national)"
                ),
                "type": _PHONE_TYPE,
            }
        ),
        "Address": address,
        "IdentityNumber": nullable(
            record({"number": text(pattern=IDENTITY_NUMBER), "type": _IDENTITY_TYPE})
        ),
        "Optin": record(
            {
                "channel": {"type": "string", "enum": ["EMAIL", "MAIL"]},
                "optin": BOOLEAN,
                "optin_partners": BOOLEAN,
            }
        ),
        "LoyaltyProgram": record(
            {
                "status": _LOYALTY_STATUS,
                "previous_status": nullable(_LOYALTY_STATUS),
                "is_platinum_for_life": BOOLEAN,
                "points": INTEGER,
            }
        ),
        "Link": record({"rel": STRING, "method": STRING, "href": STRING}),
        "CustomerSearchItem": record(
            {
                "id": text(pattern=DIGITS),
                "gm_number": text(pattern=DIGITS),
                **names,
                "birthdate": nullable(_DAY),
                "email": nullable(text(pattern=EMAIL)),
                "phones": array(ref("Phone")),
                "loyalty_program": record({"status": _LOYALTY_STATUS, "points": INTEGER}),
            },
            description="An item of a search: a few fields of the profile.",
        ),
        "CustomerProfile": _profile(names),
        "CreatedCustomer": record(
            {
                "id": text(pattern=DIGITS),
                "gm_number": text(pattern=DIGITS),
                "email": nullable(text(pattern=EMAIL)),
                "identity": record(names),
                "locale": nullable(text(pattern=LANGUAGE_TAG)),
            }
        ),
        "Traveler": record(
            {
                "id": described(STRING, "traveler-<n>, numbered per customer"),
                **names,
                "birthdate": nullable(_DAY),
                "civility": nullable(text(10)),
                "email": nullable(text(pattern=EMAIL)),
                "phones": array(ref("Phone")),
                "optins": array(ref("Optin")),
                "birth_country_code": nullable(text(pattern=ISO2)),
                "identity": ref("IdentityNumber"),
                "address": ref("Address"),
            }
        ),
        "TravelDocument": nullable(record(document)),
        "Visa": record(document),
        "TravelDocuments": record(
            {
                **{key: ref("TravelDocument") for key in DOCUMENT_KEYS},
                "visas": array(ref("Visa")),
            },
            description="The object form: one document of each type, or null, and the visas.",
        ),
    }


def _profile(names: dict[str, Schema]) -> Schema:
    day = described(
        nullable(text(pattern=YYYYMMDD_OR_DASHED)), "yyyymmdd, or yyyy-mm-dd with date_format=Y-m-d"
    )
    return record(
        {
            "gm_number": text(pattern=DIGITS),
            "email": nullable(text(pattern=EMAIL)),
            "gender": nullable(_GENDER),
            "civility": nullable(text(10)),
            "first_name": names["first_name"],
            "second_name": nullable(text(MAX_NAME)),
            "third_name": nullable(text(MAX_NAME)),
            "last_name": names["last_name"],
            "birth_city": nullable(STRING),
            "birth_country_code": nullable(text(pattern=ISO2)),
            "birthdate": day,
            "phones": array(ref("Phone")),
            "address": ref("Address"),
            "identity": ref("IdentityNumber"),
            "loyalty_program": ref("LoyaltyProgram"),
            "locale": nullable(text(pattern=LANGUAGE_TAG)),
            "optins": array(ref("Optin")),
            "customer_type": {"type": "string", "enum": ["CLIENT"]},
            "customer_status": {"type": "string", "enum": ["CUSTOMER", "PROSPECT"]},
            "blacklisted": BOOLEAN,
            "birthday": day,
            "language_code": described(
                nullable(text(pattern="^[A-Z]{2,3}$")), "the locale's language, upper case"
            ),
            "_links": array(ref("Link")),
        },
        description="The v2 profile: every empty field null.",
    )


def _inputs() -> dict[str, Schema]:
    email = text(254, pattern=EMAIL)
    name = text(MAX_NAME, minLength=1)
    phones = array(ref("PhoneInput"))
    document = {
        "document_number": text(pattern=DOCUMENT_NUMBER),
        "issuing_country": nullable(text(pattern=ISO2)),
        "nationality": nullable(text(pattern=ISO2)),
        "expiration_date": nullable(_DAY),
    }
    return {
        "PhoneInput": obj(
            {"number": text(pattern=PHONE), "type": _PHONE_TYPE}, ("number", "type"), closed=True
        ),
        "AddressInput": nullable(
            obj(
                {key: nullable(text(100)) for key in ADDRESS_FIELDS},
                description="Patched key by key. Unless force_address=true, a created customer's "
                "or a traveler's address needs an ISO2 country_code, a city and a zip_code.",
                closed=True,
            )
        ),
        "IdentityNumberInput": nullable(
            obj(
                {"number": text(pattern=IDENTITY_NUMBER), "type": _IDENTITY_TYPE},
                ("number", "type"),
                description="Replaced whole; null clears it. A CPF or a CUIL is 11 digits "
                "once its separators are dropped.",
                closed=True,
            )
        ),
        "NewCustomer": obj(
            {
                "email": nullable(email),
                "identity": ref("NewCustomerIdentity"),
                "phones": nullable(phones),
                "address": ref("AddressInput"),
                "locale": nullable(text(pattern=LANGUAGE_TAG)),
                "birth_city": nullable(text(100)),
                "identity_number": ref("IdentityNumberInput"),
            },
            ("identity",),
            closed=True,
        ),
        "NewCustomerIdentity": obj(
            {
                "first_name": name,
                "last_name": name,
                "second_name": nullable(text(MAX_NAME)),
                "birthdate": nullable(described(_DAY, "yyyymmdd, not in the future")),
                "gender": nullable(_GENDER),
                "civility": nullable(text(10)),
            },
            ("first_name", "last_name"),
            description="The new customer's names.",
            closed=True,
        ),
        "ProfilePatch": obj(
            {
                "email": nullable(email),
                "gender": nullable(_GENDER),
                "civility": nullable(text(10)),
                "first_name": name,
                "second_name": nullable(text(MAX_NAME)),
                "third_name": nullable(text(MAX_NAME)),
                "last_name": name,
                "birth_city": nullable(text(100)),
                "birth_country_code": nullable(text(pattern=ISO2)),
                "birthdate": nullable(described(_DAY, "yyyymmdd, not in the future")),
                "phones": nullable(phones),
                "locale": nullable(text(pattern=LANGUAGE_TAG)),
                "identity": ref("IdentityNumberInput"),
                "address": ref("AddressInput"),
            },
            description=f"A key left out is kept; {_CLEARS} (not the names). "
            "No address validation.",
            closed=True,
        ),
        "NewTraveler": obj(
            {
                "first_name": name,
                "last_name": name,
                "birthdate": nullable(
                    described(text(pattern=YYYYMMDD_OR_DASHED), "yyyymmdd or yyyy-mm-dd")
                ),
                "civility": nullable(text(10)),
                "email": nullable(email),
                "phones": nullable(phones),
                "address": ref("AddressInput"),
                "identity": ref("IdentityNumberInput"),
            },
            ("first_name", "last_name"),
            closed=True,
        ),
        "TravelDocumentPatch": nullable(
            obj(
                document,
                description="Patched key by key; a new document needs a document_number.",
                closed=True,
            )
        ),
        "VisaInput": obj(document, ("document_number",), closed=True),
        "TravelDocumentsPatch": obj(
            {
                **{key: ref("TravelDocumentPatch") for key in DOCUMENT_KEYS},
                "visas": nullable(described(array(ref("VisaInput")), "replaces the whole list")),
            },
            description="A key left out is kept; null removes the document.",
            closed=True,
        ),
    }


def _error() -> Schema:
    codes = [
        "INVALID_FILTER",
        "INVALID_PARAMETER",
        "INVALID_BODY",
        "UNAUTHORIZED",
        "FORBIDDEN",
        "NOT_FOUND",
        "ALREADY_EXISTS",
        "METHOD_NOT_ALLOWED",
        "HTTP_ERROR",
    ]
    return obj(
        {
            "code": {"type": "string", "enum": codes},
            "message": STRING,
            "field": described(STRING, "the input at fault, when one is"),
        },
        ("code", "message"),
        description="The sandbox's error body (Club Med's is not public).",
    )


def components() -> dict[str, Schema]:
    return {**_records(), **_inputs(), "Error": _error()}
