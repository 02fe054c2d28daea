"""The OpenAPI 3 document of the simulated Relay CDM routes (`GET /openapi.json`).

Hand-written from the seed and docs/backends/relay.md (Relay publishes no spec), and kept to the
two routes the sandbox serves. A read customer is `Customer`: fields never set are left out, and
the seed's country "USA" breaks the limit of 2 the loaded `CustomerInput` is held to
(docs/backends/relay.md#customer-record). Error bodies are the sandbox's: Relay does not document
them.
"""

from __future__ import annotations

import copy
from typing import Final

from sandboxes.common.openapi import (
    DATE,
    INJECTED_FAULT,
    STRING,
    Schema,
    array,
    described,
    json_body,
    json_content,
    nullable,
    obj,
    ref,
    text,
)
from sandboxes.relay.validation import (
    ADDRESS_TEXT,
    CONSENT_TYPES,
    CUSTOMER_TEXT,
    ID_MAX,
    MAX_CHANNELS,
)

_CHANNEL_ADDR: Final = "^[0-9]{10,11}$"
_EXT_KEYS: Final = {
    "member_since": "a year, e.g. 1999",
    "membership_level": "e.g. gold",
    "renewal_date": "MM/DD/YYYY",
}


def _customer(*, loading: bool) -> Schema:
    """The customer as GET answers it, or (`loading`) as load-customer-record takes it: there,
    the documented limits hold, and an optional field sent as null is left out."""

    def optional(schema: Schema) -> Schema:
        return nullable(schema) if loading else schema

    def limited(maximum: int) -> Schema:
        return optional(text(maximum) if loading else STRING)

    channels = array(ref("NotificationChannelInput" if loading else "NotificationChannel"))
    ext = obj(
        {key: described(STRING, about) for key, about in _EXT_KEYS.items()},
        description="Client-defined, free-form: strings only.",
    )
    return obj(
        {
            "ccid": text(ID_MAX, minLength=1),
            **{name: limited(maximum) for name, maximum in CUSTOMER_TEXT.items()},
            "date_of_birth": optional(DATE),
            "addresses": optional(array(ref("AddressInput" if loading else "Address"))),
            "notification_channels": optional(
                channels | {"maxItems": MAX_CHANNELS} if loading else channels
            ),
            "ext": optional(ext | {"additionalProperties": STRING}),
        },
        ("ccid",),
        description="The customer to create (never updated)."
        if loading
        else "Fields never set are left out.",
        closed=loading,
    )


def _channel(*, loading: bool) -> Schema:
    def optional(schema: Schema) -> Schema:
        return nullable(schema) if loading else schema

    return obj(
        {
            "channel_type": {"type": "string", "enum": ["sms"]},
            "channel_addr": text(pattern=_CHANNEL_ADDR),
            "consent_type": optional({"type": "string", "enum": sorted(CONSENT_TYPES)}),
            "phone_type": optional(described(text(10) if loading else STRING, "e.g. mobile")),
        },
        ("channel_type", "channel_addr"),
        closed=loading,
    )


def _schemas() -> dict[str, Schema]:
    message = obj({"message": STRING}, ("message",))
    return {
        "Customer": _customer(loading=False),
        "Address": obj(
            {name: STRING for name in ADDRESS_TEXT},
            description="`country` is ISO 3166-1 alpha-2 (the seed's reads USA).",
        ),
        "NotificationChannel": _channel(loading=False),
        "CustomerInput": _customer(loading=True),
        "AddressInput": obj(
            {name: nullable(text(maximum)) for name, maximum in ADDRESS_TEXT.items()},
            closed=True,
        ),
        "NotificationChannelInput": _channel(loading=True),
        "LoadCustomerRecord": obj(
            {
                "product_group_id": text(ID_MAX, minLength=1),
                "customer": ref("CustomerInput"),
            },
            ("product_group_id", "customer"),
            closed=True,
        ),
        "LoadCustomerRecordResult": described(message, "e.g. Customer <ccid> successfully loaded"),
        "Error": obj(
            {"message": STRING, "field": described(STRING, "a dotted path, when one is at fault")},
            ("message",),
            description="The sandbox's error body (Relay documents none).",
        ),
        "InjectedFault": INJECTED_FAULT,
    }


_PATH_PARAMS: Final = [
    {"name": "client_id", "in": "path", "required": True, "schema": {"type": "string"}},
]
_KEY: Final[dict[str, list[str]]] = {"xx-relay-api-key": []}


def _answers(ok: Schema, *statuses: int) -> dict[str, Schema]:
    answers: dict[str, Schema] = {"200": json_content(ok, "OK")}
    for status in (*statuses, 401):
        answers[str(status)] = json_content(ref("Error"), f"HTTP {status}")
    answers["500"] = json_content(ref("InjectedFault"), "HTTP 500")
    return answers


def openapi_document() -> Schema:
    """The document served at GET /openapi.json (a fresh copy: schemas share constants)."""
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Relay CDM API (sandbox)", "version": "v3"},
        "servers": [{"url": "https://api.relayzone.com/platform/v3/api"}],
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {
                "xx-relay-api-key": {"type": "apiKey", "in": "header", "name": "xx-relay-api-key"}
            },
        },
        "security": [_KEY],
        "paths": {
            "/cdm/client/{client_id}/customer/{ccid}": {
                "get": {
                    "operationId": "getCustomer",
                    "summary": "Retrieve Customer/Patient",
                    "parameters": [
                        *_PATH_PARAMS,
                        {
                            "name": "ccid",
                            "in": "path",
                            "required": True,
                            "schema": text(ID_MAX),
                        },
                    ],
                    "responses": _answers(ref("Customer"), 400, 404),
                }
            },
            "/cdm/client/{client_id}/load-customer-record": {
                "post": {
                    "operationId": "loadCustomerRecord",
                    "summary": "Create Customer/Patient (never updates)",
                    "parameters": _PATH_PARAMS,
                    "requestBody": json_body(ref("LoadCustomerRecord"), "The customer to load"),
                    "responses": _answers(ref("LoadCustomerRecordResult"), 400, 409),
                }
            },
        },
    }
    return copy.deepcopy(document)
