"""The shape of a GraphQL document: its depth, its aliases, and what each operation would ask
of the back ends, the counts that hang on a variable kept apart.

`analyse` walks each fragment once, those it spreads first, with an explicit stack: neither a
long chain of spreads nor a fragment spread twice at each level costs more than linear time.
The cost model is the worst case: a search asks both searching back ends, then per record
the calls of each source of the fields selected (`CallsPerCustomer`, the schema's field
catalogue): a source's calls once, however many of its fields are selected (one profile
call serves every profile field). Resolving a person (`Customer.person`, the root fields
`person` and `people`, one per record) costs what the catalogue's `person` entry says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    value_from_ast_untyped,
)

SEARCHING_BACKENDS = 2  # Club Med and CareCloud
DEFAULT_PAGE = 20  # customers(first:) left out or null


class CallSource(Protocol):
    """Where some customer fields come from: selecting any costs its calls, per customer."""

    @property
    def calls(self) -> int: ...


# Per GraphQL field name of a customer that costs upstream calls, the source of those calls.
CallsPerCustomer = Mapping[str, CallSource]


def _per_customer(names: frozenset[str], costs: CallsPerCustomer) -> int:
    """The calls per customer of the selected names: each source's calls once."""
    return sum(source.calls for source in {costs[name] for name in names})


@dataclass(frozen=True, slots=True)
class _Summary:
    """What a selection set holds, the fragments it spreads included."""

    names: frozenset[str]  # the names that cost calls, at any depth
    depth: int  # nested fields, as Strawberry's QueryDepthLimiter counts them
    aliases: int  # aliased fields, once per spread, as Strawberry's MaxAliasesLimiter does


_EMPTY = _Summary(frozenset(), 0, 0)


@dataclass(frozen=True, slots=True)
class _Records:
    """The records of a root field whose count is a variable's: `first: $n` or `ids: $ids`."""

    argument: str  # "first" or "ids"
    variable: str
    default: object  # the variable's default value; None when it has none
    calls_per_record: int


@dataclass(frozen=True, slots=True)
class OperationShape:
    node: OperationDefinitionNode
    depth: int
    aliases: int
    fixed_calls: int  # the calls known from the document alone
    records: tuple[_Records, ...]  # and those counted once the variables are known

    def calls(self, variables: Mapping[str, object] | None, max_page: int) -> int:
        """The upstream calls of this operation with these variables (worst case)."""
        total = self.fixed_calls
        for records in self.records:
            value = (variables or {}).get(records.variable, records.default)
            if records.argument == "first":
                total += records.calls_per_record * _page(value, max_page)
            else:
                total += records.calls_per_record * _length(value)
        return total


@dataclass(frozen=True, slots=True)
class DocumentShape:
    operations: tuple[OperationShape, ...]

    def operation(self, name: str | None) -> OperationShape | None:
        """The operation a request runs; None where graphql-core will refuse the choice."""
        if name is None:
            return self.operations[0] if len(self.operations) == 1 else None
        named = [op for op in self.operations if op.node.name and op.node.name.value == name]
        return named[0] if len(named) == 1 else None


def analyse(document: DocumentNode, max_page: int, costs: CallsPerCustomer) -> DocumentShape:
    """The shape of every operation of a document, in one pass over each fragment."""
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    summaries = _summarise_fragments(fragments, costs)
    operations = []
    for node in document.definitions:
        if isinstance(node, OperationDefinitionNode):
            summary = _summarise(node.selection_set, summaries, costs)
            fixed, records = _root_calls(node, fragments, summaries, max_page, costs)
            operations.append(OperationShape(node, summary.depth, summary.aliases, fixed, records))
    return DocumentShape(tuple(operations))


def _summarise_fragments(
    fragments: Mapping[str, FragmentDefinitionNode], costs: CallsPerCustomer
) -> dict[str, _Summary]:
    """Each fragment's summary, those it spreads first.

    A depth-first walk with an explicit stack, so a long chain of spreads cannot exhaust
    Python's; a spread back into the path (a cycle, a validation error) counts as empty.
    """
    spreads = {name: _spreads(fragment.selection_set) for name, fragment in fragments.items()}
    done: dict[str, _Summary] = {}
    on_path: set[str] = set()
    for start in fragments:
        if start in done:
            continue
        stack = [(start, iter(spreads[start]))]
        on_path.add(start)
        while stack:
            name, pending = stack[-1]
            for spread in pending:
                if spread in fragments and spread not in done and spread not in on_path:
                    on_path.add(spread)
                    stack.append((spread, iter(spreads[spread])))
                    break
            else:
                stack.pop()
                on_path.discard(name)
                done[name] = _summarise(fragments[name].selection_set, done, costs)
    return done


