"""Structured logs: one JSON line per request, and never a personal value or a credential.

Only fields we choose go into a line: request id, operation name (a name the caller's
document declares, capped), duration, status, upstream calls per back end. Never the query
text, the variables, a header or a body: those hold personal data and tokens.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import orjson

access_logger = logging.getLogger("gateway.access")

_STANDARD = frozenset(vars(logging.makeLogRecord({})))


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
        return orjson.dumps(line, default=str).decode()


def configure_logging(level: str = "info") -> None:
    """JSON lines on stderr for the gateway's loggers (uvicorn keeps its own)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("gateway")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False


def quiet_http_clients() -> None:
    """httpx and httpcore log every request line at INFO, query string included: a Club Med
    search URL holds the caller's filter (names, emails). Keep them to warnings."""
    for name in ("httpx", "httpcore", "aiohttp.client"):
        logging.getLogger(name).setLevel(logging.WARNING)


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
