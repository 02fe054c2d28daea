"""The Strawberry schema of the gateway; `schema.graphql` is printed from it."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from gateway.extensions import MaskUnexpectedErrors, OperationMetrics, PartialResults
from gateway.schema.mutation import Mutation
from gateway.schema.query import Query
from gateway.schema.types import CustomerObject, TravelDocumentObject, TravelerObject

logger = logging.getLogger("gateway.graphql")


class GatewaySchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log each error's code and path only: never the query text, which holds values."""
        for error in errors:
            code = (error.extensions or {}).get("code", "-")
            logger.info("graphql error code=%s path=%s", code, error.path)


def create_schema() -> GatewaySchema:
    return GatewaySchema(
        query=Query,
        mutation=Mutation,
        types=[CustomerObject, TravelerObject, TravelDocumentObject],
        extensions=[OperationMetrics, MaskUnexpectedErrors, PartialResults],
    )


def print_schema() -> str:
    """The SDL, as checked in at schema.graphql."""
    return create_schema().as_str() + "\n"
