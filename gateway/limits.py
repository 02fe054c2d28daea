"""What a document may cost: tokens, depth, aliases, and the upstream calls of an operation.

(What a request may hold before GraphQL reads it, its sizes and nesting, is
`gateway.request_limits`.)

A document is analysed once (`gateway.shape`; `DocumentLimits.shape` keeps the 256 latest,
keyed by the parsed document, which the parser cache shares between requests of the same
text). Validation refuses a document too deep or with too many aliases; just before
execution, once the variables are known, the operation's upstream calls are counted and one
over budget is refused with QUERY_TOO_COMPLEX and the estimate in `extensions`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from functools import lru_cache

from graphql import (
    SKIP,
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSyntaxError,
    Lexer,
    Source,
    TokenKind,
    ValidationRule,
    parse,
)
from strawberry.extensions import SchemaExtension

from gateway.config import Settings
from gateway.errors import graphql_error
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
        return graphql_error(
            f"the query would cost about {cost} upstream calls; the limit is {self.max_cost}",
            "QUERY_TOO_COMPLEX",
            nodes=operation.node,
            cost=cost,
            limit=self.max_cost,
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
                            graphql_error(
                                f"'{name}' exceeds maximum operation depth of {limits.max_depth}",
                                "QUERY_TOO_COMPLEX",
                                nodes=operation.node,
                            )
                        )
                aliases = sum(operation.aliases for operation in operations)
                if aliases > limits.max_aliases:
                    self.report_error(
                        graphql_error(
                            f"{aliases} aliases found. Allowed: {limits.max_aliases}",
                            "QUERY_TOO_COMPLEX",
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


class TokenLimitedParser(SchemaExtension):
    """Parses a document of at most `max_tokens` tokens, the 256 latest cached.

    Strawberry's MaxTokensLimiter and ParserCache in one, so that a document over the limit is
    refused here with QUERY_TOO_COMPLEX: graphql-core says so only as a syntax error.
    """

    def __init__(self, max_tokens: int) -> None:
        self.max_tokens = max_tokens

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None:  # else Strawberry refuses a missing query itself
            context.graphql_document = parse_limited(context.query, self.max_tokens)
        yield


@lru_cache(maxsize=256)
def parse_limited(query: str, max_tokens: int) -> DocumentNode:
    """The document of `query`; over `max_tokens` tokens, a QUERY_TOO_COMPLEX error."""
    try:
        return parse(query, max_tokens=max_tokens)
    except GraphQLSyntaxError as error:
        over_at = _limit_crossed_at(query, max_tokens)
        if over_at is None or not error.positions or min(error.positions) < over_at:
            raise  # a syntax error before the limit: the caller's input
        raise graphql_error(
            error.message,
            "QUERY_TOO_COMPLEX",
            source=error.source,
            positions=error.positions,
        ) from None


def _limit_crossed_at(query: str, limit: int) -> int | None:
    """Where `query` passes `limit` tokens, comments included, as graphql-core counts them
    for `max_tokens`; None if it does not. Read only once parsing failed, never past there."""
    lexer = Lexer(Source(query))
    previous = lexer.token
    counted = 0
    try:
        while previous.kind is not TokenKind.EOF:
            token = lexer.advance()
            skipped = previous.next  # the comments the lexer stepped over, then the token
            while skipped is not None and skipped.kind is not TokenKind.EOF:
                counted += 1
                if counted > limit:
                    return skipped.start
                if skipped is token:
                    break
                skipped = skipped.next
            previous = token
    except GraphQLSyntaxError:
        return None
    return None
