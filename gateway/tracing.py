"""Optional OpenTelemetry tracing: a span per GraphQL operation and per upstream call.

Off by default (`GATEWAY_TRACING=off`), and then nothing of OpenTelemetry is even imported:
the transport checks one `None`. `console` prints spans, `otlp` exports them over OTLP/HTTP
(the standard OTEL_EXPORTER_OTLP_* variables say where). Upstream calls carry the W3C
`traceparent` header, so a back end's own traces join the gateway's.

Spans carry names, codes and statuses only: never the query text, variables or arguments
(Strawberry's own OpenTelemetryExtension records both, and they hold personal values).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from strawberry.extensions import SchemaExtension

from gateway.config import ConfigError

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

SERVICE_NAME = "customer-gateway"


def create_tracer(mode: str) -> Tracer | None:
    """The gateway's tracer for `mode` (off, console, otlp); None when off."""
    if mode == "off":
        return None
    try:
        from opentelemetry import trace
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        raise ConfigError(
            "GATEWAY_TRACING needs the tracing extra: pip install 'customer-gateway[tracing]'"
        ) from None
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        # A provider set up by the host process (or a test) is kept as it is.
        provider = TracerProvider(resource=Resource.create({"service.name": SERVICE_NAME}))
        provider.add_span_processor(BatchSpanProcessor(_exporter(mode)))
        trace.set_tracer_provider(provider)
    return provider.get_tracer(SERVICE_NAME)


def _exporter(mode: str) -> Any:
    if mode == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter()
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    except ImportError:
        raise ConfigError("GATEWAY_TRACING=otlp needs opentelemetry-exporter-otlp") from None
    return OTLPSpanExporter()


class OperationTracing(SchemaExtension):
    """One server span per GraphQL operation: its name, type and error codes, no values."""

    def __init__(self, tracer: Tracer) -> None:
        super().__init__()
        self.tracer = tracer

    def on_operation(self) -> Iterator[None]:
        from opentelemetry.trace import SpanKind, Status, StatusCode

        with self.tracer.start_as_current_span("graphql.operation", kind=SpanKind.SERVER) as span:
            yield
            context = self.execution_context
            span.set_attribute("graphql.operation.name", (context.operation_name or "")[:64])
            operation_type = getattr(context, "operation_type", None)
            if operation_type is not None:
                span.set_attribute("graphql.operation.type", operation_type.value)
            errors = context.result.errors if context.result is not None else None
            if errors:
                codes = sorted({str((e.extensions or {}).get("code", "-")) for e in errors})
                span.set_attribute("graphql.error.codes", codes)
                span.set_status(Status(StatusCode.ERROR))


def upstream_span(tracer: Tracer, backend: str, operation: str) -> Any:
    """A client span around one upstream attempt; `inject_traceparent` fills the header."""
    from opentelemetry.trace import SpanKind

    return tracer.start_as_current_span(
        f"upstream {operation}",
        kind=SpanKind.CLIENT,
        attributes={"gateway.backend": backend, "gateway.upstream.operation": operation},
    )


def inject_traceparent(headers: Any) -> None:
    """W3C trace context of the current span into an outgoing request's headers."""
    from opentelemetry.propagate import inject

    inject(headers)
