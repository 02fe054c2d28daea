"""Optional OpenTelemetry tracing: a span per GraphQL operation and per upstream call.

Off by default (`GATEWAY_TRACING=off`), and then nothing of OpenTelemetry is even imported
and the back ends' `Upstream`s get no `UpstreamTracing` observer. `console` prints spans,
`otlp` exports them over OTLP/HTTP (the standard OTEL_EXPORTER_OTLP_* variables say where).
Upstream calls carry the W3C `traceparent` header, so a back end's own traces join the
gateway's.

Spans carry names, codes and statuses only: never the query text, variables or arguments
(Strawberry's own OpenTelemetryExtension records both, and they hold personal values).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import httpx
from strawberry.extensions import SchemaExtension

from adapters.model import Backend
from gateway.config import ConfigError

if TYPE_CHECKING:
    from opentelemetry.trace import Span, Tracer

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


class UpstreamTracing:
    """An upstream `Observer`: a client span per request sent, its W3C `traceparent` with it.

    The span is a child of the current one (the GraphQL operation's); it carries the back
    end, the operation's name and the status, never a path or a value.
    """

    def __init__(self, tracer: Tracer) -> None:
        from opentelemetry import trace
        from opentelemetry.propagate import inject

        self.tracer = tracer
        self._in_context = trace.set_span_in_context
        self._inject = inject

    def sending(self, backend: Backend, operation: str, request: httpx.Request) -> _SpanEnd:
        from opentelemetry.trace import SpanKind

        span = self.tracer.start_span(
            f"upstream {operation}",
            kind=SpanKind.CLIENT,
            attributes={"gateway.backend": backend.value, "gateway.upstream.operation": operation},
        )
        self._inject(request.headers, context=self._in_context(span))
        return _SpanEnd(span)

    def unreadable(self, backend: Backend, operation: str) -> None:
        pass  # the call's error reaches the operation's span as its code

    def watch_breaker(self, backend: Backend, state: Callable[[], str]) -> None:
        pass


class _SpanEnd:
    def __init__(self, span: Span) -> None:
        self.span = span

    def answered(self, status: int) -> None:
        self.span.set_attribute("http.response.status_code", status)
        self.span.end()

    def failed(self, error: BaseException) -> None:
        from opentelemetry.trace import Status, StatusCode

        self.span.record_exception(error)
        self.span.set_status(Status(StatusCode.ERROR, type(error).__name__))
        self.span.end()
