"""The fast path, and every reach into Strawberry's or graphql-core's internals the schema makes.

Nothing else in the gateway touches a private attribute of either. Each reach is pinned by
tests/gateway/test_fastpath.py, with the versions in `WRITTEN_FOR`: an upgrade that moves
one fails there, loudly, instead of slowing or breaking the schema silently.

1. Plain resolvers (`resolve_directly`): Strawberry calls every field that has a resolver
   through its own layer, a Strawberry `Info` built per call, argument conversion, the
   field-extension chain. On a 20-record search that layer was 12% of the worker's CPU
   (py-spy, BENCHMARKS.md), for fields that take no argument and carry no extension. Those
   fields get a plain graphql-core function of (root, info) that calls the same reader as
   their Strawberry resolver; the printed schema does not change. A field given an argument
   or an extension is refused when the schema is built, so it cannot silently lose it.
   Reaches graphql-core's schema under Strawberry's (`Schema._schema`) and sets its fields'
   `resolve`.
2. The names a query selects (`selected_names`), read off graphql-core's info under
   Strawberry's (`Info._raw_info`) rather than through `Info.selected_fields`, which
   converts the whole selection into Strawberry's objects (7% of a customer read's CPU).
3. Model classes that wear their object types (`bind`, and `implement` for a type made
   after its interface was bound): resolvers return the model's frozen
   dataclasses, and are typed so. Strawberry reads an annotated class's type off its
   `__strawberry_definition__` and refuses one whose definition's `origin` is another class,
   so the definition moves onto the model class.
4. The compiled plans (gateway/plans) call a field's reader without graphql-core's info:
   the gateway's plain resolvers (`plain_read`), and Strawberry's resolver of a field with
   no resolver and no extension, its `_get_basic_result` (marked `_is_default`), which
   ignores its info (`basic_resolver`). The plans also subclass graphql-core's `Executor`
   (`executor_class`), whose methods for completing fields are not public API.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final
from weakref import WeakKeyDictionary

import strawberry
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    InlineFragmentNode,
    SelectionSetNode,
)
from strawberry.types import Info
from strawberry.types.base import StrawberryObjectDefinition, get_object_definition

# The versions these reaches were written and tested for: (lowest, first one not tested).
# The lowest are pyproject.toml's; raise a ceiling once tests/gateway/test_fastpath.py
# passes on the newer version.
WRITTEN_FOR: Final = {
    "strawberry-graphql": ("0.341.2", "0.342"),
    "graphql-core": ("3.2.6", "3.4"),
}

# A field's value off its parent object, given the request's context: what both the
# Strawberry resolver and the plain one call.
Read = Callable[[Any, Any], object]
# graphql-core's info, its context the gateway's Context (typed Any: this module sits below it).
Resolve = Callable[[Any, GraphQLResolveInfo[Any]], object]
_DEFINITION = "__strawberry_definition__"


def graphql_object_type(schema: strawberry.Schema, name: str) -> GraphQLObjectType:
    """graphql-core's object type `name` under a Strawberry schema."""
    graphql_type = schema._schema.type_map[name]
    if not isinstance(graphql_type, GraphQLObjectType):
        raise TypeError(f"{name} is not an object type")
    return graphql_type


# Each plain resolver's reader, for the compiled plans (gateway/plans), which call it directly.
_READERS: WeakKeyDictionary[Resolve, Read] = WeakKeyDictionary()


def plain_resolver(read: Read) -> Resolve:
    """A graphql-core resolver calling `read` with the context, without Strawberry's layer."""

    def resolve(root: Any, info: GraphQLResolveInfo[Any]) -> object:
        return read(root, info.context)

    _READERS[resolve] = read
    return resolve


def plain_read(resolve: Callable[..., Any] | None) -> Read | None:
    """The reader of a resolver `plain_resolver` made; None for any other."""
    return _READERS.get(resolve) if resolve is not None else None


def basic_resolver(resolve: Callable[..., Any]) -> bool:
    """Whether `resolve` is Strawberry's read of an attribute (a field with no resolver, no
    extension): it ignores its info and arguments, so `resolve(source, None)` is its answer."""
    # `_is_default` alone also marks a field with extensions (a permission) and no resolver.
    return (
        getattr(resolve, "_is_default", False) is True
        and getattr(resolve, "__name__", "") == "_get_basic_result"
    )


def resolve_directly(schema: strawberry.Schema, readers: Mapping[str, Mapping[str, Read]]) -> None:
    """Give each field named in `readers` (by type, then field) its plain resolver."""
    for type_name, fields in readers.items():
        definition = schema.get_type_by_name(type_name)
        if not isinstance(definition, StrawberryObjectDefinition):
            raise TypeError(f"{type_name} is not an object type of the schema")
        by_name = {schema.config.name_converter.get_graphql_name(f): f for f in definition.fields}
        missing = set(fields) - set(by_name)
        if missing:
            raise TypeError(f"{type_name} has no fields {sorted(missing)}")
        graphql_type = graphql_object_type(schema, type_name)
        for name, read in fields.items():
            field = by_name[name]
            if field.arguments or field.extensions:
                raise TypeError(f"{type_name}.{name} needs Strawberry's layer")
            graphql_type.fields[name].resolve = plain_resolver(read)


def _selected(
    selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]
) -> set[str]:
    """The field names a selection set asks for, through fragments too (one level of fields)."""
    names: set[str] = set()
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            names.add(selection.name.value)
        elif isinstance(selection, InlineFragmentNode):
            names |= _selected(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            names |= _selected(fragment.selection_set if fragment else None, fragments)
    return names


def selected_names(info: Info[Any, Any]) -> set[str]:
    """The field names selected on the current field's object, read off graphql-core's AST."""
    raw = info._raw_info
    names: set[str] = set()
    for node in raw.field_nodes:
        names |= _selected(node.selection_set, raw.fragments)
    return names


def bind(model: type, object_type: type) -> None:
    """Make `model` the class Strawberry knows `object_type` by: annotations then name the model.

    `object_type` is then only its blueprint: named in an annotation, Strawberry refuses it.
    An object type with interfaces recognises its objects by their model class (Strawberry's
    own test would try the interface's class); an interface resolves each object to the type
    its class wears. Bind an interface after the types implementing it: Strawberry finds a
    type's interfaces among its base classes by their origin.
    """
    definition = get_object_definition(object_type, strict=True)
    definition.origin = model
    if definition.is_interface:
        definition.resolve_type = _type_worn
    elif definition.interfaces:
        definition.is_type_of = lambda obj, info: isinstance(obj, model)
    setattr(model, _DEFINITION, definition)


def implement(object_type: type, interface: type) -> None:
    """Declare that `object_type` implements `interface`, an interface already bound.

    Strawberry finds a type's interfaces among its base classes by their definition's
    `origin`, which `bind` moved onto the model: a type made after its interface was bound
    (the Person of issue 16, after Node) is given it here, before its own `bind`.
    """
    definition = get_object_definition(object_type, strict=True)
    found = get_object_definition(interface, strict=True)
    if not found.is_interface:
        raise TypeError(f"{found.name} is not an interface")
    if found not in definition.interfaces:
        definition.interfaces.append(found)


def _type_worn(
    obj: object, info: GraphQLResolveInfo[Any], abstract_type: GraphQLAbstractType
) -> str:
    return get_object_definition(obj, strict=True).name
