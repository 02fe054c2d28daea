"""The Strawberry schema of the gateway; `schema.graphql` is printed from it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.types.base import get_object_definition

from adapters.model import Customer, TravelDocument, Traveler
from gateway.config import Settings
from gateway.extensions import OperationMetrics, PartialResults, ResponseExtensions
from gateway.limits import DocumentLimits, TokenLimitedParser, UpstreamCostLimit
from gateway.metrics import Metrics
from gateway.plans.cache import PlanCache
from gateway.plans.executor import planned_executor
from gateway.schema.actions import CredentialActions
from gateway.schema.catalogue import COSTS
from gateway.schema.fastpath import resolve_directly
from gateway.schema.mutation import Mutation
from gateway.schema.query import Query
from gateway.schema.related_mutation import RelatedRecordMutation
from gateway.schema.relationships import RELATED_COSTS
from gateway.schema.scalars import SCALARS
from gateway.schema.types import PLAIN_READERS
from gateway.tracing import OperationTracing

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

logger = logging.getLogger("gateway.graphql")


class GatewaySchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log each error's code and path only: never the query text, which holds values."""
        for error in errors:
            code = (error.extensions or {}).get("code", "-")
            logger.info("graphql error code=%s path=%s", code, error.path)


def _mutation() -> type:
    """The mutation type: the customer writes, the related records' and the credential
    checks, each in a module of its own, merged under the first one's description."""
    merged: type = merge_types("Mutation", (Mutation, RelatedRecordMutation, CredentialActions))
    own = get_object_definition(Mutation, strict=True).description
    get_object_definition(merged, strict=True).description = own
    return merged


def create_schema(
    settings: Settings | None = None,
    tracer: Tracer | None = None,
    metrics: Metrics | None = None,
) -> GatewaySchema:
    """The schema with the limits of `settings`, timed into `metrics` (the app's, else its
    own); production also hides introspection."""
    settings = settings or Settings()
    measured = metrics or Metrics()
    # Classes or factories, never instances: Strawberry builds fresh extensions per request
    # (one shared instance would leak state between concurrent requests, strawberry#4369).
    # The validation rules are made once, here: ValidationCache keys its module-level LRU on
    # the rule classes, and a depth or alias limiter built per request makes new classes,
    # so every request missed the cache and validated anew (45% of a request's CPU).
    # Depth and aliases are ours, not Strawberry's limiters: those expand every fragment
    # spread anew, exponential in a fragment spread twice at each level (gateway/limits.py).
    # The upstream cost needs the variables: it is counted just before execution.
    limits = DocumentLimits(settings, {**COSTS, **RELATED_COSTS})
    rules = [limits.validation_rule]
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        lambda: OperationMetrics(measured),
        PartialResults,
        ResponseExtensions,
        lambda: TokenLimitedParser(settings.max_tokens),
        lambda: AddValidationRules(rules),
        lambda: UpstreamCostLimit(limits),
        lambda: ValidationCache(maxsize=256),
    ]
    if settings.production:
        extensions.append(DisableIntrospection)
    if tracer is not None:
        traced = tracer
        extensions.insert(0, lambda: OperationTracing(traced))
    # Queries run from compiled plans (gateway/plans); mutations always on graphql-core.
    executor = planned_executor(PlanCache()) if settings.plans == "on" else None
    schema = GatewaySchema(
        query=Query,
        # The related records' writes (and the credential checks) in modules of their own.
        mutation=_mutation(),
        types=[Customer, Traveler, TravelDocument],
        extensions=extensions,
        config=StrawberryConfig(
            disable_field_suggestions=settings.production,
            batching_config={"max_operations": settings.max_batch},
            scalar_map=SCALARS,
        ),
        execution_context_class=executor,
    )
    resolve_directly(schema, PLAIN_READERS)
    return schema


def print_schema() -> str:
    """The SDL, as checked in at schema.graphql."""
    return create_schema().as_str() + "\n"
