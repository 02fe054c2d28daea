"""The OpenAPI 3.0 document of the routes the Club Med sandbox simulates (`GET /openapi.json`).

Every operation has an `operationId` and its bodies a schema (`openapi_schemas.py`), so a client
or GraphQL Mesh generated from it gets typed records. `POST /token` (the auth host's, simulated
here too) is the OAuth2 scheme's `tokenUrl`, not an operation.
"""

from __future__ import annotations

import copy
from typing import Any, Final

from sandboxes.clubmed import openapi_schemas
from sandboxes.common.openapi import (
    INJECTED_FAULT,
    Schema,
    array,
    json_body,
    json_content,
    ref,
)


def _param(name: str, where: str, required: bool = False, **schema: Any) -> Schema:
    return {"name": name, "in": where, "required": required, "schema": schema or {"type": "string"}}


_CUSTOMER_ID: Final = _param("customer_id", "path", True, type="string", pattern="^[0-9]+$")
_LANGUAGE: Final = _param("accept-language", "header", True, type="string", example="en-US")
_ERROR_TEXT: Final = {
    400: "Invalid parameter or body",
    401: "Missing, invalid or expired token or API key",
    403: "The customer is not in the scope of the caller's issuer",
    404: "No such customer",
    500: "Server error",
}
# 206 Partial Content: the page does not hold every match (docs/backends/clubmed.md#paging).
_PAGE_HEADERS: Final = {
    "Accept-Ranges": {"required": True, "schema": {"type": "string", "enum": ["customers"]}},
    "Content-Range": {
        "description": "customers <first>-<last>/<total>, 0-based and inclusive, "
        "or customers */<total> past the end",
        "required": True,
        "schema": {"type": "string", "pattern": "^customers ([0-9]+-[0-9]+|\\*)/[0-9]+$"},
    },
}


def _responses(ok: dict[int, Schema], errors: tuple[int, ...]) -> Schema:
    found: Schema = {str(status): answer for status, answer in ok.items()}
    for status in (*errors, 500):
        schema = ref("InjectedFault") if status == 500 else ref("Error")
        found[str(status)] = json_content(schema, _ERROR_TEXT[status])
    return found


def _operation(
    operation_id: str,
    summary: str,
    params: list[Schema],
    ok: dict[int, Schema],
    errors: tuple[int, ...],
    body: str | None = None,
) -> Schema:
    operation: Schema = {
        "operationId": operation_id,
        "summary": summary,
        "security": [{"bearer": [], "apiKey": []}],
        "parameters": params,
        "responses": _responses(ok, errors),
    }
    if body is not None:
        operation["requestBody"] = json_body(ref(body))
    return operation


def _paths() -> dict[str, Any]:
    scoped = [_CUSTOMER_ID, _LANGUAGE]
    search = [
        _param("filter", "query", True, type="string", example="last_name==Smith"),
        _param("limit", "query", type="integer", minimum=1, maximum=100, default=20),
        _param("page", "query", type="integer", minimum=1, default=1),
        _param("offer_code", "query", type="string", pattern="^[A-Za-z0-9_-]{1,32}$"),
    ]
    force = _param("force_address", "query", type="boolean", default=False)
    date_format = _param("date_format", "query", type="string", enum=["Ymd", "Y-m-d"])
    items = array(ref("CustomerSearchItem"))
    found = {
        200: json_content(items, "Every match"),
        206: {**json_content(items, "One page of the matches"), "headers": _PAGE_HEADERS},
    }
    none = {204: {"description": "Done"}}
    on_customer = (400, 401, 403, 404)
    return {
        "/v1/customers": {
            "get": _operation("searchCustomers", "Search customers", search, found, (400, 401)),
            "post": _operation(
                "createCustomer",
                "Create a customer",
                [_LANGUAGE, force],
                {201: json_content(ref("CreatedCustomer"), "Created")},
                (400, 401),
                "NewCustomer",
            ),
        },
        "/v2/customers/{customer_id}/profile": {
            "get": _operation(
                "getCustomerProfile",
                "Read a profile",
                [*scoped, date_format],
                {200: json_content(ref("CustomerProfile"), "The profile")},
                on_customer,
            ),
        },
        "/v1/customers/{customer_id}/profile": {
            "patch": _operation(
                "updateCustomerProfile",
                "Update a profile",
                scoped,
                none,
                on_customer,
                "ProfilePatch",
            ),
        },
        "/v1/customers/{customer_id}/travelers": {
            "get": _operation(
                "listTravelers",
                "List travelers",
                scoped,
                {200: json_content(array(ref("Traveler")), "The travelers")},
                on_customer,
            ),
            "post": _operation(
                "addTraveler",
                "Add a traveler",
                scoped,
                {200: json_content(ref("Traveler"), "The new traveler")},
                on_customer,
                "NewTraveler",
            ),
        },
        "/v1/customers/{customer_id}/travel_documents": {
            "get": _operation(
                "getTravelDocuments",
                "Read travel documents",
                scoped,
                {200: json_content(ref("TravelDocuments"), "The travel documents")},
                on_customer,
            ),
            "patch": _operation(
                "updateTravelDocuments",
                "Update travel documents",
                scoped,
                none,
                on_customer,
                "TravelDocumentsPatch",
            ),
        },
    }


def openapi_document() -> Schema:
    """The OpenAPI 3.0 document served at GET /openapi.json (a fresh copy: schemas share
    module constants)."""
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Club Med customer API (sandbox)", "version": "1"},
        "servers": [{"url": "/"}],
        "paths": _paths(),
        "components": {
            "schemas": {**openapi_schemas.components(), "InjectedFault": INJECTED_FAULT},
            "securitySchemes": {
                "bearer": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "/token",
                            "scopes": {"openid": "OpenID", "pms": "PMS", "dm": "DM"},
                        }
                    },
                },
                "apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"},
            },
        },
    }
    return copy.deepcopy(document)
