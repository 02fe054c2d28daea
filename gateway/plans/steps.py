"""A plan: what executing one selection set on one object type takes, worked out once.

graphql-core works each field out again for every object it completes: the field's
definition, its resolver, its arguments, its return type peeled layer by layer. A plan
holds the answers (a `FieldStep` per response key, a `Completion` per return type), built
from graphql-core's own field collection so that keys, order and merging are its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import Any, Final

from graphql import (
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    OperationDefinitionNode,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_object_type,
)
from graphql.execution.collect_fields import (
    FieldDetailsList,
    FragmentDetails,
    GroupedFieldSet,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values
from graphql.language import FieldNode, ValueNode, VariableNode, visit
from graphql.language.visitor import BREAK, Visitor

from gateway.schema.fastpath import basic_resolver, plain_read

# Leaf values passed through untouched, by type: what graphql-core's coercion returns as is.
_PASSED_AS_IS: Final[dict[GraphQLLeafType, type]] = {
    GraphQLString: str,
    GraphQLID: str,
    GraphQLBoolean: bool,
}


_IMMUTABLE: Final = (str, int, float, bool, type(None), Enum)


class Shape(IntEnum):
    LEAF = 0
    LIST = 1
    OBJECT = 2
    ABSTRACT = 3


class How(IntEnum):
    """How a field's value is got off its parent object."""

    READ = 0  # the gateway's plain reader: read(source, context)
    BASIC = 1  # Strawberry's attribute read: resolve(source, None)
    TYPENAME = 2  # __typename: the parent type's name
    RESOLVE = 3  # anything else: resolve(source, info, **args), as graphql-core calls it


@dataclass(slots=True, eq=False)
class Completion:
    """How to complete one (possibly non-null, possibly list) return type."""

    shape: Shape
    non_null: bool
    # The type with its NonNull, as graphql-core hands it to handle_field_error.
    full_type: GraphQLOutputType
    # The type under the NonNull.
    named: Any
    item: Completion | None = None  # LIST
    as_is: type | None = None  # LEAF: a value of exactly this type is the answer
    plan: ObjectPlan | None = None  # OBJECT
    # ABSTRACT: the plan of each runtime type met so far, made on first meeting.
    by_runtime_type: dict[str, ObjectPlan] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class FieldStep:
    """One response key of a selection set on one object type."""

    key: str
    parent_type: GraphQLObjectType
    field_def: GraphQLField
    details: FieldDetailsList
    nodes: list[FieldNode]
    how: How
    call: Callable[..., Any]
    # The arguments when no variable feeds them (worked out once); else None.
    args: dict[str, Any] | None
    completion: Completion
    null_message: str


@dataclass(slots=True, eq=False)
class ObjectPlan:
    object_type: GraphQLObjectType
    steps: list[FieldStep]


@dataclass(slots=True, eq=False)
class Planner:
    """Builds plans for one operation, with graphql-core's collection."""

    schema: GraphQLSchema
    fragments: dict[str, FragmentDetails]
    variable_values: VariableValues
    operation: OperationDefinitionNode
    hide_suggestions: bool

    def object_plan(self, object_type: GraphQLObjectType, grouped: GroupedFieldSet) -> ObjectPlan:
        steps = [
            step
            for key, details in grouped.items()
            if (step := self.field_step(object_type, key, details)) is not None
        ]
        return ObjectPlan(object_type, steps)

    def subplan(self, object_type: GraphQLObjectType, details: FieldDetailsList) -> ObjectPlan:
        grouped, _defers, _forbidden = collect_subfields(
            self.schema,
            self.fragments,
            self.variable_values,
            self.operation,
            object_type,
            details,
            self.hide_suggestions,
        )
        return self.object_plan(object_type, grouped)

    def field_step(
        self, parent_type: GraphQLObjectType, key: str, details: FieldDetailsList
    ) -> FieldStep | None:
        first = details[0].node
        name = first.name.value
        field_def = self.schema.get_field(parent_type, name)
        if field_def is None:
            return None  # graphql-core leaves the key out (Undefined)
        resolve = field_def.resolve
        read = plain_read(resolve)
        how: How
        call: Callable[..., Any]
        if name == "__typename":
            how, call = How.TYPENAME, _no_call
        elif read is not None:
            how, call = How.READ, read
        elif resolve is not None and basic_resolver(resolve):
            how, call = How.BASIC, resolve
        else:
            how, call = How.RESOLVE, resolve or _no_call
        return FieldStep(
            key=key,
            parent_type=parent_type,
            field_def=field_def,
            details=details,
            nodes=[d.node for d in details],
            how=how,
            call=call,
            args=self.static_args(field_def, details),
            completion=self.completion(field_def.type, details),
            null_message=f"Cannot return null for non-nullable field {parent_type}.{name}.",
        )

    def static_args(
        self, field_def: GraphQLField, details: FieldDetailsList
    ) -> dict[str, Any] | None:
        """The arguments, when neither a variable nor a fragment variable feeds them."""
        first = details[0]
        if not field_def.args and not first.node.arguments:
            return {}
        if first.fragment_variable_values is not None or _uses_variables(first.node):
            return None
        try:
            args = get_argument_values(field_def, first.node, None, None, self.hide_suggestions)
        except Exception:  # noqa: BLE001
            return None  # worked out per call instead, where its error is the field's
        # Shared by every request of the plan: only values nobody can change in place.
        return args if all(isinstance(v, _IMMUTABLE) for v in args.values()) else None

    def completion(self, return_type: GraphQLOutputType, details: FieldDetailsList) -> Completion:
        non_null = isinstance(return_type, GraphQLNonNull)
        named: Any = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if is_list_type(named):
            assert isinstance(named, GraphQLList)
            item = self.completion(named.of_type, details)
            return Completion(Shape.LIST, non_null, return_type, named, item=item)
        if is_leaf_type(named):
            as_is = _PASSED_AS_IS.get(named)
            return Completion(Shape.LEAF, non_null, return_type, named, as_is=as_is)
        if is_abstract_type(named):
            return Completion(Shape.ABSTRACT, non_null, return_type, named)
        if is_object_type(named):
            plan = self.subplan(named, details)
            return Completion(Shape.OBJECT, non_null, return_type, named, plan=plan)
        raise TypeError(f"unexpected output type {named}")  # pragma: no cover

    def runtime_plan(
        self, completion: Completion, runtime_type: GraphQLObjectType, details: FieldDetailsList
    ) -> ObjectPlan:
        """The plan of an abstract type's value of `runtime_type`, made on first meeting."""
        plan = completion.by_runtime_type.get(runtime_type.name)
        if plan is None:
            plan = completion.by_runtime_type[runtime_type.name] = self.subplan(
                runtime_type, details
            )
        return plan


def _no_call(*_: object, **__: object) -> None:  # pragma: no cover: never called
    return None


class _FindsVariable(Visitor):
    found = False

    def enter_variable(self, *_: object) -> object:
        self.found = True
        return BREAK


def _uses_variables(node: FieldNode) -> bool:
    finder = _FindsVariable()
    for argument in node.arguments or ():
        value: ValueNode = argument.value
        if isinstance(value, VariableNode):
            return True
        visit(value, finder)
        if finder.found:
            return True
    return False
