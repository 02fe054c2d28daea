"""Added latency and injected faults, for tests and benchmarks of the gateway.

`FaultInjection` is plain ASGI middleware in front of one back end's sandbox. Its
`FaultSettings` can be changed while it serves: in process (`SandboxApp.faults.settings`)
or over HTTP (`PUT /_sandbox/faults`, see `instrument.py`). Draws come from a seeded
generator, so a run is repeatable for the same sequence of requests.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandboxes.common.parameters import local_path

CONTROL_PREFIX = "/_sandbox"


@dataclass(frozen=True, slots=True)
class FaultSettings:
    """What to do to each request. Rates are probabilities in [0, 1]."""

    latency_ms: float = 0.0  # fixed added latency per request
    jitter_ms: float = 0.0  # plus a uniform draw in [0, jitter_ms]
    error_rate: float = 0.0  # answer 500 without doing anything
    hang_rate: float = 0.0  # wait hang_seconds, then answer normally
    hang_seconds: float = 30.0
    drop_rate: float = 0.0  # do the work, then cut the connection mid-body
    malformed_rate: float = 0.0  # do the work, then send a body that is not JSON
    # Only requests whose path (below the back end's mount) starts with this are touched.
    path_prefix: str = ""
    # Only these methods are touched; empty means all.
    methods: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> FaultSettings:
        """Settings from a JSON object; unknown keys are a ValueError."""
        known = {f.name for f in fields(cls)}
        unknown = set(body) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        values = dict(body)
        if "methods" in values:
            values["methods"] = tuple(str(m).upper() for m in values["methods"])
        settings = replace(cls(), **values)
        for name in ("error_rate", "hang_rate", "drop_rate", "malformed_rate"):
            rate = getattr(settings, name)
            if not 0.0 <= float(rate) <= 1.0:
                raise ValueError(f"{name} must be within [0, 1]")
        return settings

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["methods"] = list(self.methods)
        return data

    def applies_to(self, method: str, path: str) -> bool:
        if path.startswith(CONTROL_PREFIX):
            return False
        if self.methods and method not in self.methods:
            return False
        return path.startswith(self.path_prefix)


class FaultInjection:
    """ASGI middleware applying the current `FaultSettings` to every request.

    Assign `settings` to change what happens to the next requests.
    """

    def __init__(self, app: ASGIApp, settings: FaultSettings | None = None, seed: int = 7):
        self.app = app
        self.settings = settings or FaultSettings()
        self.random = random.Random(seed)

    def reset(self) -> None:
        self.settings = FaultSettings()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.settings
        path = local_path(scope)
        if not settings.applies_to(scope["method"], path):
            await self.app(scope, receive, send)
            return
        draw = self.random.random
        delay = settings.latency_ms + (draw() * settings.jitter_ms if settings.jitter_ms else 0)
        if delay:
            await asyncio.sleep(delay / 1000)
        if settings.error_rate and draw() < settings.error_rate:
            await _send_json(send, 500, b'{"error":"injected server error"}')
            return
        if settings.hang_rate and draw() < settings.hang_rate:
            await asyncio.sleep(settings.hang_seconds)
        if settings.drop_rate and draw() < settings.drop_rate:
            await self._drop_after_work(scope, receive, send)
            return
        if settings.malformed_rate and draw() < settings.malformed_rate:
            await self._malform(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _drop_after_work(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Let the back end do the work, then lose the response half-way through its body."""
        start, body = await _capture(self.app, scope, receive)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        length = max(len(body), 2)
        headers.append((b"content-length", str(length * 2).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body[: length // 2], "more_body": True})
        # An exception after the response started makes the server abort the connection.
        raise ConnectionAbortedError("sandbox fault: connection dropped mid-body")

    async def _malform(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Let the back end do the work, then answer 200 with a body that is not JSON."""
        await _capture(self.app, scope, receive)
        await _send_json(send, 200, b'{"data": [truncated')


async def _capture(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
    start: Message = {}
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    return start, b"".join(chunks)


async def _send_json(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
