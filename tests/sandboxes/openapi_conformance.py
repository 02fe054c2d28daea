"""Every exchange with a sandbox checked against the sandbox's own OpenAPI document.

`Conformance(document)` gives an httpx client whose every answer is matched to its operation
(method and path template) and checked: its status is documented, its body validates against
the schema of that status (OpenAPI 3.0's `nullable` and `readOnly` understood, `$ref`s resolved
in the document, formats checked, no field left unlisted), its required headers are there. A request the sandbox
accepted (2xx) must conform too: its JSON body to the operation's request schema, its query
to the declared parameters. The first mismatch fails the call that met it; the operationIds
answered with a 2xx are collected, so a test can compare them with the document's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from openapi_schema_validator import (
    OAS30ReadValidator,
    OAS30WriteValidator,
    oas30_format_checker,
)
from referencing import Registry, Specification

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_URI = "urn:sandbox:openapi"


def _escape(segment: str) -> str:
    """A JSON Pointer reference token (RFC 6901)."""
    return segment.replace("~", "~0").replace("/", "~1")


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    spec: dict[str, Any]
    pattern: re.Pattern[str]

    @property
    def operation_id(self) -> str:
        return str(self.spec.get("operationId"))

    @property
    def pointer(self) -> str:
        return f"/paths/{_escape(self.template)}/{self.method}"


def operations(document: dict[str, Any]) -> list[Operation]:
    """Every operation of the document, with a pattern matching its concrete paths."""
    found = []
    for template, item in document["paths"].items():
        parts = re.split(r"(\{[^}]+\})", template)
        regex = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
        for method, spec in item.items():
            if method in METHODS:
                found.append(Operation(method, template, spec, re.compile(f"^{regex}$")))
    return found


def closed(node: Any) -> Any:
    """A copy of `node` where every object schema listing properties refuses others."""
    if isinstance(node, list):
        return [closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    found = {key: closed(value) for key, value in node.items()}
    if isinstance(node.get("properties"), dict) and "additionalProperties" not in node:
        found["additionalProperties"] = False
    return found


class SchemaChecker:
    """Validates instances against schemas found by JSON pointer in one OpenAPI document.

    Records leave `additionalProperties` unset, so a reader tolerates fields added later; an
    answer is read against a closed copy of the document all the same, so that a field the
    sandbox emits and the document does not list is caught.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        self.registries: dict[bool, Registry[Any]] = {
            writing: Registry().with_resource(
                _URI,
                Specification.OPAQUE.create_resource(document if writing else closed(document)),
            )
            for writing in (False, True)
        }

    def errors(self, pointer: str, instance: Any, *, writing: bool = False) -> list[str]:
        """What is wrong with `instance` under the schema at `pointer` (read or write rules)."""
        kind = OAS30WriteValidator if writing else OAS30ReadValidator
        validator = kind(
            {"$ref": f"{_URI}#{pointer}"},
            registry=self.registries[writing],
            format_checker=oas30_format_checker,
        )
        return [
            f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}"
            for error in validator.iter_errors(instance)
        ]


@dataclass
class Conformance:
    """Checks exchanges against `document`; `exercised` holds the operationIds answered 2xx."""

    document: dict[str, Any]
    exercised: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.operations = operations(self.document)
        self.checker = SchemaChecker(self.document)

    @property
    def operation_ids(self) -> set[str]:
        return {op.operation_id for op in self.operations}

    def operation_of(self, method: str, path: str) -> Operation | None:
        """The operation serving `method path`; of several templates, the most literal."""
        matching = [
            op for op in self.operations if op.method == method.lower() and op.pattern.match(path)
        ]
        return min(matching, key=lambda op: op.template.count("{"), default=None)

    @contextmanager
    def client(self, base_url: str, **options: Any) -> Iterator[httpx.Client]:
        """An httpx client on the sandbox whose every answer is checked."""
        with httpx.Client(
            base_url=base_url, event_hooks={"response": [self.check]}, **options
        ) as http:
            yield http

    def check(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        operation = self.operation_of(request.method, request.url.path)
        if operation is None:
            return  # not an operation of the document (a control route, an unknown path)
        where = f"{request.method} {request.url.path} -> {response.status_code}"
        problems = self.response_problems(operation, response)
        if 200 <= response.status_code < 300:
            problems += self.request_problems(operation, request)
        assert not problems, f"{operation.operation_id}, {where}:\n  " + "\n  ".join(problems)
        if 200 <= response.status_code < 300:
            self.exercised.add(operation.operation_id)

    def response_problems(self, operation: Operation, response: httpx.Response) -> list[str]:
        responses = operation.spec["responses"]
        status = str(response.status_code)
        if status not in responses and "default" not in responses:
            return [f"status {status} is not documented"]
        key = status if status in responses else "default"
        answer = responses[key]
        problems = []
        for name, header in answer.get("headers", {}).items():
            if header.get("required") and name not in response.headers:
                problems.append(f"header {name} is missing")
            elif name in response.headers:
                pointer = f"{operation.pointer}/responses/{key}/headers/{_escape(name)}/schema"
                problems += self.checker.errors(pointer, response.headers[name])
        content = answer.get("content")
        if not content:
            if response.content:
                problems.append("a body where the document has none")
            return problems
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media not in content:
            return [*problems, f"content type {media!r} is not documented"]
        pointer = f"{operation.pointer}/responses/{key}/content/{_escape(media)}/schema"
        return problems + self.checker.errors(pointer, response.json())

    def request_problems(self, operation: Operation, request: httpx.Request) -> list[str]:
        problems = []
        declared = {
            p["name"]: p for p in operation.spec.get("parameters", []) if p["in"] == "query"
        }
        sent = set(request.url.params.keys())
        problems += [f"query parameter {name} is not declared" for name in sent - set(declared)]
        problems += [
            f"required query parameter {name} is missing"
            for name, p in declared.items()
            if p.get("required") and name not in sent
        ]
        body = operation.spec.get("requestBody")
        if body is None:
            if request.content:
                problems.append("a request body where the document has none")
            return problems
        if not request.content:
            return [*problems, "no request body"] if body.get("required") else problems
        media = request.headers.get("content-type", "").split(";")[0].strip()
        if media not in body["content"]:
            return [*problems, f"request content type {media!r} is not documented"]
        pointer = f"{operation.pointer}/requestBody/content/{_escape(media)}/schema"
        instance = json.loads(request.content)
        return problems + [
            f"request {problem}" for problem in self.checker.errors(pointer, instance, writing=True)
        ]
