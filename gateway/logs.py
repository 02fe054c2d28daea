"""Structured logs: JSON lines, each with the id of the request it was written for, and never
a personal value or a credential.

Only fields we choose go into a line: request id, operation name (a name the caller's
document declares, capped), duration, status, upstream calls per back end. Never the query
text, the variables, a header or a body: those hold personal data and tokens. An exception
is logged as its type and frames, not its message (which may hold a caller's value).
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
import uuid
from contextvars import ContextVar
from typing import Any

import orjson

access_logger = logging.getLogger("gateway.access")

# The id of the request being served, set first thing by the view; every line carries it.
# A context variable, not the request's Context: a library's logger, or uvicorn's for an
# exception escaping the app, knows nothing of our Context, and RequestIdFilter must find it.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

# uvicorn's levels (GATEWAY_LOG_LEVEL); TRACE is uvicorn's own, below DEBUG.
LEVELS = {
    "critical": logging.CRITICAL,
    "error": logging.ERROR,
    "warning": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
    "trace": 5,
}
_HANDLER = "customer-gateway"
# Record attributes that are not fields of a line; uvicorn's `color_message` repeats `message`.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"color_message"}


class JsonFormatter(logging.Formatter):
    """Renders a record as one JSON object: time, level, logger, message and its extras."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info and record.exc_info[1] is not None:
            line["exception"] = type(record.exc_info[1]).__name__
            line["traceback"] = "".join(traceback.format_tb(record.exc_info[2]))
        return orjson.dumps(line, default=str).decode()


class TextFormatter(logging.Formatter):
    """The same fields as JsonFormatter, as one readable line (GATEWAY_LOG_FORMAT=text, for
    development): `11:44:24 info uvicorn.error: Started server process request_id=...`."""

    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(
            f"{k}={v}" for k, v in vars(record).items() if k not in _STANDARD and v is not None
        )
        line = f"{self.formatTime(record, '%H:%M:%S')} {record.levelname.lower()} "
        line += f"{record.name}: {record.getMessage()}" + (f" {extras}" if extras else "")
        if record.exc_info and record.exc_info[1] is not None:
            line += f" exception={type(record.exc_info[1]).__name__}\n"
            line += "".join(traceback.format_tb(record.exc_info[2])).rstrip()
        return line


FORMATTERS: dict[str, type[logging.Formatter]] = {"json": JsonFormatter, "text": TextFormatter}


class RequestIdFilter(logging.Filter):
    """Gives a record written while a request is served, by any logger, that request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "request_id" not in vars(record):
            request_id = current_request_id.get()
            if request_id is not None:
                record.request_id = request_id
        return True


def configure_logging(level: str = "info", format: str = "json") -> None:
    """One line per record on stderr, in one format (JSON, or text in development), from
    every logger: the gateway's at `level`, uvicorn's, and other libraries' warnings, each
    with the `request_id` of the request it was written for."""
    severity = LEVELS[level.lower()]
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER)
    handler.setFormatter(FORMATTERS[format]())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if h.name != _HANDLER] + [handler]
    root.setLevel(max(severity, logging.WARNING))
    # Their lines go through the root's handler; uvicorn's plain-text one goes.
    for name in ("gateway", "uvicorn"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    logging.getLogger("gateway").setLevel(severity)


def quiet_http_clients() -> None:
    """httpx and httpcore log every request line at INFO, query string included: a Club Med
    search URL holds the caller's filter (names, emails). Keep them to warnings."""
    for name in ("httpx", "httpcore", "aiohttp.client"):
        logging.getLogger(name).setLevel(logging.WARNING)


# A caller's X-Request-Id is echoed and logged only when it looks like an id: no log injection.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_for(caller_id: str | None) -> str:
    """The caller's X-Request-Id when it is a plausible id, else a new one."""
    if caller_id is not None and _REQUEST_ID.fullmatch(caller_id):
        return caller_id
    return uuid.uuid4().hex


def log_request(
    *,
    request_id: str,
    operation: str | None,
    status: int,
    duration_ms: float,
    upstream_calls: dict[str, int],
) -> None:
    access_logger.info(
        "request",
        extra={
            "request_id": request_id,
            "operation": (operation or "anonymous")[:64],
            "status": status,
            "duration_ms": round(duration_ms, 2),
            "upstream_calls": upstream_calls,
        },
    )
