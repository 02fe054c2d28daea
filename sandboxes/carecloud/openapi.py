"""The OpenAPI 3 document of the simulated CareCloud API (`GET /openapi.json`).

Hand-written from the same documents as the routes (docs/backends/carecloud.md, the seed) and kept
to what the sandbox serves (a test compares its paths with the sandbox's routes). Every operation
has an `operationId`, its success answer the schema of its `{"data": ...}` envelope and its
request body a schema (`openapi_schemas.py`), and documents CareCloud's error answers: 400, 401,
403, 404, 405, and the sandbox's injected 500.
"""

from __future__ import annotations

import copy
from typing import Final

from sandboxes.carecloud import openapi_schemas as s
from sandboxes.carecloud.subresources import KINDS
from sandboxes.common.openapi import (
    BOOLEAN,
    DATE,
    INJECTED_FAULT,
    INTEGER,
    STRING,
    Schema,
    array,
    described,
    json_body,
    json_content,
    ref,
)

_ERRORS: Final = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    500: "InjectedFault",
}
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
# The operationId of each sub-resource list.
_LIST_IDS: Final = {
    "purchases": "listCustomerPurchases",
    "points": "listCustomerPoints",
    "credits": "listCustomerCredits",
    "vouchers": "listCustomerVouchers",
    "rewards": "listCustomerRewards",
    "cards": "listCustomerCards",
    "segment-records": "listCustomerSegmentRecords",
    "status-records": "listCustomerStatusRecords",
    "recommendation-records": "listCustomerRecommendationRecords",
    "customer-source-records": "listCustomerSourceRecords",
    "property-records": "listCustomerPropertyRecords",
    "interest-records": "listCustomerInterestRecords",
}


# Query parameters that are not plain strings.
_QUERY_TYPES: Final[dict[str, Schema]] = {
    "is_valid": BOOLEAN,
    "is_applied": BOOLEAN,
    "valid_now": BOOLEAN,
    "reward_group": INTEGER,
    "birthdate": described(STRING, "YYYY-MM-DD or DD.MM.YYYY"),
    "payment_time_from": described(STRING, "YYYY-MM-DD HH:MM:SS"),
    "payment_time_to": described(STRING, "YYYY-MM-DD HH:MM:SS"),
}


def _query(name: str, schema: Schema | None = None, required: bool = False) -> Schema:
    if name.endswith("[]"):
        schema = array(STRING)
    schema = schema or _QUERY_TYPES.get(name, STRING)
    return {"name": name, "in": "query", "required": required, "schema": schema}


def _queries(names: str, required: bool = False) -> list[Schema]:
    return [_query(name, required=required) for name in names.split()]


def _path(*names: str) -> list[Schema]:
    return [{"name": n, "in": "path", "required": True, "schema": STRING} for n in names]


_PAGING: Final = [
    _query("count", {"type": "integer", "minimum": 1, "default": 100}),
    _query("offset", {"type": "integer", "minimum": 0, "default": 0}),
    _query("sort_field"),
    _query("sort_direction", {"type": "string", "enum": ["ASC", "DESC"], "default": "ASC"}),
]


def _op(
    operation_id: str,
    summary: str,
    ok: int = 200,
    result: str | None = None,
    params: list[Schema] | None = None,
    body: str | None = None,
) -> Schema:
    """One operation: its success answer (`<result>Response`, the {"data": ...} envelope of
    component `result`; none for a 204), its request body (component `body`), the errors."""
    success: Schema = {"description": summary}
    if result is not None:
        success = json_content(ref(f"{result}Response"), summary)
    responses: Schema = {str(ok): success}
    for status, name in _ERRORS.items():
        responses[str(status)] = json_content(ref(name), f"HTTP {status}")
    op: Schema = {
        "operationId": operation_id,
        "summary": summary,
        "parameters": params or [],
        "responses": responses,
    }
    if body is not None:
        op["requestBody"] = json_body(ref(body))
    return op


def _alias(operation: Schema, operation_id: str) -> Schema:
    """The same operation under the seed's trailing-slash path: deprecated for the other."""
    found = copy.deepcopy(operation)
    found.update(operationId=operation_id, deprecated=True)
    found["summary"] += " (the seed's trailing slash)"
    return found


def _customer_paths() -> dict[str, Schema]:
    customer = _path("customer_id")
    replace = "Replace the customer's personal information (omitted fields are deleted)"
    paging = _PAGING + _queries(_CUSTOMER_FILTERS)
    return {
        "/customers": {
            "get": _op("listCustomers", "Get all customers", result="CustomerList", params=paging),
            "post": _op(
                "createCustomer", "Add a new customer", 201, "CustomerId", body="NewCustomer"
            ),
        },
        "/customers/{customer_id}": {
            "get": _op("getCustomer", "Get a customer", result="Customer", params=customer),
            "put": _op(
                "replaceCustomer", replace, 204, params=customer, body="CustomerReplacement"
            ),
        },
    }


