"""POST and GET /graphql, following the GraphQL-over-HTTP specification.

Strawberry's ASGI view does the work; this subclass adds what the specification and our
callers need on top: the `application/graphql-response+json` media type with its status
codes, JSON errors with `extensions.code` where Strawberry answers plain text, orjson
encoding, and the per-request `Context`.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl

import orjson
from cross_web import HTTPException, StarletteRequestAdapter
from cross_web.request import QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.types import ExecutionResult

from adapters.upstream import CallContext, current_call
from gateway.auth import AuthenticationFailed, TokenVerifier
from gateway.config import Settings
from gateway.context import Context, Loaders
from gateway.errors import mask_unexpected
from gateway.logs import current_request_id, log_request
from gateway.people import People

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def negotiate(accept: str) -> str:
    """The response media type for an Accept header: graphql-response+json when preferred."""
    best, best_q = JSON, -1.0
    for position, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media in (GRAPHQL_RESPONSE, JSON, "application/*", "*/*") and q > best_q:
            chosen = GRAPHQL_RESPONSE if media == GRAPHQL_RESPONSE else JSON
            best, best_q = chosen, q - position * 1e-6
    return best


def request_language(accept_language: str | None, default: str) -> str:
    """The first language tag of an Accept-Language header, e.g. "fr-FR"."""
    if not accept_language:
        return default
    tag = accept_language.split(",")[0].split(";")[0].strip()
    return tag if tag and tag != "*" and len(tag) <= 35 else default


# A caller's X-Request-Id is echoed and logged only when it looks like an id: no log injection.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def caller_request_id(request: Request) -> str | None:
    """The caller's X-Request-Id when it is a plausible id, else None (a new one is made)."""
    value = request.headers.get("x-request-id")
    return value if value is not None and _REQUEST_ID.fullmatch(value) else None


def error_body(message: str, code: str, **extensions: object) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


class StrictRequestAdapter(StarletteRequestAdapter):
    """Starlette's request, but a query string that is not UTF-8 is refused (400).

    Starlette decodes percent-escapes leniently (U+FFFD for bad bytes), so `%FF` would
    silently become another document; strict decoding runs only when U+FFFD shows up.
    """

    def __init__(self, request: Request) -> None:
        super().__init__(request)
        self.raw_query_string: bytes = request.scope.get("query_string", b"")

    @property
    def query_params(self) -> QueryParams:
        params = super().query_params
        if any("\ufffd" in key or "\ufffd" in (value or "") for key, value in params.items()):
            try:
                parse_qsl(self.raw_query_string.decode("latin-1"), errors="strict")
            except UnicodeDecodeError:
                raise HTTPException(400, "the query string is not valid UTF-8") from None
        return params


