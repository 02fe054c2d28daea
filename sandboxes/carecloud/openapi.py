"""The OpenAPI 3 document of the simulated CareCloud API (`GET /openapi.json`).

Hand-written from the same documents as the routes (docs/backends/carecloud.md, the seed) and kept
to what the sandbox serves (a test compares its paths with the sandbox's routes). Every operation
documents CareCloud's error answers: 400, 401, 403, 404, 405 and 500.
"""

from __future__ import annotations

from typing import Any, Final

from sandboxes.carecloud import openapi_schemas as s
from sandboxes.carecloud.subresources import KINDS

Schema = dict[str, Any]
_ERRORS: Final = (400, 401, 403, 404, 405, 500)
# Documented filters of each sub-resource list that the sandbox applies
# (docs/backends/carecloud.md#sub-resources).
_FILTERS: Final = {
    "purchases": "store_id type_id external_purchase_id payment_time_from payment_time_to",
    "points": "point_type_id",
    "credits": "credit_type_id",
    "vouchers": "code store_id reward_id is_valid is_applied",
    "rewards": "code name reward_group is_valid",
    "cards": "card_number card_type_id card_number_list[] is_valid",
    "status-records": "valid_now",
    "recommendation-records": "name",
    "customer-source-records": "external_id customer_source_id external_ids[]",
}
_CUSTOMER_FILTERS: Final = (
    "email phone customer_source_id first_name last_name birthdate email_list[] customer_ids[]"
)


def _query(name: str, schema: Schema | None = None, required: bool = False) -> Schema:
    if name.endswith("[]"):
        schema = {"type": "array", "items": s.STRING}
    return {"name": name, "in": "query", "required": required, "schema": schema or s.STRING}


def _queries(names: str, required: bool = False) -> list[Schema]:
    return [_query(name, required=required) for name in names.split()]


def _path(*names: str) -> list[Schema]:
    return [{"name": n, "in": "path", "required": True, "schema": s.STRING} for n in names]


_PAGING: Final = [
    _query("count", {"type": "integer", "minimum": 1, "default": 100}),
    _query("offset", {"type": "integer", "minimum": 0, "default": 0}),
    _query("sort_field"),
    _query("sort_direction", {"type": "string", "enum": ["ASC", "DESC"], "default": "ASC"}),
]


def _op(
    summary: str,
    ok: int = 200,
    result: Schema | None = None,
    params: list[Schema] | None = None,
    body: Schema | None = None,
) -> Schema:
    """One operation: its success answer in the {"data": ...} envelope, and the errors."""
    success: Schema = {"description": summary}
    if result is not None:
        envelope = s.obj({"data": result})
        success["content"] = {"application/json": {"schema": envelope}}
    responses: Schema = {str(ok): success}
    for status in _ERRORS:
        error = s.ref("BadRequest" if status == 400 else "Error")
        responses[str(status)] = {
            "description": f"HTTP {status}",
            "content": {"application/json": {"schema": error}},
        }
    op: Schema = {"summary": summary, "parameters": params or [], "responses": responses}
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


def _customer_paths() -> dict[str, Schema]:
    customer = _path("customer_id")
    listed = s.list_of("customers", s.ref("Customer"))
    replace = "Replace the customer's personal information (omitted fields are deleted)"
    return {
        "/customers": {
            "get": _op(
                "Get all customers", result=listed, params=_PAGING + _queries(_CUSTOMER_FILTERS)
            ),
            "post": _op("Add a new customer", 201, s.id_of("customer_id"), body=s.CREATE_CUSTOMER),
        },
        "/customers/{customer_id}": {
            "get": _op("Get a customer", result=s.ref("Customer"), params=customer),
            "put": _op(replace, 204, params=customer, body=s.REPLACE_CUSTOMER),
        },
    }


def _list_paths() -> dict[str, Schema]:
    paths: dict[str, Schema] = {}
    for segment, kind in KINDS.items():
        params = _path("customer_id") + (_PAGING if kind.paged else [])
        params += _queries(_FILTERS.get(segment, ""))
        answer = s.list_of(kind.key, s.item(segment))
        paths[f"/customers/{{customer_id}}/{segment}"] = {
            "get": _op(f"Get the customer's {segment}", result=answer, params=params)
        }
    # The seed writes the interest-records list route with a trailing slash: served too.
    paths["/customers/{customer_id}/interest-records/"] = dict(
        paths["/customers/{customer_id}/interest-records"]
    )
    return paths


