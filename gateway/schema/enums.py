"""Model enums as GraphQL enums, described: the model cannot carry Strawberry's markers."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TypeVar

import strawberry
from strawberry.types.enum import has_enum_definition

E = TypeVar("E", bound=enum.Enum)


def described_enum(
    cls: type[E], description: str, values: Mapping[E, str], *, name: str | None = None
) -> type[E]:
    """The model enum wrapped plainly, then its definition described in place.

    The model enums cannot carry `strawberry.enum_value` (adapters never import Strawberry).
    In place, because Strawberry may have wrapped the enum on its own already (an input
    annotated with it, imported first): a second definition would clash with that one.
    `name` is its GraphQL name where the model's class name is not (`Linked` is `LinkedBy`).
    """
    if not has_enum_definition(cls):
        strawberry.enum(cls, name=name)
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    definition.description = description
    for value in definition.values:
        value.description = values.get(cls[value.name])
    return cls
