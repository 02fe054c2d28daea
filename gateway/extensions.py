"""Schema extensions: partial results, response extensions and operation metrics.

Error masking is not here: errors raised before an operation runs (parse, token limit) never
reach an extension, so the view masks every result in one place (`GraphQLView.execute_single`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from gateway.context import Context
from gateway.metrics import Metrics


class PartialResults(SchemaExtension):
    """Adds the errors of back ends that failed while others answered (federated search)."""

    def on_execute(self) -> Iterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        if isinstance(context, Context) and context.partial_errors and result is not None:
            result.errors = [*(result.errors or []), *context.partial_errors]


class ResponseExtensions(SchemaExtension):
    """The entries resolvers added to the response's `extensions` (e.g. `recovered`), and
    which back-end reads the entity cache answered (`cache`, when it was asked)."""

    def get_results(self) -> dict[str, object]:
        context = self.execution_context.context
        if not isinstance(context, Context):
            return {}
        results: dict[str, object] = dict(context.extensions)
        call = context.call
        if call.cache_hits or call.cache_misses:
            results["cache"] = {"hits": dict(call.cache_hits), "misses": dict(call.cache_misses)}
        return results


class OperationMetrics(SchemaExtension):
    """Times each operation by name and outcome; records the dataloaders' batch sizes."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context.context
        if not isinstance(context, Context):
            return
        metrics = self.metrics
        result = self.execution_context.result
        errors = result.errors if result is not None else None
        data = result.data if result is not None else None
        outcome = "ok" if not errors else ("partial" if data else "error")
        name = self.execution_context.operation_name or "anonymous"
        context.operation_name = name
        # Only names the document declares: a caller cannot blow up the label set.
        metrics.operations.labels(name[:64], outcome).observe(time.perf_counter() - started)
        for loader_name, loader in context.loaders.used().items():
            for size in loader.batch_sizes:
                metrics.batches.labels(loader_name).observe(size)
        metrics.write_breakers()  # its upstream calls may have moved them