class GraphQLView(GraphQL):  # type: ignore[type-arg]
    """Strawberry's ASGI GraphQL view with the gateway's context and HTTP conventions."""

    request_adapter_class = StrictRequestAdapter

    def __init__(
        self,
        schema: Any,
        *,
        verifier: TokenVerifier,
        settings: Settings,
        development_token: str | None = None,
        **options: Any,
    ) -> None:
        super().__init__(schema, **options)
        self.verifier = verifier
        self.development_token = development_token
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive=receive)
        # First, so that every log line of the request carries its id, refusals' too.
        request.state.request_id = caller_request_id(request) or uuid.uuid4().hex
        request_id_set = current_request_id.set(request.state.request_id)
        started = time.perf_counter()
        try:
            if not self._is_ide_page(request):
                request.state.caller = self.verifier.verify(request.headers.get("authorization"))
            response = await self.run(request)
        except AuthenticationFailed as exc:
            response = JSONResponse(
                error_body(str(exc), "UNAUTHENTICATED"),
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
                media_type=negotiate(request.headers.get("accept", "")),
            )
        except HTTPException as exc:
            response = self.refusal(request, exc.status_code, exc.reason)
        await response(scope, receive, send)
        context: Context | None = getattr(request.state, "gateway", None)
        log_request(
            request_id=request.state.request_id,
            operation=context.operation_name if context else None,
            status=response.status_code,
            duration_ms=(time.perf_counter() - started) * 1000,
            upstream_calls=dict(context.call.calls) if context else {},
        )
        # Not in a `finally`: an exception escaping to uvicorn keeps the id for its error line.
        current_request_id.reset(request_id_set)

    def _is_ide_page(self, request: Request) -> bool:
        """A browser asking for GraphiQL: the page loads without a token; its queries don't."""
        return (
            request.method == "GET"
            and "text/html" in request.headers.get("accept", "")
            and "query" not in request.query_params
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        html = self.graphql_ide_html
        if self.development_token:
            # Development only: GraphiQL opens with the printed token already set.
            header = orjson.dumps({"Authorization": f"Bearer {self.development_token}"}).decode()
            html = html.replace("const defaultHeaders = {};", f"const defaultHeaders = {header};")
            html = html.replace(
                "React.useState(parameters.headers)",
                f"React.useState(parameters.headers || {orjson.dumps(header).decode()})",
            )
        return HTMLResponse(html)

    def refusal(self, request: Request, status: int, reason: str) -> Response:
        """Strawberry's plain-text refusals, as GraphQL errors with a code."""
        headers = {"Allow": "GET, POST"} if status == 405 else None
        if reason == "Unsupported content type":
            # Also the CSRF guard: a browser sends JSON cross-origin only after a preflight.
            status = 415
        if request.method == "GET" and "mutation" in reason.lower():
            # A mutation over GET: the method is wrong, not the document (GraphQL over HTTP).
            status, headers = 405, {"Allow": "POST"}
        code = "BAD_USER_INPUT" if status < 500 else "INTERNAL"
        media = negotiate(request.headers.get("accept", ""))
        return JSONResponse(
            error_body(reason, code), status_code=status, headers=headers, media_type=media
        )

    def decode_json(self, data: str | bytes) -> object:
        # Not json.loads: it raises UnicodeDecodeError (not a JSONDecodeError, so a 500) on
        # bytes that are not UTF-8, and lets a lone surrogate ("\ud800") through into a
        # str that nothing can encode again (the error echoing it was a 500). orjson
        # refuses both with a JSONDecodeError, which Strawberry answers with a 400.
        return orjson.loads(data)

    async def parse_http_body(self, request: Any) -> Any:
        """Strawberry's parsing, then the document and variables size limits (413) and NUL."""
        data = await super().parse_http_body(request)
        settings = self.settings
        for item in data if isinstance(data, list) else [data]:
            if item.query is not None and len(item.query.encode()) > settings.max_query_bytes:
                raise HTTPException(
                    413, f"the query document is over {settings.max_query_bytes} bytes"
                )
            if item.query is not None and _nested_deeper_than(item.query, settings.max_depth * 3):
                # Before the parser: graphql-core parses recursively, so a deep enough
                # document would exhaust Python's stack before any depth rule could run.
                raise HTTPException(400, "the query document is nested too deeply")
            variables = orjson.dumps(item.variables) if item.variables else b""
            if len(variables) > settings.max_variables_bytes:
                raise HTTPException(
                    413, f"the variables are over {settings.max_variables_bytes} bytes"
                )
            if _holds_nul(item.query, item.operation_name, variables, item.extensions):
                raise HTTPException(400, "the request holds a NUL character")
        return data

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        state = request.app.state
        settings = self.settings
        # Chosen first thing in __call__; a websocket's is chosen here.
        request_id = (
            getattr(request.state, "request_id", None)
            or caller_request_id(request)
            or uuid.uuid4().hex
        )
        call = CallContext(
            accept_language=request_language(
                request.headers.get("accept-language"), settings.default_language
            ),
            deadline=time.monotonic() + settings.request_timeout,
        )
        current_call.set(call)
        response.media_type = negotiate(request.headers.get("accept", ""))
        response.headers["x-request-id"] = request_id
        context = Context(
            request=request,
            request_id=request_id,
            settings=settings,
            adapters=state.adapters,
            call=call,
            loaders=Loaders.create(state.adapters),
            # None for the GraphiQL page, which Strawberry renders after building the context.
            caller=getattr(request.state, "caller", None),
        )
        if (identity := getattr(state, "identity", None)) is not None:
            context.people = People.for_request(identity, context)
        request.state.gateway = context
        request.state.sub_response = response
        return context

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:  # type: ignore[override]
        context: Context | None = getattr(request.state, "gateway", None)
        if result.errors:
            # The one place errors are masked: those raised before an operation runs (parse,
            # token limit) reach no schema extension. Every error leaves with a code.
            result.errors = mask_unexpected(result.errors, context.request_id if context else "-")
        processed = await super().process_result(request, result)
        sub_response: Response = request.state.sub_response
        # A request error (nothing executed) is a 400, whatever the media type: callers and
        # proxies see a refusal as one. graphql-response+json also drops `data`.
        if result.data is None and result.errors and not _executed(result):
            sub_response.status_code = 400
            if sub_response.media_type == GRAPHQL_RESPONSE:
                processed.pop("data", None)
        return processed

    def create_response(self, response_data: Any, sub_response: Response) -> Response:  # type: ignore[override]
        response = Response(
            orjson.dumps(response_data),
            status_code=sub_response.status_code or 200,
            media_type=sub_response.media_type or JSON,
        )
        response.headers.raw.extend(
            (k, v) for k, v in sub_response.headers.raw if k.lower() != b"content-type"
        )
        return response

    def encode_json(self, data: object) -> bytes:  # type: ignore[override]
        return orjson.dumps(data)


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


def _executed(result: ExecutionResult) -> bool:
    """Whether execution started: its errors have a path; request errors do not."""
    return any(error.path is not None for error in result.errors or ())
