"""Fields resolved by plain graphql-core functions: the same answers, never a lost extension."""

from __future__ import annotations

import pytest
import strawberry

from adapters.model import Backend, Customer
from gateway.auth import CanReadPII
from gateway.schema import create_schema, direct
from gateway.schema.types import CustomerObject


def test_direct_fields_skip_strawberrys_layer_and_keep_the_permissioned_ones() -> None:
    fields = create_schema()._schema.type_map["Customer"].fields  # type: ignore[attr-defined]
    assert fields["firstName"].resolve.__module__ == direct.__name__
    assert fields["id"].resolve.__module__ == direct.__name__
    # birthdate needs pii:read: it keeps Strawberry's permission extension.
    assert fields["birthdate"].resolve.__module__ != direct.__name__


@strawberry.type
class Guarded:
    secret: str = strawberry.field(permission_classes=[CanReadPII])


@strawberry.type
class Query:
    guarded: Guarded


def test_a_field_with_an_extension_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(direct, "DIRECT", {Guarded: {"secret": lambda root, info: "x"}})
    with pytest.raises(TypeError, match="Guarded.secret"):
        direct.resolve_directly(strawberry.Schema(query=Query))


def test_a_misspelt_field_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(direct, "DIRECT", {CustomerObject: {"frist_name": lambda r, i: None}})
    with pytest.raises(TypeError, match="frist_name"):
        create_schema()


def test_direct_id_is_the_strawberry_id() -> None:
    record = Customer(backend=Backend.CLUBMED, native_id="42/x", known_fields=frozenset())
    resolve = direct.DIRECT[CustomerObject]["id"]
    assert resolve(record, None) == CustomerObject.id(None, record)  # type: ignore[arg-type, call-arg]
