"""graphql-core's executor, running a query's compiled plan instead of its per-field machinery.

The plan answers what graphql-core works out for every object (which fields, which
resolver, which arguments, how to complete the return type); running it calls the same
resolvers, coerces leaves with the same types, and reports errors through graphql-core's
own handling (located errors, paths, null propagation to the nearest nullable parent).
A leaf read by the gateway's plain reader or Strawberry's attribute read gets no `info` and
no path unless it fails. Mutations, and anything a plan does not cover (middleware,
an abort signal, @onError, a document without source text), run on graphql-core as before.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, ClassVar, Final, TypeVar

import strawberry
from graphql import GraphQLError, GraphQLObjectType, GraphQLResolveInfo, Undefined
from graphql.execution.collect_fields import GroupedFieldSet
from graphql.execution.executor import Executor, invalid_return_type_error
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, gather_with_cancel, is_iterable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from gateway.plans.cache import PlanCache
from gateway.plans.steps import Completion, FieldStep, How, ObjectPlan, Planner, Shape

# Completed values that are never awaitable: no need to ask.
_DONE: Final = frozenset({dict, list, str, int, float, bool, type(None)})


class PlannedExecutor(StrawberryGraphQLCoreExecutionContext):
    """Runs query operations from the class's `plans`; made per schema by `planned_executor`."""

    plans: ClassVar[PlanCache]

    def execute_root_grouped_field_set(
        self,
        root_type: GraphQLObjectType,
        root_value: Any,
        grouped_field_set: GroupedFieldSet,
        serially: bool,
        position_context: Any,
    ) -> Any:
        plan = None if serially else self.plan(root_type, grouped_field_set)
        if plan is None:
            return super().execute_root_grouped_field_set(
                root_type, root_value, grouped_field_set, serially, position_context
            )
        return self.run_object(plan, root_value, None)

    def plannable(self) -> bool:
        """Whether nothing graphql-core offers beyond plain execution is asked for."""
        middleware = self.middleware_manager
        return (
            (middleware is None or not middleware.middlewares)
            and self.abort_signal is None
            and self.error_propagation
        )

    def planner(self) -> Planner:
        return Planner(
            self.schema,
            self.fragments,
            self.variable_values,
            self.operation,
            self.hide_suggestions,
        )

    def plan(self, root_type: GraphQLObjectType, grouped: GroupedFieldSet) -> ObjectPlan | None:
        """The operation's plan, compiled on its first run; None to run on graphql-core."""
        if not self.plannable():
            return None
        plans = self.plans
        key = plans.key(self.operation, self.fragment_definitions, self.variable_values.coerced)
        if key is None:
            return None
        plan = plans.get(key)
        if plan is None:
            plan = self.planner().object_plan(root_type, grouped)
            plans.put(key, plan)
        return plan

    # Running a plan: each method mirrors graphql-core's of the same role (execute_fields,
    # execute_field, complete_value, complete_iterable_value, complete_object_value).

    def run_object(self, plan: ObjectPlan, source: Any, path: Path | None) -> Any:
        results: dict[str, Any] = {}
        awaiting: list[Any] = []
        is_awaitable = self.is_awaitable
        try:
            for step in plan.steps:
                value = self.run_step(step, source, path)
                results[step.key] = value
                if type(value) not in _DONE and is_awaitable(value):
                    awaiting.append(step.key)
        except Exception:
            if awaiting:
                self.settle_in_background([results[key] for key in awaiting])
            raise
        return _settled(results, awaiting) if awaiting else results

    def run_step(self, step: FieldStep, source: Any, parent_path: Path | None) -> Any:
        """The field's completed value (or an awaitable of it); a failure is handled as
        graphql-core handles it: recorded (the value is None) or raised (non-null)."""
        how = step.how
        completion = step.completion
        if how is not How.RESOLVE:
            try:
                if how is How.READ:
                    value = step.call(source, self.context_value)
                elif how is How.BASIC:
                    value = step.call(source, None)
                else:
                    value = step.parent_type.name
                if completion.shape is Shape.LEAF:
                    if value is None or value is Undefined:
                        if completion.non_null:
                            raise TypeError(step.null_message)
                        return None
                    if type(value) is completion.as_is:
                        return value
                    if not self.is_awaitable(value):
                        if isinstance(value, Exception):
                            raise value
                        return Executor.complete_leaf_value(completion.named, value)
            except Exception as raw:
                path = Path(parent_path, step.key, step.parent_type.name)
                self.handle_field_error(raw, completion.full_type, step.details, path)
                return None
            path = Path(parent_path, step.key, step.parent_type.name)
            info = None
        else:
            path = Path(parent_path, step.key, step.parent_type.name)
            info = self.info_for(step, path)
            try:
                args = step.args if step.args is not None else self.arguments(step)
                resolve = step.field_def.resolve or self.field_resolver
                value = resolve(source, info, **args)
            except Exception as raw:
                self.handle_field_error(raw, completion.full_type, step.details, path)
                return None
        if self.is_awaitable(value):
            return self.complete_awaited(step, completion, info, path, value)
        try:
            completed = self.complete(step, completion, info, path, value)
        except Exception as raw:
            self.handle_field_error(raw, completion.full_type, step.details, path)
            return None
        if type(completed) not in _DONE and self.is_awaitable(completed):
            return self.await_completed(step, completion, path, completed)
        return completed

    def arguments(self, step: FieldStep) -> dict[str, Any]:
        first = step.details[0]
        return get_argument_values(
            step.field_def,
            first.node,
            self.variable_values,
            first.fragment_variable_values,
            self.hide_suggestions,
        )

    def info_for(self, step: FieldStep, path: Path) -> GraphQLResolveInfo[Any]:
        return self.build_resolve_info(step.field_def, step.nodes, step.parent_type, path)

    async def complete_awaited(
        self,
        step: FieldStep,
        completion: Completion,
        info: GraphQLResolveInfo[Any] | None,
        path: Path,
        value: Awaitable[Any],
    ) -> Any:
        try:
            completed = self.complete(step, completion, info, path, await value)
            if type(completed) not in _DONE and self.is_awaitable(completed):
                completed = await completed
        except Exception as raw:
            self.handle_field_error(raw, completion.full_type, step.details, path)
            return None
        return completed

    async def await_completed(
        self, step: FieldStep, completion: Completion, path: Path, completed: Awaitable[Any]
    ) -> Any:
        try:
            return await completed
        except Exception as raw:
            self.handle_field_error(raw, completion.full_type, step.details, path)
            return None

    def complete(
        self,
        step: FieldStep,
        completion: Completion,
        info: GraphQLResolveInfo[Any] | None,
        path: Path,
        value: Any,
    ) -> Any:
        """graphql-core's complete_value, on the compiled completion."""
        if isinstance(value, Exception):
            raise value
        if completion.non_null:
            completed = self.complete_nullable(step, completion, info, path, value)
            if completed is None:
                raise TypeError(step.null_message)
            return completed
        return self.complete_nullable(step, completion, info, path, value)

    def complete_nullable(
        self,
        step: FieldStep,
        completion: Completion,
        info: GraphQLResolveInfo[Any] | None,
        path: Path,
        value: Any,
    ) -> Any:
        if value is None or value is Undefined:
            return None
        shape = completion.shape
        if shape is Shape.LEAF:
            if type(value) is completion.as_is:
                return value
            return Executor.complete_leaf_value(completion.named, value)
        if shape is Shape.LIST:
            return self.complete_list(step, completion, info, path, value)
        if shape is Shape.OBJECT:
            assert completion.plan is not None
            return self.complete_object(step, completion.plan, info, path, value)
        return self.complete_abstract(
            step, completion, info or self.info_for(step, path), path, value
        )

    def complete_abstract(
        self,
        step: FieldStep,
        completion: Completion,
        info: GraphQLResolveInfo[Any],
        path: Path,
        value: Any,
    ) -> Any:
        abstract = completion.named
        resolve_type = abstract.resolve_type or self.type_resolver
        runtime = resolve_type(value, info, abstract)

        def complete_as(name: Any) -> Any:
            runtime_type = self.ensure_valid_runtime_type(name, abstract, step.details, info, value)
            plan = self.planner().runtime_plan(completion, runtime_type, step.details)
            return self.complete_object(step, plan, info, path, value)

        if self.is_awaitable(runtime):

            async def await_runtime() -> Any:
                completed = complete_as(await runtime)
                if type(completed) not in _DONE and self.is_awaitable(completed):
                    return await completed
                return completed

            return await_runtime()
        return complete_as(runtime)

    def complete_object(
        self,
        step: FieldStep,
        plan: ObjectPlan,
        info: GraphQLResolveInfo[Any] | None,
        path: Path,
        value: Any,
    ) -> Any:
        object_type = plan.object_type
        if object_type.is_type_of:
            matches = object_type.is_type_of(value, info or self.info_for(step, path))
            if self.is_awaitable(matches):

                async def await_match() -> Any:
                    if not await matches:
                        raise invalid_return_type_error(object_type, value, step.details)
                    completed = self.run_object(plan, value, path)
                    if type(completed) not in _DONE and self.is_awaitable(completed):
                        return await completed
                    return completed

                return await_match()
            if not matches:
                raise invalid_return_type_error(object_type, value, step.details)
        return self.run_object(plan, value, path)

    def complete_list(
        self,
        step: FieldStep,
        completion: Completion,
        info: GraphQLResolveInfo[Any] | None,
        path: Path,
        value: Any,
    ) -> Any:
        if self.is_async_iterable(value):  # graphql-core's own, for what no resolver here returns
            return self.complete_list_value(
                completion.named, step.details, info or self.info_for(step, path), path, value, None
            )
        if not is_iterable(value):
            raise GraphQLError(
                "Expected Iterable, but did not find one for field"
                f" '{step.parent_type}.{step.nodes[0].name.value}'."
            )
        item = completion.item
        assert item is not None
        is_awaitable = self.is_awaitable
        completed: list[Any] = []
        awaiting: list[Any] = []
        try:
            for index, element in enumerate(value):
                item_path = Path(path, index, None)
                if is_awaitable(element):
                    completed.append(self.complete_awaited(step, item, info, item_path, element))
                    awaiting.append(index)
                    continue
                try:
                    done = self.complete(step, item, info, item_path, element)
                except Exception as raw:
                    self.handle_field_error(raw, item.full_type, step.details, item_path)
                    completed.append(None)
                    continue
                if type(done) not in _DONE and is_awaitable(done):
                    completed.append(self.await_completed(step, item, item_path, done))
                    awaiting.append(index)
                else:
                    completed.append(done)
        except Exception:
            if awaiting:
                self.settle_in_background([completed[index] for index in awaiting])
            raise
        return _settled(completed, awaiting) if awaiting else completed


# A completed object (by response key) or list (by index), some of its values awaitables.
Completed = TypeVar("Completed", dict[str, Any], list[Any])


async def _settled(completed: Completed, awaiting: list[Any]) -> Completed:
    """`completed` with the values at `awaiting` awaited, concurrently as graphql-core does
    (the first failure cancels the others)."""
    if len(awaiting) == 1:
        key = awaiting[0]
        completed[key] = await completed[key]
    else:
        awaited = await gather_with_cancel(*(completed[key] for key in awaiting))
        for key, value in zip(awaiting, awaited, strict=True):
            completed[key] = value
    return completed


def planned_executor(plans: PlanCache) -> type[PlannedExecutor]:
    """An executor class running plans from `plans` (one cache per schema)."""
    return type("PlannedExecutor", (PlannedExecutor,), {"plans": plans})


def plans_of(schema: strawberry.Schema) -> PlanCache | None:
    """The plans of a schema made with `planned_executor`; None for one without."""
    executor: type = schema.execution_context_class
    return executor.plans if issubclass(executor, PlannedExecutor) else None
