"""GraphiQL's documentation pane is the reference: every type, field, argument and enum value
of the schema has a description (issue 18). GraphQL's own scalars are described by the spec."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    build_schema,
)

from gateway.schema import print_schema

BUILT_IN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Every named thing of `schema` without a description (blank counts as none), by path:
    `Type`, `Type.field`, `Type.field(argument)`, `Enum.VALUE`."""
    missing: list[str] = []

    def check(path: str, description: str | None) -> None:
        if not (description or "").strip():
            missing.append(path)

    for name, named in schema.type_map.items():
        if name.startswith("__") or name in BUILT_IN_SCALARS:
            continue
        check(name, named.description)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                check(f"{name}.{field_name}", field.description)
                for argument_name, argument in field.args.items():
                    check(f"{name}.{field_name}({argument_name})", argument.description)
        elif isinstance(named, GraphQLInputObjectType):
            for field_name, input_field in named.fields.items():
                check(f"{name}.{field_name}", input_field.description)
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                check(f"{name}.{value_name}", value.description)
        elif isinstance(named, GraphQLUnionType):
            pass  # a union has no fields of its own: its description is checked above
    return missing


def test_every_type_field_argument_and_enum_value_is_described() -> None:
    missing = undescribed(build_schema(print_schema()))
    assert not missing, f"{len(missing)} without a description: {', '.join(missing)}"


def test_the_walk_finds_what_is_missing() -> None:
    schema = build_schema(
        '"""Described."""\n'
        "type Query {\n"
        '  """Described."""\n'
        "  a(x: Int): E\n"
        "  b: Int\n"
        "}\n"
        "enum E {\n"
        '  """Described."""\n'
        "  ONE\n"
        "  TWO\n"
        "}\n"
    )
    assert undescribed(schema) == ["Query.a(x)", "Query.b", "E", "E.TWO"]
