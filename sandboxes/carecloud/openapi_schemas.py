"""JSON schemas of the CareCloud sandbox's OpenAPI document: records, bodies, envelopes, errors.

Written from docs/backends/carecloud.md and the seed, like the routes themselves, and held to
what the sandbox renders (`records.py`, `seed.py`, `validation.py`): every field it emits, null
where it may be. Dates are `YYYY-MM-DD` (`format: date`); datetimes `YYYY-MM-DD HH:MM:SS` in the
project's local time without offset, a pattern (docs/backends/carecloud.md#conventions). Every
answer is `{"data": ...}`: `<Name>Response` wraps component `<Name>`.
"""

from __future__ import annotations

from typing import Final

from sandboxes.carecloud.errors import (
    ALREADY_EXISTS,
    INVALID_VALUE_FORMAT,
    NOT_ALLOWED_VALUE,
    REQUIRED,
)
from sandboxes.carecloud.subresources import KINDS
from sandboxes.carecloud.validation import EMAIL_PATTERN, LANGUAGE_PATTERN, PHONE_PATTERN
from sandboxes.common.openapi import (
    BOOLEAN,
    DATE,
    INTEGER,
    NUMBER,
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

DATETIME: Final[Schema] = described(
    text(pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$"),
    "YYYY-MM-DD HH:MM:SS, the project's local time",
)
STATE: Final[Schema] = described(
    {"type": "integer", "enum": [0, 1, 2]}, "0 deleted, 1 active, 2 not active"
)
CONSENT_VALUE: Final[Schema] = described(
    {"type": "integer", "enum": [0, 1, 2]}, "0 withdrawn, 1 given, 2 not set"
)
# No type: any JSON value, null included (`nullable` for the readers that look at it).
ANY_VALUE: Final[Schema] = {"description": "Any JSON value", "nullable": True}

# The item schema of each sub-resource list, by route segment.
ITEM_SCHEMAS: Final = {
    "purchases": "Purchase",
    "points": "Point",
    "credits": "Credit",
    "vouchers": "Voucher",
    "rewards": "Reward",
    "cards": "Card",
    "segment-records": "SegmentRecord",
    "status-records": "StatusRecord",
    "recommendation-records": "RecommendationRecord",
    "customer-source-records": "CustomerSourceRecord",
    "property-records": "PropertyRecord",
    "interest-records": "InterestRecord",
}
# The ids a create answers, each `{"data": {"<id>": ...}}`.
CREATED_IDS: Final = {
    "CustomerId": "customer_id",
    "CustomerSourceRecordId": "customer_source_record_id",
    "PropertyRecordId": "property_record_id",
    "InterestRecordId": "interest_record_id",
}


def _items() -> dict[str, Schema]:
    """The sub-resources' items ([DOC] docs/backends/carecloud.md#sub-resources)."""
    return {
        "Purchase": record(
            {
                "purchase_id": STRING,
                "store_id": STRING,
                "external_purchase_id": STRING,
                "payment_time": DATETIME,
                "items_count": INTEGER,
                "type_id": STRING,
                "total_price": NUMBER,
                "currency_id": STRING,
                "card_number": STRING,
                "cashdesk_number": STRING,
                "purchase_items": array({"type": "object"}),
                "property_records": array({"type": "object"}),
            }
        ),
        "Point": record(
            {
                "point_id": STRING,
                "assigned_points": NUMBER,
                "available_points": NUMBER,
                "point_type_id": STRING,
                "partner_id": nullable(STRING),
                "valid_to": DATE,
                "state": STATE,
                "created_at": DATETIME,
                "note": STRING,
            }
        ),
        "Credit": record(
            {
                "credit_id": STRING,
                "assigned_credits": NUMBER,
                "available_credits": NUMBER,
                "credit_type_id": STRING,
                "partner_id": nullable(STRING),
                "valid_to": nullable(DATE),
                "currency_id": STRING,
                "state": STATE,
                "note": nullable(STRING),
            }
        ),
        "Voucher": record(
            {
                "voucher_id": STRING,
                "code": STRING,
                "value": NUMBER,
                "applied_date": nullable(DATETIME),
                "valid_from": DATE,
                "valid_to": DATE,
                "reward_group": INTEGER,
                "reward": record({"reward_id": STRING, "name": STRING}),
                "reward_id": STRING,
                "created_at": DATETIME,
                "state": STATE,
            }
        ),
        "Reward": record(
            {
                "reward_id": STRING,
                "code": STRING,
                "name": STRING,
                "points_cost": INTEGER,
                "reward_group": INTEGER,
                "priority": INTEGER,
                "valid_from": DATE,
                "valid_to": DATE,
                "is_automated": BOOLEAN,
            }
        ),
        "Card": record(
            {
                "card_id": STRING,
                "card_type_id": STRING,
                "card_number": STRING,
                "secondary_card_number": nullable(STRING),
                "valid_from": DATE,
                "valid_to": nullable(DATE),
                "store_id": STRING,
                "state": described(
                    {"type": "integer", "enum": [0, 1, 2]}, "0 blocked, 1 active, 2 not active"
                ),
            }
        ),
        "SegmentRecord": record(
            {
                "segment_id": STRING,
                "customer_id": STRING,
                "created_at": DATETIME,
                "last_change": DATETIME,
            }
        ),
        "StatusRecord": record(
            {
                "status_record_id": STRING,
                "status_id": STRING,
                "valid_from": DATETIME,
                "valid_to": nullable(DATETIME),
                "purchase_conditions": nullable({"type": "object"}),
                "state": STATE,
            }
        ),
        "RecommendationRecord": record(
            {
                "recommendation_id": STRING,
                "name": STRING,
                "brief_description": STRING,
                "detailed_description": nullable(STRING),
                "content": nullable(STRING),
                "picture_urls": array(STRING),
                "web_url": nullable(STRING),
                "state": STATE,
            }
        ),
        "CustomerSourceRecord": record(
            {
                "customer_source_record_id": STRING,
                "customer_source_id": STRING,
                "external_id": nullable(STRING),
                "last_change": DATETIME,
            }
        ),
        "PropertyRecord": record(
            {
                "property_record_id": described(STRING, "<property_id>:<customer_id>"),
                "property_id": STRING,
                "property_name": STRING,
                "property_value": ANY_VALUE,
                "last_change": DATETIME,
            }
        ),
        "InterestRecord": record(
            {
                "interest_record_id": STRING,
                "interest_id": STRING,
                "customer_id": STRING,
                "last_change": DATETIME,
            }
        ),
    }


def _customer() -> dict[str, Schema]:
    """The customer ([DOC] docs/backends/carecloud.md#customer-record), read and written: the
    read-only fields are ignored in a request."""
    address = obj(
        {
            **{f"address{n}": STRING for n in range(1, 8)},
            "zip": STRING,
            "city": STRING,
            "country_code": described(text(pattern="^([a-z]{2})?$"), "ISO 3166-1, lower case"),
        },
        description="address1 is the street.",
    )
    information = obj(
        {
            "salutation": STRING,
            "first_name": STRING,
            "last_name": STRING,
            "pre_nominals": STRING,
            "post_nominals": STRING,
            "store_id": described(STRING, "can be changed, never removed"),
            "photo_url": {"type": "string", "readOnly": True},
            "gender": described(
                nullable({"type": "integer", "enum": [1, 2, 3, 4, 5]}),
                "1 male, 2 female, 3 miss, 4 private, 5 other",
            ),
            "birthdate": DATE,
            "email": text(pattern=EMAIL_PATTERN.pattern),
            "phone": described(
                text(pattern=PHONE_PATTERN.pattern), "international digits without +"
            ),
            "language_id": described(text(pattern=LANGUAGE_PATTERN.pattern), "ISO 639-1"),
            "address": ref("Address"),
            "agreement": ref("Agreement"),
            "consents": array(ref("Consent")),
        },
        ("language_id",),
        description="A PUT replaces it whole: a field left out is deleted.",
    )
    custom = record({"agreement_id": STRING, "agreement_value": CONSENT_VALUE})
    agreement = obj(
        {
            "agreement_gtc": CONSENT_VALUE,
            "agreement_profiling": CONSENT_VALUE,
            "agreement_marketing_communication": CONSENT_VALUE,
            "custom_agreements": array(ref("CustomAgreement")),
        },
        description="Deprecated for consents, but for custom_agreements.",
    )
    consent = record(
        {
            "consent_id": STRING,
            "consent_value": CONSENT_VALUE,
            "last_change": {**DATETIME, "readOnly": True},
        }
    )
    customer = record(
        {
            "customer_id": {"type": "string", "readOnly": True},
            "personal_information": ref("PersonalInformation"),
            "last_change": {**DATETIME, "readOnly": True},
            "state": {**STATE, "readOnly": True},
        }
    )
    return {
        "Customer": customer,
        "PersonalInformation": information,
        "Address": address,
        "Agreement": {**agreement, "deprecated": True},
        "CustomAgreement": custom,
        "Consent": consent,
    }


def _answers() -> dict[str, Schema]:
    """What the routes answer besides the records, and the lists."""
    user = record(
        {
            "user_id": STRING,
            "login": STRING,
            "first_name": STRING,
            "last_name": STRING,
            "email": STRING,
            "user_role_id": STRING,
        }
    )
    match = record(
        {
            "customer_id": STRING,
            "match": described({"type": "integer", "minimum": 0, "maximum": 100}, "percent"),
        }
    )
    lists = {
        f"{name}List": record(
            {KINDS[segment].key: array(ref(name)), "total_items": described(INTEGER, "every match")}
        )
        for segment, name in ITEM_SCHEMAS.items()
    }
    return {
        "CustomerList": record(
            {"customers": array(ref("Customer")), "total_items": described(INTEGER, "every match")}
        ),
        "Status": record(
            {
                "status_id": STRING,
                "name": STRING,
                "description": STRING,
                "qualification_period": INTEGER,
                "previous_status": nullable(STRING),
                "next_status": nullable(STRING),
                "validity_period": STRING,
                "collection_points": BOOLEAN,
                "payment_points": BOOLEAN,
                "qualification_type": INTEGER,
                "discount": INTEGER,
                "last_change": DATETIME,
            }
        ),
        "StatusList": record(
            {"statuses": array(ref("Status")), "total_items": described(INTEGER, "every match")}
        ),
        **lists,
        **{name: record({key: STRING}) for name, key in CREATED_IDS.items()},
        "User": user,
        "Session": record(
            {
                "bearer_token": STRING,
                "valid_to": DATETIME,
                "user": ref("User"),
            }
        ),
        "StrictSearchResult": record({"strict": array(match)}),
        "AuthToken": record(
            {"authentication_token": STRING, "token_request_id": STRING, "valid_to": DATETIME}
        ),
    }


def _requests() -> dict[str, Schema]:
    required = text(minLength=1)
    property_record = obj({"property_id": required, "property_value": ANY_VALUE}, ("property_id",))
    return {
        "Login": obj(
            {"user_external_application_id": required, "login": required, "password": required},
            ("user_external_application_id", "login", "password"),
        ),
        "SocialNetworkCredentials": obj(
            {"social_network_id": required, "social_network_token": required},
            ("social_network_id", "social_network_token"),
        ),
        "NewCustomer": obj(
            {
                "customer": ref("Customer"),
                "customer_source": obj(
                    {"customer_source_id": required, "external_id": nullable(STRING)},
                    ("customer_source_id",),
                ),
                "password": described(
                    STRING, "8+ characters, a digit, an upper-case letter; needed by autologin"
                ),
                "autologin": BOOLEAN,
                "social_network_credentials": ref("SocialNetworkCredentials"),
                "property_records": array(ref("NewPropertyRecordItem")),
            },
            ("customer", "customer_source", "autologin"),
        ),
        "CustomerReplacement": obj(
            {
                "customer": ref("Customer"),
                "password": described(STRING, "kept when left out"),
                "social_network_credentials": ref("SocialNetworkCredentials"),
                "property_records": array(ref("NewPropertyRecordItem")),
            },
            ("customer",),
        ),
        "VerifyCredentials": obj(
            {
                "login_type": {"type": "string", "enum": ["card", "email"]},
                "login_value": required,
                "password": required,
            },
            ("login_type", "login_value", "password"),
        ),
        "VerifySocialCredentials": obj(
            {"social_network_credentials": ref("SocialNetworkCredentials")},
            ("social_network_credentials",),
        ),
        "AuthTokenRequest": obj(
            {
                "customer_id": required,
                "external_application_id": required,
                "token_type": described(
                    {"type": "integer", "enum": [1, 2]}, "1 letters and digits, 2 digits"
                ),
            },
            ("customer_id", "external_application_id", "token_type"),
        ),
        "VerifyAuthToken": obj(
            {"application_id": required, "token": required, "token_request_id": required},
            ("application_id", "token", "token_request_id"),
        ),
        "NewCustomerSourceRecord": obj(
            {
                "customer_source_record": obj(
                    {"customer_source_id": required, "external_id": nullable(STRING)},
                    ("customer_source_id",),
                )
            },
            ("customer_source_record",),
        ),
        "NewPropertyRecordItem": property_record,
        "NewPropertyRecord": obj({"property_record": property_record}, ("property_record",)),
        "PropertyRecordBatch": obj(
            {"property_records": array(ref("NewPropertyRecordItem"))}, ("property_records",)
        ),
        "PropertyRecordUpdate": obj(
            {
                "property_record": obj(
                    {"property_value": ANY_VALUE}, description="Only property_value is changed."
                )
            },
            ("property_record",),
        ),
        "InterestRecordBody": obj(
            {"interest_record": obj({"interest_id": required}, ("interest_id",))},
            ("interest_record",),
        ),
    }


def _errors() -> dict[str, Schema]:
    """CareCloud's error body, `error_data` by status ([DOC] docs/backends/carecloud.md#errors)."""

    def error(data: Schema) -> Schema:
        body = record(
            {
                "type": STRING,
                "exception": STRING,
                "title": STRING,
                "detail": STRING,
                "error_data": data,
            }
        )
        return record({"error": body})

    reasons = [ALREADY_EXISTS, REQUIRED, NOT_ALLOWED_VALUE, INVALID_VALUE_FORMAT]
    invalid = obj(
        {
            "name": STRING,
            "reason": {"type": "string", "enum": reasons},
            "value": described(STRING, "the value refused, as text"),
            "message": STRING,
        },
        ("name", "reason", "message"),
    )
    return {
        "BadRequest": error(record({"invalid_params": array(invalid)})),
        "Unauthorized": error({"type": "object"}),
        "Forbidden": error(record({"invalid_resource_name": STRING, "interface": STRING})),
        "NotFound": error(record({"resource_name": STRING, "resource_id": nullable(STRING)})),
        "MethodNotAllowed": error(record({"http_method": STRING})),
    }


# The data of each success answer: `<name>Response` is `{"data": <name>}`.
ENVELOPED: Final = (
    "Customer",
    "CustomerList",
    "Session",
    "StrictSearchResult",
    "AuthToken",
    "Status",
    "StatusList",
    *CREATED_IDS,
    *(f"{name}List" for name in ITEM_SCHEMAS.values()),
)


def components() -> dict[str, Schema]:
    found = {**_customer(), **_items(), **_answers(), **_requests(), **_errors()}
    found |= {f"{name}Response": record({"data": ref(name)}) for name in ENVELOPED}
    return found