def _record_writes() -> dict[str, Schema]:
    customer = _path("customer_id")
    prop = s.obj({"property_record": s.item("property-records")}, ("property_record",))
    batch = s.obj({"property_records": {"type": "array", "items": s.item("property-records")}})
    source = s.obj({"customer_source_record": s.item("customer-source-records")})
    interest = s.obj({"interest_record": s.item("interest-records")}, ("interest_record",))
    add_interest = _op(
        "Add an interest record", 201, s.id_of("interest_record_id"), customer, interest
    )
    one_property = _path("customer_id", "property_record_id")
    one_interest = _path("customer_id", "interest_record_id")
    base = "/customers/{customer_id}"
    return {
        f"{base}/customer-source-records": {
            "post": _op(
                "Add a source record", 201, s.id_of("customer_source_record_id"), customer, source
            )
        },
        f"{base}/property-records": {
            "post": _op("Add a property record", 201, s.id_of("property_record_id"), customer, prop)
        },
        f"{base}/property-records/batch": {
            "post": _op("Add or update property records", 204, params=customer, body=batch)
        },
        f"{base}/property-records/{{property_record_id}}": {
            "put": _op("Update a property record", 204, params=one_property, body=prop),
            "delete": _op("Delete a property record", 204, params=one_property),
        },
        f"{base}/interest-records": {"post": add_interest},
        f"{base}/interest-records/": {"post": add_interest},
        f"{base}/interest-records/{{interest_record_id}}": {
            "put": _op("Update an interest record", 204, params=one_interest, body=interest),
            "delete": _op("Delete an interest record", 204, params=one_interest),
        },
    }


def _action_paths() -> dict[str, Schema]:
    base = "/customers/actions"
    customer_id = s.id_of("customer_id")
    strict = _queries("first_name last_name birthdate card_number", required=True)
    strict.append(_query("mode", {"type": "string", "enum": ["strict", "none"]}))
    return {
        f"{base}/verify-credentials": {
            "post": _op("Verify credentials", result=customer_id, body=s.VERIFY_CREDENTIALS)
        },
        f"{base}/verify-social-network-credentials": {
            "post": _op("Verify social credentials", result=customer_id, body=s.VERIFY_SOCIAL)
        },
        f"{base}/search-customers": {
            "get": _op("Search customers (strict)", result=s.STRICT_ANSWER, params=strict)
        },
        f"{base}/auth-token": {
            "post": _op("Get an auth token", result=s.AUTH_TOKEN_ANSWER, body=s.AUTH_TOKEN)
        },
        f"{base}/verify-auth-token": {
            "post": _op("Verify an auth token", result=customer_id, body=s.VERIFY_AUTH_TOKEN)
        },
    }


def _merge(*groups: dict[str, Schema]) -> dict[str, Schema]:
    paths: dict[str, Schema] = {}
    for group in groups:
        for path, operations in group.items():
            paths.setdefault(path, {}).update(operations)
    return paths


def openapi_document() -> Schema:
    login = _op("User login", result=s.LOGIN_ANSWER, body=s.LOGIN)
    login["security"] = []
    statuses = {
        "/statuses": {
            "get": _op(
                "Get statuses", result=s.list_of("statuses", s.ref("Status")), params=_PAGING
            )
        },
        "/statuses/{status_id}": {
            "get": _op("Get a status", result=s.ref("Status"), params=_path("status_id"))
        },
    }
    schemes = {
        "bearerAuth": {"type": "http", "scheme": "bearer"},
        "basicAuth": {"type": "http", "scheme": "basic", "description": "Deprecated"},
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "CareCloud Enterprise interface (sandbox)",
            "version": "1.0",
            "description": "The root stands for "
            "https://{project}/webservice/rest-api/enterprise-interface/v1.0.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}, {"basicAuth": []}],
        "components": {"securitySchemes": schemes, "schemas": s.components()},
        "paths": _merge(
            {"/users/actions/login": {"post": login}},
            _customer_paths(),
            _action_paths(),
            _list_paths(),
            _record_writes(),
            statuses,
        ),
    }
