"""What a request may cost: body size, and the estimated upstream calls of a document.

The cost of a document is estimated before execution, from its selections and `first`:
what the gateway would ask the back ends for in the worst case. A document over budget is
refused with QUERY_TOO_COMPLEX and the estimate in `extensions`.
"""

from __future__ import annotations

import orjson
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationRule,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Customer fields a search result may lack: selecting any costs a profile call per record.
PROFILE_FIELDS = frozenset(
    {
        "membershipNumber",
        "middleName",
        "birthCity",
        "gender",
        "addresses",
        "locale",
        "loyalty",
        "consents",
    }
)
# Fields that each cost one call per customer.
PER_CUSTOMER_CALLS = frozenset({"travelers", "travelDocuments"})
SEARCHING_BACKENDS = 2  # Club Med and CareCloud


def create_cost_rule(max_cost: int, max_page_size: int) -> type[ValidationRule]:
    """A validation rule refusing documents whose estimated upstream calls pass `max_cost`."""

    class UpstreamCostRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            fragments = {
                f.name.value: f.selection_set
                for f in self.context.document.definitions
                if isinstance(f, FragmentDefinitionNode)
            }
            cost = _operation_cost(node, fragments, max_page_size)
            if cost > max_cost:
                self.report_error(
                    GraphQLError(
                        f"the query would cost about {cost} upstream calls; "
                        f"the limit is {max_cost}",
                        node,
                        extensions={"code": "QUERY_TOO_COMPLEX", "cost": cost, "limit": max_cost},
                    )
                )

    return UpstreamCostRule


def _operation_cost(
    node: OperationDefinitionNode, fragments: dict[str, SelectionSetNode], max_page: int
) -> int:
    per_root = 2 if node.operation is OperationType.MUTATION else 1
    total = 0
    for field in _fields(node.selection_set, fragments):
        name = field.name.value
        if name.startswith("__"):
            continue
        if name == "customers":
            records = _int_argument(field, "first", 20, max_page)
            total += SEARCHING_BACKENDS + records * _customer_cost(field, fragments)
        elif name == "nodes":
            records = _list_argument_length(field, "ids", max_page)
            total += records * (1 + _customer_cost(field, fragments))
        else:
            total += per_root + _customer_cost(field, fragments)
    return total


def _customer_cost(field: FieldNode, fragments: dict[str, SelectionSetNode]) -> int:
    """Calls per customer that the selection under `field` causes (worst case)."""
    names = {f.name.value for f in _all_fields(field.selection_set, fragments)}
    return int(bool(names & PROFILE_FIELDS)) + len(names & PER_CUSTOMER_CALLS)


def _fields(
    selection_set: SelectionSetNode | None, fragments: dict[str, SelectionSetNode], depth: int = 0
) -> list[FieldNode]:
    """The fields of one level, through fragments (bounded: cycles are a validation error)."""
    if selection_set is None or depth > 20:
        return []
    found: list[FieldNode] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            found.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            found += _fields(selection.selection_set, fragments, depth + 1)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            found += _fields(fragments[selection.name.value], fragments, depth + 1)
    return found


def _all_fields(
    selection_set: SelectionSetNode | None, fragments: dict[str, SelectionSetNode], depth: int = 0
) -> list[FieldNode]:
    """Every field below, at any depth."""
    found: list[FieldNode] = []
    for field in _fields(selection_set, fragments, depth):
        found.append(field)
        if depth < 20:
            found += _all_fields(field.selection_set, fragments, depth + 1)
    return found


def _int_argument(field: FieldNode, name: str, default: int, worst: int) -> int:
    for argument in field.arguments or ():
        if argument.name.value == name:
            value = argument.value
            return max(0, int(value.value)) if isinstance(value, IntValueNode) else worst
    return default


def _list_argument_length(field: FieldNode, name: str, worst: int) -> int:
    for argument in field.arguments or ():
        if argument.name.value == name:
            value = argument.value
            return len(value.values) if isinstance(value, ListValueNode) else worst
    return 1


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
