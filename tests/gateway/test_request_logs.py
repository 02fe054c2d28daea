"""Every log line written while a request is served carries its `request_id`, whichever
logger wrote it: an INTERNAL error's `extensions.requestId` finds its lines (README)."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from typing import Any, NoReturn

import httpx
import orjson

from adapters.model import Backend
from gateway.app import create_app
from gateway.logs import configure_logging
from gateway.state import gateway_state, hang
from sandboxes.common.server import BackgroundServer
from tests.conftest import RunningSandbox
from tests.gateway.conftest import gateway_settings, token

QUERY = '{ customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") { lastName } }'
# The loggers configure_logging changes, put back as the session had them.
CONFIGURED = ("", "gateway", "uvicorn", "uvicorn.error")


@contextlib.contextmanager
def json_lines() -> Iterator[io.StringIO]:
    """The JSON lines `serve` writes on stderr, into a buffer, while the block runs."""
    saved = [
        (logger, logger.level, logger.handlers[:], logger.propagate)
        for logger in map(logging.getLogger, CONFIGURED)
    ]
    stream = io.StringIO()
    try:
        with contextlib.redirect_stderr(stream):
            configure_logging("info")
        yield stream
    finally:
        for logger, level, handlers, propagate in saved:
            logger.setLevel(level)
            logger.handlers[:] = handlers
            logger.propagate = propagate


def lines_of(stream: io.StringIO, request_id: str) -> list[dict[str, Any]]:
    lines = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    return [line for line in lines if line.get("request_id") == request_id]


def test_an_internal_errors_request_id_finds_every_line_of_its_request(
    gateway_sandboxes: dict[Backend, RunningSandbox],
) -> None:
    app = create_app(gateway_settings(gateway_sandboxes))
    headers = {"authorization": f"Bearer {token()}"}
    with (
        BackgroundServer(app) as server,
        httpx.Client(base_url=server.url, headers=headers, timeout=30) as http,
    ):

        async def broken(native_id: str) -> NoReturn:
            # A library writing a line during the request, then a gateway bug.
            logging.getLogger("a.library").warning("a library's warning")
            raise RuntimeError("a gateway bug")

        gateway_state(app).adapters[Backend.RELAY].get_customer = broken  # type: ignore[method-assign]
        with json_lines() as stream:
            made = http.post("/graphql", json={"query": QUERY})
            sent = http.post("/graphql", json={"query": QUERY}, headers={"x-request-id": "req-7"})
            server.stop()  # the access line follows the response: let the server finish
    assert sent.json()["errors"][0]["extensions"]["requestId"] == "req-7"
    for response in made, sent:
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "INTERNAL"
        lines = lines_of(stream, error["extensions"]["requestId"])
        assert {(line["logger"], line["level"]) for line in lines} == {
            ("a.library", "warning"),
            ("gateway.errors", "error"),
            ("gateway.graphql", "info"),
            ("gateway.access", "info"),
        }


def test_an_exception_escaping_to_the_server_is_logged_with_the_request_id(
    gateway_sandboxes: dict[Backend, RunningSandbox],
) -> None:
    app = create_app(gateway_settings(gateway_sandboxes))
    headers = {"authorization": f"Bearer {token()}", "x-request-id": "req-escaped-1"}
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        state = gateway_state(app)
        with json_lines() as stream:
            del app.state.gateway  # a gateway bug: the request's context cannot be built
            response = http.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
            hang(app, state)
            server.stop()  # uvicorn logs the exception after its 500 has gone: let it finish
    assert response.status_code == 500
    [line] = lines_of(stream, "req-escaped-1")
    assert (line["logger"], line["level"]) == ("uvicorn.error", "error")
    assert line["message"].startswith("Exception in ASGI application")
    assert line["exception"] == "AttributeError" and "create_context" in line["traceback"]


def test_text_lines_carry_the_same_fields_readably() -> None:
    """GATEWAY_LOG_FORMAT=text: one line per record, its extras as key=value, no JSON."""
    import logging

    from gateway.logs import TextFormatter

    record = logging.makeLogRecord(
        {"name": "gateway.access", "levelname": "INFO", "msg": "request", "request_id": "r-1"}
    )
    record.status = 200
    line = TextFormatter().format(record)
    assert line.endswith(" info gateway.access: request request_id=r-1 status=200")
    assert "{" not in line
