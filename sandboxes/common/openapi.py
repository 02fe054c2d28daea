"""Building blocks of the sandboxes' OpenAPI 3.0 documents (each `<backend>/openapi.py`).

OpenAPI 3.0 has no `null` type: `nullable(...)` marks a schema that takes null, and a nullable
enumeration lists null among its values (OpenAPI 3.0.3, "Schema Object"). A `$ref` takes no
sibling keywords, so an object that may be null is a component marked nullable itself.
Records leave `additionalProperties` unset, so fields can be added without breaking a reader;
request bodies a sandbox checks key by key set it to false.
"""

from __future__ import annotations

from typing import Any, Final

Schema = dict[str, Any]

STRING: Final[Schema] = {"type": "string"}
INTEGER: Final[Schema] = {"type": "integer"}
NUMBER: Final[Schema] = {"type": "number"}
BOOLEAN: Final[Schema] = {"type": "boolean"}
DATE: Final[Schema] = {"type": "string", "format": "date"}


def ref(name: str) -> Schema:
    """A reference to `#/components/schemas/<name>`."""
    return {"$ref": f"#/components/schemas/{name}"}


def obj(
    properties: dict[str, Schema],
    required: tuple[str, ...] | list[str] = (),
    *,
    description: str | None = None,
    closed: bool = False,
) -> Schema:
    """An object; `closed` refuses keys not listed (for request bodies checked key by key)."""
    schema: Schema = {"type": "object"}
    if description is not None:
        schema["description"] = description
    schema["properties"] = properties
    if required:
        schema["required"] = list(required)
    if closed:
        schema["additionalProperties"] = False
    return schema


def record(properties: dict[str, Schema], *, description: str | None = None) -> Schema:
    """An object the sandbox always renders whole: every property listed is required."""
    return obj(properties, tuple(properties), description=description)


def array(items: Schema, **limits: Any) -> Schema:
    return {"type": "array", "items": items, **limits}


def nullable(schema: Schema) -> Schema:
    """`schema`, null allowed too (an enumeration gets null among its values)."""
    found = dict(schema, nullable=True)
    if "enum" in found and None not in found["enum"]:
        found["enum"] = [*found["enum"], None]
    return found


def text(maximum: int | None = None, *, pattern: str | None = None, **more: Any) -> Schema:
    """A string, with a maximum length and a pattern when given."""
    schema: Schema = {"type": "string"}
    if maximum is not None:
        schema["maxLength"] = maximum
    if pattern is not None:
        schema["pattern"] = pattern
    return schema | more


def described(schema: Schema, description: str) -> Schema:
    return {**schema, "description": description}


def json_content(schema: Schema, description: str) -> Schema:
    """A response (or request body) of `application/json` holding `schema`."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def json_body(schema: Schema, description: str | None = None) -> Schema:
    """A required JSON request body."""
    body: Schema = {"required": True, "content": {"application/json": {"schema": schema}}}
    if description is not None:
        body["description"] = description
    return body


# What every sandbox answers when `/_sandbox/faults` injects an error (sandboxes/common/faults.py).
INJECTED_FAULT: Final[Schema] = obj(
    {"error": STRING},
    ("error",),
    description="The sandbox's injected server error (its /_sandbox/faults knob).",
)