def _spreads(selection_set: SelectionSetNode) -> set[str]:
    """The fragments spread anywhere in a selection set (recursion only as deep as it nests)."""
    names: set[str] = set()
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            names.add(selection.name.value)
        elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
            names |= _spreads(selection.selection_set)
    return names


def _summarise(
    selection_set: SelectionSetNode, fragments: Mapping[str, _Summary], costs: CallsPerCustomer
) -> _Summary:
    """A selection set's summary, given the summaries of the fragments it spreads."""
    names: set[str] = set()
    depth = aliases = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            name = selection.name.value
            aliases += selection.alias is not None
            if name in costs:
                names.add(name)
            if selection.selection_set is None:
                continue
            inner = _summarise(selection.selection_set, fragments, costs)
            if not name.startswith("__"):  # introspection does not count in depth
                depth = max(depth, 1 + inner.depth)
        elif isinstance(selection, InlineFragmentNode):
            inner = _summarise(selection.selection_set, fragments, costs)
            depth = max(depth, inner.depth)
        elif isinstance(selection, FragmentSpreadNode):
            inner = fragments.get(selection.name.value, _EMPTY)
            depth = max(depth, inner.depth)
        else:
            continue
        names |= inner.names
        aliases += inner.aliases
    return _Summary(frozenset(names), depth, aliases)


def _root_calls(
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    summaries: Mapping[str, _Summary],
    max_page: int,
    costs: CallsPerCustomer,
) -> tuple[int, tuple[_Records, ...]]:
    """The calls known from the document, and the records left to the variables."""
    defaults = {
        definition.variable.name.value: value_from_ast_untyped(definition.default_value)
        for definition in operation.variable_definitions or ()
        if definition.default_value is not None
    }
    per_root = 2 if operation.operation is OperationType.MUTATION else 1
    fixed = 0
    records: list[_Records] = []
    for nodes in _root_fields(operation.selection_set, fragments).values():
        name = nodes[0].name.value
        if name.startswith("__"):
            continue
        names: frozenset[str] = frozenset().union(
            *(_summarise(n.selection_set, summaries, costs).names for n in nodes if n.selection_set)
        )
        per_customer = _per_customer(names, costs)
        if name in ("customers", "people"):
            fixed += SEARCHING_BACKENDS
            # A `people` edge is a person resolved from each record found.
            per_person = _person_calls(costs) if name == "people" else 0
            argument, per_record = "first", per_customer + per_person
        elif name == "nodes":
            argument, per_record = "ids", 1 + per_customer
        else:
            fixed += per_root + per_customer + (_person_calls(costs) if name == "person" else 0)
            continue
        value = _argument(nodes[0], argument)
        if isinstance(value, VariableNode):
            variable = value.name.value
            records.append(_Records(argument, variable, defaults.get(variable), per_record))
        elif argument == "first":
            fixed += per_record * _page(_literal(value), max_page)
        else:
            fixed += per_record * _literal_length(value)
    return fixed, tuple(records)


def _person_calls(costs: CallsPerCustomer) -> int:
    """What resolving a person costs: `Customer.person`'s calls (issue 16), where it exists."""
    source = costs.get("person")
    return source.calls if source is not None else 0


def _root_fields(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> dict[str, list[FieldNode]]:
    """Root fields by response key, each fragment spread once: what graphql-core executes."""
    fields: dict[str, list[FieldNode]] = {}
    visited: set[str] = set()
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                stack.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in fragments and name not in visited:
                    visited.add(name)
                    stack.append(fragments[name].selection_set)
    return fields


def _argument(field: FieldNode, name: str) -> ValueNode | None:
    for argument in field.arguments or ():
        if argument.name.value == name:
            return argument.value
    return None


def _literal(value: ValueNode | None) -> object:
    if value is None or isinstance(value, NullValueNode):
        return None
    return int(value.value) if isinstance(value, IntValueNode) else value


def _literal_length(value: ValueNode | None) -> int:
    if value is None or isinstance(value, NullValueNode):
        return 0
    return len(value.values) if isinstance(value, ListValueNode) else 1


def _page(value: object, max_page: int) -> int:
    """Records a `first` asks for: capped at the page size, null or left out is the default.

    A value of another type is refused by coercion; until then it counts as a full page.
    """
    if value is None:
        return min(DEFAULT_PAGE, max_page)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return max_page
    if isinstance(value, float) and not value.is_integer():
        return max_page
    return min(max(int(value), 0), max_page)


def _length(value: object) -> int:
    """Ids in an `ids` value: graphql-core coerces a single value into a list of one."""
    if value is None:
        return 0
    return len(value) if isinstance(value, list) else 1
