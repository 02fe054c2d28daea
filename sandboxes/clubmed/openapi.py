"""A compact OpenAPI 3.0 document of the routes the Club Med sandbox simulates."""

from __future__ import annotations

from typing import Any

_ERROR = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "field": {"type": "string"},
    },
    "required": ["code", "message"],
}


def _param(name: str, where: str, required: bool = False, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": schema or {"type": "string"}}


_CUSTOMER_ID = _param("customer_id", "path", True, type="string", pattern="^[0-9]+$")
_LANGUAGE = _param("accept-language", "header", True, type="string", example="en-US")


def _responses(*codes: int, ok: str = "OK") -> dict[str, Any]:
    found: dict[str, Any] = {}
    for code in codes:
        if code < 300:
            found[str(code)] = {"description": ok}
        else:
            error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
            found[str(code)] = {"description": "Error", "content": error}
    return found


def _operation(summary: str, params: list[dict[str, Any]], *codes: int) -> dict[str, Any]:
    body_needed = summary.startswith(("Create", "Update", "Add"))
    operation: dict[str, Any] = {
        "summary": summary,
        "security": [{"bearer": [], "apiKey": []}],
        "parameters": params,
        "responses": _responses(*codes),
    }
    if body_needed:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
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
    return {
        "/v1/customers": {
            "get": _operation("Search customers", search, 200, 206, 400, 401),
            "post": _operation("Create a customer", [_LANGUAGE, force], 201, 400, 401),
        },
        "/v2/customers/{customer_id}/profile": {
            "get": _operation("Read a profile", [*scoped, date_format], 200, 400, 401, 403, 404),
        },
        "/v1/customers/{customer_id}/profile": {
            "patch": _operation("Update a profile", scoped, 204, 400, 401, 403, 404),
        },
        "/v1/customers/{customer_id}/travelers": {
            "get": _operation("List travelers", scoped, 200, 400, 401, 403, 404),
            "post": _operation("Add a traveler", scoped, 200, 400, 401, 403, 404),
        },
        "/v1/customers/{customer_id}/travel_documents": {
            "get": _operation("Read travel documents", scoped, 200, 400, 401, 403, 404),
            "patch": _operation("Update travel documents", scoped, 204, 400, 401, 403, 404),
        },
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.0 document served at GET /openapi.json."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Club Med customer API (sandbox)", "version": "1"},
        "servers": [{"url": "/"}],
        "paths": _paths(),
        "components": {
            "schemas": {"Error": _ERROR},
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