def _list_paths() -> dict[str, Schema]:
    paths: dict[str, Schema] = {}
    for segment, kind in KINDS.items():
        params = _path("customer_id") + (_PAGING if kind.paged else [])
        params += _queries(_FILTERS.get(segment, ""))
        answer = f"{s.ITEM_SCHEMAS[segment]}List"
        summary = f"Get the customer's {segment}"
        paths[f"/customers/{{customer_id}}/{segment}"] = {
            "get": _op(_LIST_IDS[segment], summary, result=answer, params=params)
        }
    # The seed writes the interest-records list route with a trailing slash: served too.
    listed = paths["/customers/{customer_id}/interest-records"]["get"]
    paths["/customers/{customer_id}/interest-records/"] = {
        "get": _alias(listed, "listCustomerInterestRecordsTrailingSlash")
    }
    return paths


def _record_writes() -> dict[str, Schema]:
    customer = _path("customer_id")
    one_property = _path("customer_id", "property_record_id")
    one_interest = _path("customer_id", "interest_record_id")
    add_interest = _op(
        "addInterestRecord",
        "Add an interest record",
        201,
        "InterestRecordId",
        customer,
        "InterestRecordBody",
    )
    base = "/customers/{customer_id}"
    return {
        f"{base}/customer-source-records": {
            "post": _op(
                "addCustomerSourceRecord",
                "Add a source record",
                201,
                "CustomerSourceRecordId",
                customer,
                "NewCustomerSourceRecord",
            )
        },
        f"{base}/property-records": {
            "post": _op(
                "addPropertyRecord",
                "Add a property record",
                201,
                "PropertyRecordId",
                customer,
                "NewPropertyRecord",
            )
        },
        f"{base}/property-records/batch": {
            "post": _op(
                "upsertPropertyRecords",
                "Add or update property records",
                204,
                params=customer,
                body="PropertyRecordBatch",
            )
        },
        f"{base}/property-records/{{property_record_id}}": {
            "put": _op(
                "updatePropertyRecord",
                "Update a property record",
                204,
                params=one_property,
                body="PropertyRecordUpdate",
            ),
            "delete": _op(
                "deletePropertyRecord", "Delete a property record", 204, params=one_property
            ),
        },
        f"{base}/interest-records": {"post": add_interest},
        f"{base}/interest-records/": {
            "post": _alias(add_interest, "addInterestRecordTrailingSlash")
        },
        f"{base}/interest-records/{{interest_record_id}}": {
            "put": _op(
                "updateInterestRecord",
                "Update an interest record",
                204,
                params=one_interest,
                body="InterestRecordBody",
            ),
            "delete": _op(
                "deleteInterestRecord", "Delete an interest record", 204, params=one_interest
            ),
        },
    }


def _action_paths() -> dict[str, Schema]:
    base = "/customers/actions"
    strict = _queries("first_name last_name card_number", required=True)
    strict.insert(2, _query("birthdate", DATE, required=True))
    strict.append(_query("mode", {"type": "string", "enum": ["strict", "none"]}))
    return {
        f"{base}/verify-credentials": {
            "post": _op(
                "verifyCustomerCredentials",
                "Verify credentials",
                result="CustomerId",
                body="VerifyCredentials",
            )
        },
        f"{base}/verify-social-network-credentials": {
            "post": _op(
                "verifyCustomerSocialCredentials",
                "Verify social credentials",
                result="CustomerId",
                body="VerifySocialCredentials",
            )
        },
        f"{base}/search-customers": {
            "get": _op(
                "searchCustomers",
                "Search customers (strict)",
                result="StrictSearchResult",
                params=strict,
            )
        },
        f"{base}/auth-token": {
            "post": _op(
                "createCustomerAuthToken",
                "Get an auth token",
                result="AuthToken",
                body="AuthTokenRequest",
            )
        },
        f"{base}/verify-auth-token": {
            "post": _op(
                "verifyCustomerAuthToken",
                "Verify an auth token",
                result="CustomerId",
                body="VerifyAuthToken",
            )
        },
    }


def _merge(*groups: dict[str, Schema]) -> dict[str, Schema]:
    paths: dict[str, Schema] = {}
    for group in groups:
        for path, operations in group.items():
            paths.setdefault(path, {}).update(operations)
    return paths


def openapi_document() -> Schema:
    """The document served at GET /openapi.json (a fresh copy: schemas share constants)."""
    login = _op("logIn", "User login", result="Session", body="Login")
    login["security"] = []
    statuses = {
        "/statuses": {
            "get": _op("listStatuses", "Get statuses", result="StatusList", params=_PAGING)
        },
        "/statuses/{status_id}": {
            "get": _op("getStatus", "Get a status", result="Status", params=_path("status_id"))
        },
    }
    schemes = {
        "bearerAuth": {"type": "http", "scheme": "bearer"},
        "basicAuth": {"type": "http", "scheme": "basic", "description": "Deprecated"},
    }
    document = {
        "openapi": "3.0.3",
        "info": {
            "title": "CareCloud Enterprise interface (sandbox)",
            "version": "1.0",
            "description": "The root stands for "
            "https://{project}/webservice/rest-api/enterprise-interface/v1.0.",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}, {"basicAuth": []}],
        "components": {
            "securitySchemes": schemes,
            "schemas": {**s.components(), "InjectedFault": INJECTED_FAULT},
        },
        "paths": _merge(
            {"/users/actions/login": {"post": login}},
            _customer_paths(),
            _action_paths(),
            _list_paths(),
            _record_writes(),
            statuses,
        ),
    }
    return copy.deepcopy(document)
