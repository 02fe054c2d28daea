"""POST and GET /graphql, following the GraphQL-over-HTTP specification.

Strawberry's ASGI view does the work; this subclass adds what the specification and our
callers need on top: the `application/graphql-response+json` media type with its status
codes, JSON errors with `extensions.code` where Strawberry answers plain text, orjson
encoding, the request's limits, and the per-request `Context`. Who the caller is was
settled before (gateway/auth.py); what a document may cost is the schema's (gateway/limits.py).
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qsl

import orjson
from cross_web import HTTPException, StarletteRequestAdapter
from cross_web.request import QueryParams
from graphql import GraphQLError, OperationDefinitionNode
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from adapters.upstream import CallContext, current_call
from gateway.auth import Caller
from gateway.context import Context
from gateway.errors import Refusal, mask_unexpected
from gateway.graphiql import graphiql_page
from gateway.limits import parse_limited
from gateway.logs import current_request_id, log_request, request_id_for
from gateway.media import GRAPHQL_RESPONSE, JSON, negotiate, refusal_response
from gateway.persisted import PersistedOperations, names_a_document
from gateway.request_limits import RequestLimits, check_operation
from gateway.state import gateway_state

MUTATION = OperationType.MUTATION


def request_language(accept_language: str | None, default: str) -> str:
    """The first language tag of an Accept-Language header, e.g. "fr-FR"."""
    if not accept_language:
        return default
    tag = accept_language.split(",")[0].split(";")[0].strip()
    return tag if tag and tag != "*" and len(tag) <= 35 else default


class StrictRequestAdapter(StarletteRequestAdapter):
    """Starlette's request, but a query string that is not UTF-8 is refused (400).

    Starlette decodes percent-escapes leniently (U+FFFD for bad bytes), so `%FF` would
    silently become another document; strict decoding runs only when U+FFFD shows up.
    """

    def __init__(self, request: Request) -> None:
        super().__init__(request)
        self.raw_query_string: bytes = request.scope.get("query_string", b"")
        self.app = request.app

    @property
    def query_params(self) -> QueryParams:
        params = super().query_params
        if any("\ufffd" in key or "\ufffd" in (value or "") for key, value in params.items()):
            try:
                parse_qsl(self.raw_query_string.decode("latin-1"), errors="strict")
            except UnicodeDecodeError:
                raise Refusal(400, "the query string is not valid UTF-8") from None
        return params


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI GraphQL view with the gateway's context and HTTP conventions."""

    request_adapter_class = StrictRequestAdapter

    def __init__(
        self,
        schema: Any,
        *,
        limits: RequestLimits,
        persisted: PersistedOperations,
        **options: Any,
    ) -> None:
        super().__init__(schema, **options)
        self.limits = limits
        self.persisted = persisted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive=receive)
        # First, so that every log line of the request carries its id, refusals' too.
        request_id = request_id_for(request.headers.get("x-request-id"))
        request_id_set = current_request_id.set(request_id)
        started = time.perf_counter()
        context = self.create_context(request, request_id)
        try:
            response = await self.run(request, context=context)
        except HTTPException as exc:
            response = self.refusal(request, exc)
        await response(scope, receive, send)
        log_request(
            request_id=request_id,
            operation=context.operation_name,
            status=response.status_code,
            duration_ms=(time.perf_counter() - started) * 1000,
            upstream_calls=dict(context.call.calls),
        )
        # Not in a `finally`: an exception escaping to uvicorn keeps the id for its error line.
        current_request_id.reset(request_id_set)

    def create_context(self, conn: HTTPConnection, request_id: str) -> Context:
        """The request's Context, over the state the lifespan built."""
        state = gateway_state(conn.app)
        settings = state.settings
        call = CallContext(
            accept_language=request_language(
                conn.headers.get("accept-language"), settings.default_language
            ),
            deadline=time.monotonic() + settings.request_timeout,
        )
        # The upstream reads the call off this context variable (adapters know nothing of the
        # Context); set here, in the request's own task, the one per-request copy of it.
        current_call.set(call)
        user = conn.scope.get("user")  # AuthenticationMiddleware's; none for the IDE page
        context = Context(
            settings=settings,
            adapters=state.adapters,
            caller=user if isinstance(user, Caller) else None,
            request_id=request_id,
            call=call,
            verify_failures=state.verify_failures,
            identity=state.identity,
        )
        return context

    async def get_context(self, request: Any, response: Any) -> Context:
        """A websocket's context (an HTTP request's is made by `__call__`)."""
        return self.create_context(request, request_id_for(request.headers.get("x-request-id")))

    async def render_graphql_ide(self, request: Request) -> Response:
        return graphiql_page()

    def refusal(self, request: Request, exc: HTTPException) -> Response:
        """An HTTP refusal as a GraphQL error: ours carry their code, Strawberry's get one."""
        if isinstance(exc, Refusal):
            status, code, headers = exc.status_code, exc.code, exc.headers
        else:
            status = exc.status_code
            code = "BAD_USER_INPUT" if status < 500 else "INTERNAL"
            headers = {"Allow": "GET, POST"} if status == 405 else None
        accept = request.headers.get("accept", "")
        return refusal_response(accept, status, exc.reason, code, headers)

    def decode_json(self, data: str | bytes) -> object:
        # Not json.loads: it raises UnicodeDecodeError (not a JSONDecodeError, so a 500) on
        # bytes that are not UTF-8, and lets a lone surrogate ("\ud800") through into a
        # str that nothing can encode again (the error echoing it was a 500). orjson
        # refuses both with a JSONDecodeError, which Strawberry answers with a 400.
        return orjson.loads(data)

    async def parse_http_body(self, request: Any) -> Any:
        """Strawberry's parsing, then the request's limits (gateway/request_limits.py) and
        its persisted document, if it names one (gateway/persisted.py)."""
        if request.method != "GET":
            content_type, _ = parse_content_type(request.content_type or "")
            if "application/json" not in content_type:
                # Also the CSRF guard: a browser sends JSON cross-origin only after a preflight.
                raise Refusal(415, "Unsupported content type")
        data = await super().parse_http_body(request)
        operations = data if isinstance(data, list) else [data]
        for item in operations:
            self.limits.check(item)
        documents = gateway_state(request.app).fleet.documents
        operations = await self.persisted.resolve(request, operations, documents)
        return operations if isinstance(data, list) else operations[0]

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET naming a persisted document is an operation, whatever it accepts.
        params = request.query_params
        return super().should_render_graphql_ide(request) and not names_a_document(params)

    def _validate_batch_request(self, request_data: list[Any], protocol: Any) -> None:
        super()._validate_batch_request(request_data, protocol)
        # Strawberry checks a single operation's members, not a batch's.
        for operation in request_data:
            check_operation(operation)

    async def execute_single(  # noqa: PLR0917
        self,
        request: Request,
        request_adapter: Any,
        sub_response: Response,
        context: Context,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Strawberry's, with the response's media type and request id, errors masked, and a
        request error (nothing executed) a 400; a mutation over GET is a 405; past a caller's
        rate limit, a 429."""
        await self.count_against_limits(request, context, request_data, sub_response)
        try:
            result = await super().execute_single(
                request, request_adapter, sub_response, context, root_value, request_data
            )
        except HTTPException as refused:
            cause = refused.__cause__
            if isinstance(cause, InvalidOperationTypeError) and cause.operation_type is MUTATION:
                # The method is wrong, not the document (GraphQL over HTTP).
                raise Refusal(405, refused.reason, headers={"Allow": "POST"}) from cause
            raise
        sub_response.media_type = negotiate(request.headers.get("accept", ""))
        sub_response.headers["x-request-id"] = context.request_id
        if result.errors:
            # The one place errors are masked: those raised before an operation runs (parse,
            # token limit) reach no schema extension. Every error leaves with a code.
            result.errors = mask_unexpected(result.errors, context.request_id)
            # A request error (nothing executed) is a 400, whatever the media type: callers
            # and proxies see a refusal as one.
            if result.data is None and not _executed(result.errors):
                sub_response.status_code = 400
        return result

    async def count_against_limits(
        self,
        request: Request,
        context: Context,
        request_data: GraphQLRequestData,
        sub_response: Response,
    ) -> None:
        """Count the operation against the caller's rate limits; refuse it past one."""
        limits = gateway_state(request.app).caller_limits
        if not limits.enabled:
            return
        subject = context.caller.subject if context.caller is not None else ""
        operation = request_data.operation_name or _only_operation_name(
            request_data.query, context.settings.max_tokens
        )
        verdict = await limits.check(subject, operation)
        if not verdict.allowed:
            raise Refusal(
                429,
                f"rate limit reached: try again in {verdict.retry_after} s",
                "RATE_LIMITED",
                headers=verdict.headers,
            )
        sub_response.headers.update(verdict.headers)

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:
        processed = await super().process_result(request, result)
        # graphql-response+json drops `data` from a request error (nothing executed).
        if (
            result.data is None
            and result.errors
            and not _executed(result.errors)
            and negotiate(request.headers.get("accept", "")) == GRAPHQL_RESPONSE
        ):
            processed.pop("data", None)
        return processed

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = Response(
            orjson.dumps(response_data),
            status_code=sub_response.status_code or 200,
            media_type=sub_response.media_type or JSON,
        )
        response.headers.raw.extend(
            (k, v) for k, v in sub_response.headers.raw if k.lower() != b"content-type"
        )
        return response

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)


def _only_operation_name(query: str | None, max_tokens: int) -> str | None:
    """The name of a document's one operation (parsed once: the parse is cached for the
    execution); None for an anonymous one, several, or a document that does not parse."""
    if not query:
        return None
    try:
        document = parse_limited(query, max_tokens)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].name is None:
        return None
    return operations[0].name.value


def _executed(errors: list[GraphQLError]) -> bool:
    """Whether execution started: its errors have a path; request errors do not."""
    return any(error.path is not None for error in errors)
