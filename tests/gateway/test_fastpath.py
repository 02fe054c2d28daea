"""The fast path, and each reach into Strawberry's and graphql-core's internals it makes, pinned
to the versions it was written for: an upgrade that moves one fails here, loudly."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Protocol

import pytest
import strawberry
from graphql import GraphQLResolveInfo
from packaging.requirements import Requirement
from packaging.version import Version
from strawberry.exceptions import UndecoratedSubclassError
from strawberry.types import Info
from strawberry.types.base import StrawberryObjectDefinition

from adapters.model import Backend, Customer
from gateway.auth import CanReadPII
from gateway.schema import create_schema, fastpath

ROOT = Path(__file__).resolve().parents[2]


# --- the versions -------------------------------------------------------------------------


@pytest.mark.parametrize("package", sorted(fastpath.WRITTEN_FOR))
def test_the_installed_version_is_one_the_fast_path_was_written_for(package: str) -> None:
    lowest, ceiling = fastpath.WRITTEN_FOR[package]
    installed = Version(version(package))
    assert Version(lowest) <= installed < Version(ceiling), (
        f"{package} {installed}: the fast path was written for >={lowest},<{ceiling}. "
        "Run this file's tests on it, then move the ceiling in gateway/schema/fastpath.py."
    )


def test_the_lowest_versions_are_those_pyproject_asks_for() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    asked = {
        requirement.name: str(requirement.specifier)
        for requirement in map(Requirement, pyproject["project"]["dependencies"])
    }
    for package, (lowest, _) in fastpath.WRITTEN_FOR.items():
        assert asked[package] == f">={lowest}", package


# --- 1. plain resolvers: graphql-core's schema under Strawberry's ---------------------------


@strawberry.type
class Pair:
    left: str
    right: str


@strawberry.type
class PairQuery:
    @strawberry.field
    def pair(self) -> Pair:
        return Pair(left="l", right="r")


def test_a_plain_resolver_is_what_graphql_core_calls_with_the_context() -> None:
    schema = strawberry.Schema(query=PairQuery)
    fastpath.resolve_directly(schema, {"Pair": {"right": lambda root, context: context["tag"]}})
    result = schema.execute_sync("{ pair { left right } }", context_value={"tag": "plain"})
    assert result.errors is None
    assert result.data == {"pair": {"left": "l", "right": "plain"}}
    fields = fastpath.graphql_object_type(schema, "Pair").fields
    assert fields["right"].resolve.__module__ == fastpath.__name__


def test_direct_fields_skip_strawberrys_layer_and_keep_the_permissioned_ones() -> None:
    fields = fastpath.graphql_object_type(create_schema(), "Customer").fields
    assert fields["firstName"].resolve.__module__ == fastpath.__name__
    assert fields["id"].resolve.__module__ == fastpath.__name__
    # birthdate needs pii:read: it keeps Strawberry's permission extension.
    assert fields["birthdate"].resolve.__module__ != fastpath.__name__


def test_the_plans_find_the_plain_readers_and_strawberrys_attribute_reads() -> None:
    """gateway/plans calls these without an info: a reader, or Strawberry's attribute read."""
    schema = create_schema()
    customer = fastpath.graphql_object_type(schema, "Customer").fields
    assert fastpath.plain_read(customer["firstName"].resolve) is not None
    assert fastpath.plain_read(customer["birthdate"].resolve) is None
    phone = fastpath.graphql_object_type(schema, "Phone").fields["number"].resolve
    assert fastpath.basic_resolver(phone)
    assert phone(SimpleNamespace(number="0623"), None) == "0623"  # it ignores its info
    # `_is_default` alone also marks a field with a permission and no resolver: not basic.
    guarded = fastpath.graphql_object_type(strawberry.Schema(query=Query), "Guarded")
    assert getattr(guarded.fields["secret"].resolve, "_is_default", False) is True
    assert not fastpath.basic_resolver(guarded.fields["secret"].resolve)
    assert not fastpath.basic_resolver(customer["birthdate"].resolve)


@strawberry.type
class Guarded:
    secret: str = strawberry.field(permission_classes=[CanReadPII])


@strawberry.type
class Query:
    guarded: Guarded


def test_a_field_with_an_extension_is_refused() -> None:
    with pytest.raises(TypeError, match="Guarded.secret"):
        fastpath.resolve_directly(
            strawberry.Schema(query=Query), {"Guarded": {"secret": lambda root, context: "x"}}
        )


