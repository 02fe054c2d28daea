"""The OpenAPI 3 document of the simulated Relay CDM routes (`GET /openapi.json`).

Hand-written from the seed and docs/backends/relay.md (Relay publishes no spec), and kept to the
two routes the sandbox serves. Error bodies are the sandbox's: Relay does not document them.
"""

from __future__ import annotations

from typing import Any, Final

from sandboxes.relay.validation import (
    ADDRESS_TEXT,
    CONSENT_TYPES,
    CUSTOMER_TEXT,
    ID_MAX,
    MAX_CHANNELS,
)

Schema = dict[str, Any]


def _text(maximum: int) -> Schema:
    return {"type": "string", "maxLength": maximum}


_ADDRESS: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {name: _text(maximum) for name, maximum in ADDRESS_TEXT.items()},
}
_CHANNEL: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["channel_type", "channel_addr"],
    "properties": {
        "channel_type": {"type": "string", "enum": ["sms"]},
        "channel_addr": {"type": "string", "pattern": "^[0-9]{10,11}$"},
        "consent_type": {"type": "string", "enum": sorted(CONSENT_TYPES)},
        "phone_type": _text(10),
    },
}
_CUSTOMER: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["ccid"],
    "properties": {
        "ccid": _text(ID_MAX),
        **{name: _text(maximum) for name, maximum in CUSTOMER_TEXT.items()},
        "date_of_birth": {"type": "string", "format": "date"},
        "addresses": {"type": "array", "items": _ADDRESS},
        "notification_channels": {"type": "array", "maxItems": MAX_CHANNELS, "items": _CHANNEL},
        "ext": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
_MESSAGE: Final[Schema] = {
    "type": "object",
    "required": ["message"],
    "properties": {"message": {"type": "string"}, "field": {"type": "string"}},
}
_PATH_PARAMS: Final = [
    {"name": "client_id", "in": "path", "required": True, "schema": {"type": "string"}},
]
_KEY: Final[dict[str, list[str]]] = {"xx-relay-api-key": []}


def _answers(ok: Schema, *statuses: int) -> dict[str, Schema]:
    answers: dict[str, Schema] = {"200": _json(ok, "OK")}
    for status in (*statuses, 401, 500):
        answers[str(status)] = _json(_MESSAGE, f"HTTP {status}")
    return answers


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_document() -> Schema:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Relay CDM API (sandbox)", "version": "v3"},
        "servers": [{"url": "https://api.relayzone.com/platform/v3/api"}],
        "components": {
            "securitySchemes": {
                "xx-relay-api-key": {"type": "apiKey", "in": "header", "name": "xx-relay-api-key"}
            }
        },
        "security": [_KEY],
        "paths": {
            "/cdm/client/{client_id}/customer/{ccid}": {
                "get": {
                    "summary": "Retrieve Customer/Patient",
                    "parameters": [
                        *_PATH_PARAMS,
                        {
                            "name": "ccid",
                            "in": "path",
                            "required": True,
                            "schema": _text(ID_MAX),
                        },
                    ],
                    "responses": _answers(_CUSTOMER, 400, 404),
                }
            },
            "/cdm/client/{client_id}/load-customer-record": {
                "post": {
                    "summary": "Create Customer/Patient (never updates)",
                    "parameters": _PATH_PARAMS,
                    "requestBody": _json(
                        {
                            "type": "object",
                            "required": ["product_group_id", "customer"],
                            "properties": {
                                "product_group_id": _text(ID_MAX),
                                "customer": _CUSTOMER,
                            },
                        },
                        "The customer to load",
                    ),
                    "responses": _answers(_MESSAGE, 400, 409),
                }
            },
        },
    }
