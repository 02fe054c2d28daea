"""Schema extensions: partial results and error masking, outside the resolvers."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from gateway.context import Context
from gateway.errors import mask_unexpected


class PartialResults(SchemaExtension):
    """Adds the errors of back ends that failed while others answered (federated search)."""

    def on_execute(self) -> Iterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        if isinstance(context, Context) and context.partial_errors and result is not None:
            result.errors = [*(result.errors or []), *context.partial_errors]


class MaskUnexpectedErrors(SchemaExtension):
    """Every error gets an `extensions.code`; unexpected exceptions become INTERNAL."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        context = self.execution_context.context
        if result is not None and result.errors:
            request_id = context.request_id if isinstance(context, Context) else "-"
            result.errors = mask_unexpected(result.errors, request_id)