@strawberry.type
class Shouting:
    @strawberry.field
    def word(self, loud: bool = False) -> str:
        return "WORD" if loud else "word"


@strawberry.type
class ShoutingQuery:
    shouting: Shouting


def test_a_field_with_an_argument_is_refused() -> None:
    with pytest.raises(TypeError, match="Shouting.word"):
        fastpath.resolve_directly(
            strawberry.Schema(query=ShoutingQuery), {"Shouting": {"word": lambda r, c: "x"}}
        )


def test_a_misspelt_field_is_refused() -> None:
    with pytest.raises(TypeError, match="fristName"):
        fastpath.resolve_directly(create_schema(), {"Customer": {"fristName": lambda r, c: None}})


def test_direct_id_is_the_strawberry_id() -> None:
    record = Customer(backend=Backend.CLUBMED, native_id="42/x", known_fields=frozenset())
    schema = create_schema()
    info = SimpleNamespace(context=None)
    plain = fastpath.graphql_object_type(schema, "Customer").fields["id"].resolve
    definition = schema.get_type_by_name("Customer")
    assert isinstance(definition, StrawberryObjectDefinition)
    [field] = [f for f in definition.fields if f.python_name == "id"]
    strawberry_resolver: Any = field.base_resolver  # its __call__ is typed for arguments only
    assert plain is not None
    assert plain(record, info) == strawberry_resolver(record, info)


# --- 2. graphql-core's info under Strawberry's ----------------------------------------------


@strawberry.type
class Inner:
    a: int = 1
    b: int = 2
    c: int = 3


seen: dict[str, Any] = {}


@strawberry.type
class SelectionQuery:
    @strawberry.field
    def inner(self, info: Info[Any, Any]) -> Inner:
        seen["raw"] = info._raw_info
        seen["names"] = fastpath.selected_names(info)
        return Inner()


def test_the_raw_info_is_graphql_cores_and_names_come_through_fragments() -> None:
    seen.clear()
    document = "{ inner { a ... on Inner { b } ...C } } fragment C on Inner { c }"
    result = strawberry.Schema(query=SelectionQuery).execute_sync(document)
    assert result.errors is None
    raw = seen["raw"]
    # Strawberry's own NamedTuple (operation context added), with graphql-core's fields.
    assert set(GraphQLResolveInfo._fields) <= set(raw._fields)
    assert [node.name.value for node in raw.field_nodes] == ["inner"]
    assert set(raw.fragments) == {"C"}
    assert seen["names"] == {"a", "b", "c"}


# --- 3. model classes that wear their object types ------------------------------------------


@dataclass(frozen=True, slots=True)
class Thing:
    name: str


@dataclass(frozen=True, slots=True)
class Gadget:
    name: str


class Named(Protocol):
    @property
    def name(self) -> str: ...


@strawberry.interface(name="Named")
class NamedInterface:
    name: str


@strawberry.type(name="Thing")
class ThingObject(NamedInterface):
    pass


@strawberry.type(name="Gadget")
class GadgetObject(NamedInterface):
    pass


for _model, _object_type in ((Thing, ThingObject), (Gadget, GadgetObject), (Named, NamedInterface)):
    fastpath.bind(_model, _object_type)


@strawberry.type
class ThingQuery:
    @strawberry.field
    def thing(self) -> Thing:
        return Thing("t")

    @strawberry.field
    def named(self) -> list[Named]:
        return [Thing("t"), Gadget("g")]


def test_a_bound_model_class_is_its_object_type_in_annotations_and_answers() -> None:
    schema = strawberry.Schema(query=ThingQuery, types=[Thing, Gadget])
    sdl = schema.as_str()
    assert "thing: Thing!" in sdl and "named: [Named!]!" in sdl
    assert "type Thing implements Named" in sdl and "type Gadget implements Named" in sdl
    document = "{ thing { name } named { __typename name } }"
    result = schema.execute_sync(document)
    assert result.errors is None
    assert result.data == {
        "thing": {"name": "t"},
        "named": [{"__typename": "Thing", "name": "t"}, {"__typename": "Gadget", "name": "g"}],
    }


@strawberry.type
class BlueprintQuery:
    thing: ThingObject


def test_a_blueprint_named_in_an_annotation_is_refused() -> None:
    with pytest.raises(UndecoratedSubclassError):
        strawberry.Schema(query=BlueprintQuery)
