"""The plans of the latest operations, by document text, operation and @skip/@include values."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock

from graphql import (
    DirectiveNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    VariableNode,
    visit,
)
from graphql.language.visitor import Visitor

from gateway.plans.steps import ObjectPlan

# A plan's key: the document's text, where its operation starts, the @skip/@include values.
PlanKey = tuple[str, int, tuple[Hashable, ...]]


class PlanCache:
    """At most `size` plans, the least recently used dropped first."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._plans: OrderedDict[PlanKey, ObjectPlan] = OrderedDict()
        # The variables feeding @skip/@include in each document's operation, by (text, start).
        self._switches: dict[tuple[str, int], tuple[str, ...] | None] = {}
        self._lock = Lock()
        self.runs = 0  # operations run from a plan of this cache (tests, metrics)

    def __len__(self) -> int:
        return len(self._plans)

    def key(
        self,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, object],
    ) -> PlanKey | None:
        """The operation's key; None when it cannot have one (no source text, a fragment
        with variables of its own, an unhashable switch value)."""
        loc = operation.loc
        if loc is None:
            return None
        where = (loc.source.body, loc.start)
        if where not in self._switches:
            if len(self._switches) >= self.size * 4:
                self._switches.clear()
            self._switches[where] = _switches(operation, fragments)
        names = self._switches[where]
        if names is None:
            return None
        values = tuple(variables.get(name) for name in names)
        try:
            hash(values)
        except TypeError:
            return None
        return (*where, values)

    def get(self, key: PlanKey) -> ObjectPlan | None:
        with self._lock:
            self.runs += 1
            plan = self._plans.get(key)
            if plan is not None:
                self._plans.move_to_end(key)
            return plan

    def put(self, key: PlanKey, plan: ObjectPlan) -> None:
        with self._lock:
            self._plans[key] = plan
            self._plans.move_to_end(key)
            while len(self._plans) > self.size:
                self._plans.popitem(last=False)


class _SwitchVariables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def enter_directive(self, node: DirectiveNode, *_: object) -> None:
        if node.name.value in {"skip", "include"}:
            for argument in node.arguments or ():
                if isinstance(argument.value, VariableNode):
                    self.names.append(argument.value.name.value)


def _switches(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
) -> tuple[str, ...] | None:
    """The variables feeding @skip/@include in the operation or any fragment; None when a
    fragment declares variables of its own (graphql-core's experimental fragment arguments)."""
    if any(fragment.variable_definitions for fragment in fragments.values()):
        return None
    found = _SwitchVariables()
    visit(operation, found)
    for fragment in fragments.values():
        visit(fragment, found)
    return tuple(sorted(set(found.names)))
