"""What a request may hold before GraphQL reads it: its body's size, the document's and the
variables' sizes, the document's nesting, and no NUL character anywhere.

Each refusal is a `Refusal` with its status and code, raised where the limit is checked.
"""

from __future__ import annotations

import re

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.http import GraphQLRequestData

from gateway.config import Settings
from gateway.errors import Refusal, error_body


class RequestLimits:
    """The sizes and nesting a GraphQL request may have, checked once Strawberry parsed it."""

    def __init__(self, settings: Settings) -> None:
        self.max_query_bytes = settings.max_query_bytes
        self.max_variables_bytes = settings.max_variables_bytes
        # Deeper than any document the depth limit lets through, with arguments and lists.
        self.max_nesting = settings.max_depth * 3

    def check(self, item: GraphQLRequestData) -> None:
        """Refuses a document or variables over their size (413), too nested, or with NUL."""
        query = item.query
        if query is not None and len(query.encode()) > self.max_query_bytes:
            raise Refusal(413, f"the query document is over {self.max_query_bytes} bytes")
        if query is not None and _nested_deeper_than(query, self.max_nesting):
            # Before the parser: graphql-core parses recursively, so a deep enough
            # document would exhaust Python's stack before any depth rule could run.
            raise Refusal(400, "the query document is nested too deeply")
        variables = orjson.dumps(item.variables) if item.variables else b""
        if len(variables) > self.max_variables_bytes:
            raise Refusal(413, f"the variables are over {self.max_variables_bytes} bytes")
        if _holds_nul(query, item.operation_name, variables, item.extensions):
            raise Refusal(400, "the request holds a NUL character")


def check_operation(operation: object) -> None:
    """One operation of a batch is an object whose members have their types (Strawberry
    checks a single operation's, not a batch's: `[1]` was a 500)."""
    if not isinstance(operation, dict):
        raise Refusal(400, "each operation of a batch must be an object")
    for member, kind in _MEMBERS.items():
        value = operation.get(member)
        if value is not None and not isinstance(value, kind):
            raise Refusal(400, f"an operation's `{member}` must be {_KINDS[kind]} or null")


_MEMBERS: dict[str, type] = {
    "query": str,
    "operationName": str,
    "variables": dict,
    "extensions": dict,
    "documentId": str,
}
_KINDS: dict[type, str] = {str: "a string", dict: "an object"}


def _nested_deeper_than(document: str, limit: int) -> bool:
    """Whether braces, brackets and parentheses nest deeper than `limit`.

    A document cannot nest deeper than it has openings, counted in C: most never need the scan.
    """
    opened = document.count("{") + document.count("[") + document.count("(")
    return opened > limit and _nesting(document) > limit


def _nesting(document: str) -> int:
    """The deepest nesting of braces, brackets and parentheses (strings ignored roughly)."""
    depth = deepest = 0
    for char in document:
        if char in "{[(":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "}])":
            depth -= 1
    return deepest


# A GraphQL escape of U+0000 in a string literal (`\u0000`, `\u{0}`), not itself escaped.
_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u(?:0000|\{0+\})")


def _holds_nul(
    query: str | None, operation_name: object, variables: bytes, extensions: object
) -> bool:
    """Whether U+0000 is anywhere in a request: no back end takes it, some choke on it.

    `variables` is their JSON, where orjson writes U+0000 as `\\u0000`: one bytes search
    for the common case, a walk only to tell it from an escaped backslash.
    """
    if query is not None and ("\x00" in query or ("\\u" in query and _NUL_ESCAPE.search(query))):
        return True
    if isinstance(operation_name, str) and "\x00" in operation_name:
        return True
    if b"\\u0000" in variables and _nul_in(orjson.loads(variables)):
        return True
    return extensions is not None and _nul_in(extensions)


def _nul_in(value: object) -> bool:
    """Whether U+0000 is in a decoded JSON value, its keys included."""
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


class BodySizeLimit:
    """ASGI middleware: a request body over `max_bytes` is refused with 413, as JSON."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", ()):
            if key == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._send_413(send)
                return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._send_413(send)

    async def _send_413(self, send: Send) -> None:
        message = f"the request body is over {self.max_bytes} bytes"
        body = orjson.dumps(error_body(message, "BAD_USER_INPUT"))
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
