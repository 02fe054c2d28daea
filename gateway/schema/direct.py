"""Direct graphql-core resolvers for the fields read straight off the model.

Strawberry calls every field that has a resolver through its own layer: a Strawberry
`Info` built per call, argument conversion, the field-extension chain. On a 20-record
search that layer was 12% of the worker's CPU (py-spy, BENCHMARKS.md), for fields that take
no argument and carry no extension. Those fields get a plain function of (root, info) that
does what their Strawberry resolver does (both call the same function in `types.py`); the
printed schema does not change. A field given an argument or an extension (a permission)
later is refused here when the schema is built, so it cannot silently lose it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo

from adapters.model import CUSTOMER_FIELDS
from gateway.schema.types import (
    CustomerObject,
    TravelDocumentObject,
    TravelerObject,
    customer_id,
    customer_travel_documents,
    customer_travelers,
    known_field,
    travel_document_id,
    traveler_id,
)

Resolve = Callable[[Any, GraphQLResolveInfo], Any]

# Customer fields a search result may lack: read from the record, else from its profile.
# All but birthdate, which needs pii:read and so keeps Strawberry's permission extension.
_KNOWN = sorted(CUSTOMER_FIELDS - {"birthdate"})


def _known(name: str) -> Resolve:
    return lambda root, info: known_field(root, info.context, name)


DIRECT: Mapping[type, Mapping[str, Resolve]] = {
    CustomerObject: {
        "id": lambda root, info: customer_id(root),
        "travelers": lambda root, info: customer_travelers(root, info.context),
        "travel_documents": lambda root, info: customer_travel_documents(root, info.context),
        **{name: _known(name) for name in _KNOWN},
    },
    TravelerObject: {"id": lambda root, info: traveler_id(root)},
    TravelDocumentObject: {"id": lambda root, info: travel_document_id(root)},
}


def resolve_directly(schema: strawberry.Schema) -> None:
    """Swap Strawberry's wrapper for the plain resolver of each field in DIRECT."""
    for cls, resolvers in DIRECT.items():
        definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
        graphql_type = schema._schema.type_map[definition.name]
        assert isinstance(graphql_type, GraphQLObjectType)
        for field in definition.fields:
            resolve = resolvers.get(field.python_name)
            if resolve is None:
                continue
            if field.arguments or field.extensions:
                raise TypeError(f"{definition.name}.{field.python_name} needs Strawberry's layer")
            name = schema.config.name_converter.get_graphql_name(field)
            graphql_type.fields[name].resolve = resolve
        missing = set(resolvers) - {f.python_name for f in definition.fields}
        if missing:
            raise TypeError(f"{definition.name} has no fields {sorted(missing)}")
