"""JSON schemas of the CareCloud sandbox's OpenAPI document: bodies, items, components.

Field lists are written from docs/backends/carecloud.md and the seed, like the routes themselves.
"""

from __future__ import annotations

from typing import Any, Final

Schema = dict[str, Any]

STRING: Final[Schema] = {"type": "string"}
INTEGER: Final[Schema] = {"type": "integer"}
CONSENT_VALUE: Final[Schema] = {"type": "integer", "enum": [0, 1, 2]}

# Item fields of each sub-resource list ([DOC] docs/backends/carecloud.md#sub-resources).
ITEM_FIELDS: Final = {
    "purchases": "purchase_id store_id external_purchase_id payment_time items_count type_id "
    "total_price currency_id card_number cashdesk_number purchase_items property_records",
    "points": "point_id assigned_points available_points point_type_id partner_id valid_to "
    "state created_at note",
    "credits": "credit_id assigned_credits available_credits credit_type_id partner_id valid_to "
    "currency_id state note",
    "vouchers": "voucher_id code value applied_date valid_from valid_to reward_group reward "
    "reward_id created_at state",
    "rewards": "reward_id code name points_cost reward_group priority valid_from valid_to "
    "is_automated",
    "cards": "card_id card_type_id card_number secondary_card_number valid_from valid_to "
    "store_id state",
    "segment-records": "segment_id customer_id created_at last_change",
    "status-records": "status_record_id status_id valid_from valid_to purchase_conditions state",
    "recommendation-records": "recommendation_id name brief_description detailed_description "
    "content picture_urls web_url state",
    "customer-source-records": "customer_source_record_id customer_source_id external_id "
    "last_change",
    "property-records": "property_record_id property_id property_name property_value last_change",
    "interest-records": "interest_record_id interest_id customer_id last_change",
}
_NUMBERS: Final = frozenset(
    [
        "assigned_points",
        "available_points",
        "assigned_credits",
        "available_credits",
        "total_price",
        "value",
    ]
)
_INTEGERS: Final = frozenset(["state", "items_count", "points_cost", "reward_group", "priority"])


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Any], required: tuple[str, ...] = ()) -> Schema:
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def strings(names: str) -> dict[str, Schema]:
    """Space-separated field names, each a string."""
    return {name: STRING for name in names.split()}


def id_of(name: str) -> Schema:
    return obj({name: STRING})


def list_of(key: str, item: Schema) -> Schema:
    return obj({key: {"type": "array", "items": item}, "total_items": INTEGER})


def item(segment: str) -> Schema:
    def typed(name: str) -> Schema:
        if name in _NUMBERS:
            return {"type": "number"}
        return dict(INTEGER) if name in _INTEGERS else {}

    return obj({name: typed(name) for name in ITEM_FIELDS[segment].split()})


def _personal_information() -> Schema:
    address = obj(strings(" ".join(f"address{i}" for i in range(1, 8)) + " zip city country_code"))
    consent = obj({"consent_id": STRING, "consent_value": CONSENT_VALUE, "last_change": STRING})
    consent["required"] = ["consent_id", "consent_value"]
    custom = obj({"agreement_id": STRING, "agreement_value": CONSENT_VALUE})
    agreement = obj(
        {
            "agreement_gtc": CONSENT_VALUE,
            "agreement_profiling": CONSENT_VALUE,
            "agreement_marketing_communication": CONSENT_VALUE,
            "custom_agreements": {"type": "array", "items": custom},
        }
    )
    properties = strings("salutation first_name last_name pre_nominals post_nominals store_id")
    properties |= {
        "photo_url": {"type": "string", "readOnly": True},
        "gender": {"type": "integer", "enum": [1, 2, 3, 4, 5], "nullable": True},
        "birthdate": {"type": "string", "format": "date"},
        "email": STRING,
        "phone": {"type": "string", "pattern": "^[1-9][0-9]*$"},
        "language_id": STRING,
        "address": address,
        "agreement": {**agreement, "deprecated": True},
        "consents": {"type": "array", "items": consent},
    }
    return obj(properties, ("language_id",))


def _errors() -> dict[str, Schema]:
    basic = strings("type exception title detail")
    invalid = obj(strings("name reason value message"))
    bad_data = obj({"invalid_params": {"type": "array", "items": invalid}})
    return {
        "Error": obj({"error": obj({**basic, "error_data": {"type": "object"}})}),
        "BadRequest": obj({"error": obj({**basic, "error_data": bad_data})}),
    }


def components() -> dict[str, Schema]:
    customer = obj(
        {
            "customer_id": {"type": "string", "readOnly": True},
            "personal_information": ref("PersonalInformation"),
            "last_change": {"type": "string", "readOnly": True},
            "state": {"type": "integer", "enum": [0, 1, 2], "readOnly": True},
        },
        ("personal_information",),
    )
    status = obj({**strings("status_id name description validity_period"), "discount": INTEGER})
    return {
        "Customer": customer,
        "PersonalInformation": _personal_information(),
        "Status": status,
        **_errors(),
    }


SOCIAL: Final = obj(strings("social_network_id social_network_token"))
CREATE_CUSTOMER: Final = obj(
    {
        "customer": ref("Customer"),
        "customer_source": obj(strings("customer_source_id external_id"), ("customer_source_id",)),
        "password": STRING,
        "autologin": {"type": "boolean"},
        "social_network_credentials": SOCIAL,
        "property_records": {"type": "array", "items": item("property-records")},
    },
    ("customer", "customer_source", "autologin"),
)
REPLACE_CUSTOMER: Final = obj(
    {"customer": ref("Customer"), "password": STRING, "social_network_credentials": SOCIAL},
    ("customer",),
)
LOGIN: Final = obj(
    strings("user_external_application_id login password"),
    ("user_external_application_id", "login", "password"),
)
LOGIN_ANSWER: Final = obj({**strings("bearer_token valid_to"), "user": {"type": "object"}})
VERIFY_CREDENTIALS: Final = obj(
    {
        "login_type": {"type": "string", "enum": ["card", "email"]},
        **strings("login_value password"),
    },
    ("login_type", "login_value", "password"),
)
VERIFY_SOCIAL: Final = obj({"social_network_credentials": SOCIAL}, ("social_network_credentials",))
STRICT_ANSWER: Final = obj(
    {"strict": {"type": "array", "items": obj({"customer_id": STRING, "match": INTEGER})}}
)
AUTH_TOKEN: Final = obj(
    {
        **strings("customer_id external_application_id"),
        "token_type": {"type": "integer", "enum": [1, 2]},
    },
    ("customer_id", "external_application_id", "token_type"),
)
AUTH_TOKEN_ANSWER: Final = obj(strings("authentication_token token_request_id valid_to"))
VERIFY_AUTH_TOKEN: Final = obj(
    strings("application_id token token_request_id"),
    ("application_id", "token", "token_request_id"),
)
