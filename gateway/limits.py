"""What a request may cost: body size, depth, aliases, and the upstream calls of an operation.

A document is analysed once (`gateway.shape`; `DocumentLimits.shape` keeps the 256 latest,
keyed by the parsed document, which the parser cache shares between requests of the same
text). Validation refuses a document too deep or with too many aliases; just before
execution, once the variables are known, the operation's upstream calls are counted and one
over budget is refused with QUERY_TOO_COMPLEX and the estimate in `extensions`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping

import orjson
from graphql import (
    SKIP,
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    ValidationRule,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from gateway.config import Settings
from gateway.shape import CallsPerCustomer, DocumentShape, analyse


class DocumentLimits:
    """The depth, alias and cost limits of one schema, and the shapes of recent documents."""

    def __init__(self, settings: Settings, costs: CallsPerCustomer, cache_size: int = 256) -> None:
        self.costs = costs
        self.max_depth = settings.max_depth
        self.max_aliases = settings.max_aliases
        self.max_cost = settings.max_cost
        self.max_page = settings.max_page_size
        self.cache_size = cache_size
        # Keyed by id(): a DocumentNode hashes its whole tree. The entry holds the document,
        # so its id cannot be reused by another while the entry stays.
        self._shapes: OrderedDict[int, tuple[DocumentNode, DocumentShape]] = OrderedDict()
        self.validation_rule: type[ASTValidationRule] = self._validation_rule()

    def shape(self, document: DocumentNode) -> DocumentShape:
        entry = self._shapes.get(id(document))
        if entry is not None and entry[0] is document:
            self._shapes.move_to_end(id(document))
            return entry[1]
        shape = analyse(document, self.max_page, self.costs)
        self._shapes[id(document)] = (document, shape)
        if len(self._shapes) > self.cache_size:
            self._shapes.popitem(last=False)
        return shape

    def refusal(
        self, document: DocumentNode, operation_name: str | None, variables: object
    ) -> GraphQLError | None:
        """QUERY_TOO_COMPLEX when the operation run would pass `max_cost` upstream calls."""
        operation = self.shape(document).operation(operation_name)
        if operation is None:
            return None
        cost = operation.calls(variables if isinstance(variables, Mapping) else None, self.max_page)
        if cost <= self.max_cost:
            return None
        return GraphQLError(
            f"the query would cost about {cost} upstream calls; the limit is {self.max_cost}",
            operation.node,
            extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost, "limit": self.max_cost},
        )

    def _validation_rule(self) -> type[ValidationRule]:
        """Depth and aliases, as Strawberry's limiters count them, but in linear time.

        Made once per schema: ValidationCache keys its LRU on the rule classes.
        """
        limits = self

        class DepthAndAliasesLimit(ValidationRule):
            def enter_document(self, node: DocumentNode, *_: object) -> object:
                operations = limits.shape(node).operations
                for operation in operations:
                    if operation.depth > limits.max_depth:
                        name = operation.node.name.value if operation.node.name else "anonymous"
                        self.report_error(
                            GraphQLError(
                                f"'{name}' exceeds maximum operation depth of {limits.max_depth}",
                                operation.node,
                                extensions={"code": "QUERY_TOO_COMPLEX"},
                            )
                        )
                aliases = sum(operation.aliases for operation in operations)
                if aliases > limits.max_aliases:
                    self.report_error(
                        GraphQLError(
                            f"{aliases} aliases found. Allowed: {limits.max_aliases}",
                            extensions={"code": "QUERY_TOO_COMPLEX"},
                        )
                    )
                return SKIP

        return DepthAndAliasesLimit


class UpstreamCostLimit(SchemaExtension):
    """Refuses an operation over the upstream budget, with its variables, before it runs."""

    def __init__(self, limits: DocumentLimits) -> None:
        self.limits = limits

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            error = self.limits.refusal(document, context.operation_name, context.variables)
            if error is not None:
                # A result set here is what Strawberry returns instead of executing.
                context.result = ExecutionResult(data=None, errors=[error])
        yield


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
        body = orjson.dumps(
            {"errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT"}}]}
        )
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
