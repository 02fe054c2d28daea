"""Routes of the customer sub-resources (`/customers/{customer_id}/<segment>`).

Every list answers `{"data": {"<key>": [...], "total_items": N}}` with count/offset and
sorting, except segment-, property- and interest-records, whose routes list no paging
parameters ([DOC] docs/backends/carecloud.md#sub-resources). Filters are the documented ones that
are cheap here. Writes: customer-source-records (POST), property-records (POST, PUT, DELETE, POST
/batch; the path parameter is `property_record_id`, [DOC] docs/backends/carecloud.md#sub-resources,
where the seed says `property_id`) and interest-records (POST, PUT, DELETE; the seed's trailing
slash on the list route is accepted too).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from sandboxes.carecloud.customers import customer_slot
from sandboxes.carecloud.dates import now_text, validity
from sandboxes.carecloud.envelope import data, page_of
from sandboxes.carecloud.errors import ALREADY_EXISTS, REQUIRED, invalid, not_found
from sandboxes.carecloud.parameters import (
    bool_param,
    json_object,
    list_param,
    paging,
    required_object,
    required_text,
)
from sandboxes.carecloud.store import record_store
from sandboxes.carecloud.validation import property_record

Predicate = Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True, slots=True)
class Kind:
    """One sub-resource route: its path segment, list key and item id field."""

    segment: str
    key: str
    id_field: str
    paged: bool = True  # segment- and interest-records list no paging parameters


KINDS: Final = {
    k.segment: k
    for k in (
        Kind("purchases", "purchases", "purchase_id"),
        Kind("points", "points", "point_id"),
        Kind("credits", "credits", "credit_id"),
        Kind("vouchers", "vouchers", "voucher_id"),
        Kind("rewards", "rewards", "reward_id"),
        Kind("cards", "cards", "card_id"),
        Kind("segment-records", "segment_records", "segment_id", paged=False),
        Kind("status-records", "status_records", "status_record_id"),
        Kind("recommendation-records", "recommendations", "recommendation_id"),
        Kind("customer-source-records", "customer_source_records", "customer_source_record_id"),
        Kind("property-records", "property_records", "property_record_id", paged=False),
        Kind("interest-records", "interest_records", "interest_record_id", paged=False),
    )
}


# Query parameters compared for equality with the item field of the same name.
_EQUALS: Final = {
    "purchases": ("store_id", "type_id", "external_purchase_id"),
    "points": ("point_type_id",),
    "credits": ("credit_type_id",),
    "vouchers": ("code", "store_id", "reward_id"),
    "rewards": ("code", "reward_group"),
    "cards": ("card_number", "card_type_id"),
    "customer-source-records": ("external_id", "customer_source_id"),
}
# Array parameters (OR within) and the field they match.
_LISTS: Final = {
    "cards": (("card_number_list", "card_number"),),
    "customer-source-records": (("external_ids", "external_id"),),
}
_VALIDITY: Final = {
    "cards": "is_valid",
    "vouchers": "is_valid",
    "rewards": "is_valid",
    "status-records": "valid_now",
}
_NAME_PART: Final = ("rewards", "recommendation-records")


def _equals(name: str, value: str) -> Predicate:
    return lambda item: str(item.get(name)) == value


def _one_of(name: str, values: set[str]) -> Predicate:
    return lambda item: item.get(name) in values


def _filters(kind: Kind, request: Request) -> list[Predicate]:
    query = request.query_params
    found: list[Predicate] = []
    for name in _EQUALS.get(kind.segment, ()):
        if query.get(name):
            found.append(_equals(name, query[name]))
    for param, field in _LISTS.get(kind.segment, ()):
        wanted = set(list_param(request, param))
        if wanted:
            found.append(_one_of(field, wanted))
    flag = _VALIDITY.get(kind.segment)
    valid = bool_param(request, flag) if flag else None
    if valid is not None:
        now = datetime.now(UTC).replace(tzinfo=None)
        found.append(lambda item: validity(item, now) == valid)
    if kind.segment == "vouchers" and (applied := bool_param(request, "is_applied")) is not None:
        found.append(lambda item: (item.get("applied_date") is not None) == applied)
    if kind.segment in _NAME_PART and query.get("name"):
        part = query["name"].casefold()
        found.append(lambda item: part in str(item.get("name", "")).casefold())
    if kind.segment == "purchases":
        start, stop = query.get("payment_time_from"), query.get("payment_time_to")
        if start:
            found.append(lambda item: str(item.get("payment_time")) >= start)
        if stop:
            found.append(lambda item: str(item.get("payment_time")) <= stop)
    return found


def _list_route(kind: Kind, path: str) -> Route:
    async def list_items(request: Request) -> JSONResponse:
        slot = customer_slot(request)
        records = record_store(request)
        window = paging(request, None) if kind.paged else None
        tests = _filters(kind, request)
        items = [i for i in records.items(slot, kind.segment) if all(t(i) for t in tests)]
        return page_of(items, kind.key, window)

    return Route(path, list_items, methods=["GET"], name=f"list-{kind.segment}")


async def add_source_record(request: Request) -> JSONResponse:
    slot = customer_slot(request)
    body = required_object(await json_object(request), "customer_source_record")
    source_id = required_text(body, "customer_source_id")
    records = record_store(request)
    record = {
        "customer_source_record_id": records.new_id("customer-source-records"),
        "customer_source_id": source_id,
        "external_id": body.get("external_id"),
        "last_change": now_text(),
    }
    records.writable(slot, "customer-source-records").append(record)
    records.customers.extra_sources.setdefault(slot, set()).add(source_id)
    return data({"customer_source_record_id": record["customer_source_record_id"]}, 201)


async def add_property_record(request: Request) -> JSONResponse:
    slot = customer_slot(request)
    body = required_object(await json_object(request), "property_record")
    record = property_record(request.path_params["customer_id"], body)
    items = record_store(request).writable(slot, "property-records")
    if any(i["property_record_id"] == record["property_record_id"] for i in items):
        raise invalid(
            "property_id",
            ALREADY_EXISTS,
            "The customer already has this property",
            record["property_id"],
        )
    items.append(record)
    return data({"property_record_id": record["property_record_id"]}, 201)


async def add_property_records(request: Request) -> Response:
    """POST .../property-records/batch: upsert all, or none when one is invalid -> 204."""
    slot = customer_slot(request)
    body = await json_object(request)
    raw = body.get("property_records")
    if not isinstance(raw, list):
        raise invalid("property_records", REQUIRED, "property_records is required")
    customer_id = request.path_params["customer_id"]
    new = [property_record(customer_id, r if isinstance(r, dict) else {}) for r in raw]
    items: list[dict[str, Any]] = record_store(request).writable(slot, "property-records")
    for record in new:
        items[:] = [i for i in items if i["property_record_id"] != record["property_record_id"]]
        items.append(record)
    return Response(status_code=204)


def _find(
    items: list[dict[str, Any]], id_field: str, record_id: str, resource: str
) -> dict[str, Any]:
    for item in items:
        if item[id_field] == record_id:
            return item
    raise not_found(resource, record_id)


async def change_property_record(request: Request) -> Response:
    slot = customer_slot(request)
    record_id = request.path_params["property_record_id"]
    items: list[dict[str, Any]] = record_store(request).writable(slot, "property-records")
    item = _find(items, "property_record_id", record_id, "property-records")
    if request.method == "DELETE":
        items.remove(item)
        return Response(status_code=204)
    body = required_object(await json_object(request), "property_record")
    item.update(property_value=body.get("property_value"), last_change=now_text())
    return Response(status_code=204)


async def add_interest_record(request: Request) -> JSONResponse:
    slot = customer_slot(request)
    body = required_object(await json_object(request), "interest_record")
    records = record_store(request)
    record = {
        "interest_record_id": records.new_id("interest-records"),
        "interest_id": required_text(body, "interest_id"),
        "customer_id": request.path_params["customer_id"],
        "last_change": now_text(),
    }
    records.writable(slot, "interest-records").append(record)
    return data({"interest_record_id": record["interest_record_id"]}, 201)


async def change_interest_record(request: Request) -> Response:
    slot = customer_slot(request)
    record_id = request.path_params["interest_record_id"]
    items: list[dict[str, Any]] = record_store(request).writable(slot, "interest-records")
    item = _find(items, "interest_record_id", record_id, "interest-records")
    if request.method == "DELETE":
        items.remove(item)
        return Response(status_code=204)
    # The spec's PUT lists `property_record` as required, a typo for `interest_record`.
    body = required_object(await json_object(request), "interest_record")
    item.update(interest_id=required_text(body, "interest_id"), last_change=now_text())
    return Response(status_code=204)


def routes() -> list[BaseRoute]:
    base = "/customers/{customer_id}"
    found: list[BaseRoute] = [
        _list_route(kind, f"{base}/{kind.segment}") for kind in KINDS.values()
    ]
    found += [
        _list_route(KINDS["interest-records"], f"{base}/interest-records/"),
        Route(f"{base}/customer-source-records", add_source_record, methods=["POST"]),
        Route(f"{base}/property-records", add_property_record, methods=["POST"]),
        Route(f"{base}/property-records/batch", add_property_records, methods=["POST"]),
        Route(
            f"{base}/property-records/{{property_record_id}}",
            change_property_record,
            methods=["PUT", "DELETE"],
        ),
        Route(f"{base}/interest-records", add_interest_record, methods=["POST"]),
        Route(f"{base}/interest-records/", add_interest_record, methods=["POST"]),
        Route(
            f"{base}/interest-records/{{interest_record_id}}",
            change_interest_record,
            methods=["PUT", "DELETE"],
        ),
    ]
    return found
