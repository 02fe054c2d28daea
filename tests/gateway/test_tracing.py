"""Optional tracing: a span per operation and per upstream call, traceparent sent upstream;
nothing of it when off (the default)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from adapters.model import Backend
from tests.gateway.conftest import Gateway, custom_gateway

RELAY_CUSTOMER = 'query RelayCustomer { customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") { lastName } }'


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    """The process's tracer provider (set once per process), exporting to memory."""
    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter


def test_off_by_default_sends_no_traceparent(gateway: Gateway) -> None:
    assert gateway.query(RELAY_CUSTOMER)["data"]["customerByNativeId"]["lastName"] == "Moore"
    relay = gateway.sandboxes[Backend.RELAY].app.counter
    assert relay.snapshot() and relay.traced == {}


def test_spans_per_operation_and_upstream_call(
    gateway: Gateway, spans: InMemorySpanExporter
) -> None:
    spans.clear()
    with custom_gateway(gateway.sandboxes, tracing="console") as traced:
        body = traced.query(RELAY_CUSTOMER)
    assert body["data"]["customerByNativeId"]["lastName"] == "Moore"
    finished = {span.name: span for span in spans.get_finished_spans()}
    operation = finished["graphql.operation"]
    upstream = finished["upstream relay.get_customer"]
    assert operation.attributes is not None and upstream.attributes is not None
    assert operation.attributes["graphql.operation.name"] == "RelayCustomer"
    assert upstream.parent is not None and upstream.parent.span_id == operation.context.span_id
    assert upstream.attributes["http.response.status_code"] == 200
    # The back end received the upstream span's trace context (W3C traceparent).
    relay = gateway.sandboxes[Backend.RELAY].app.counter
    assert relay.traced == {"GET /cdm/client/{client_id}/customer/{ccid}": 1}
    assert relay.last_traceparent is not None
    _, trace_id, span_id, _ = relay.last_traceparent.split("-")
    assert int(trace_id, 16) == operation.context.trace_id
    assert int(span_id, 16) == upstream.context.span_id
    # Names and codes only: no query text, no value.
    recorded = repr([dict(s.attributes or {}) for s in finished.values()])
    assert "BAK-11984-007" not in recorded and "Moore" not in recorded
