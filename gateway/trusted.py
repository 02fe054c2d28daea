"""Trusted documents (GATEWAY_TRUSTED_DOCUMENTS): the manifest of the only operations a
production gateway runs, read once at start.

Two formats, told apart by their shape (docs/persisted-operations.md):
- Apollo's persisted query manifest: `{"format": "apollo-persisted-query-manifest",
  "version": 1, "operations": [{"id", "body", "name", "type"}]}`;
- GraphQL Code Generator's client preset (and The Guild's tools): `{"<id>": "<document>"}`.

An id is opaque: usually the SHA-256 of the document, which may also be written
`sha256:<hex>` (the GraphQL-over-HTTP persisted documents appendix); both spellings find it.
A document sent whole is in the list when it prints as one of the listed documents once
comments, whitespace and the order of its definitions are set aside (as Apollo Router
compares them), so a client need not send the manifest's exact bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import orjson
from graphql import (
    DefinitionNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    parse,
    print_ast,
)

__all__ = [
    "APOLLO_FORMAT",
    "ManifestError",
    "TrustedDocuments",
    "document_key",
    "is_introspection",
    "normalized",
    "read_manifest",
    "sha256_key",
    "text_digest",
]

APOLLO_FORMAT: Final = "apollo-persisted-query-manifest"
# A document identifier of the GraphQL-over-HTTP appendix: unreserved characters, and ':'
# after a prefix. Bounded, so an id in a log line or a Redis key stays short.
_DOCUMENT_ID: Final = re.compile(r"[A-Za-z0-9._~-]+(?::[A-Za-z0-9._~:-]+)?")
_MAX_ID_LENGTH: Final = 256
_SHA256: Final = re.compile(r"(?:sha256:)?([0-9a-fA-F]{64})")


class ManifestError(ValueError):
    """The manifest cannot be used; config.py names GATEWAY_TRUSTED_DOCUMENTS with it."""


def document_key(document_id: str) -> str | None:
    """The key an id is listed and stored under: a SHA-256 as 64 lower-case hex digits,
    whether written bare or `sha256:`-prefixed; any other well-formed id as it is. None for
    a string that is not a document identifier."""
    if len(document_id) > _MAX_ID_LENGTH or not _DOCUMENT_ID.fullmatch(document_id):
        return None
    digest = _SHA256.fullmatch(document_id)
    return digest.group(1).lower() if digest else document_id


def sha256_key(document_id: str) -> str | None:
    """The 64 lower-case hex digits of a SHA-256 id (bare or prefixed), else None."""
    digest = _SHA256.fullmatch(document_id)
    return digest.group(1).lower() if digest else None


def text_digest(document: str) -> str:
    """SHA-256 of a document's UTF-8 text, in hex: APQ's hash and the appendix's payload."""
    return hashlib.sha256(document.encode()).hexdigest()


def normalized(document: DocumentNode) -> str:
    """The document printed canonically: comments and spacing dropped, operations then
    fragments, each sorted by name. Two documents that differ only so run alike."""
    operations: list[DefinitionNode] = []
    fragments: list[DefinitionNode] = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            operations.append(definition)
        elif isinstance(definition, FragmentDefinitionNode):
            fragments.append(definition)
    operations.sort(key=_name)
    fragments.sort(key=_name)
    return print_ast(DocumentNode(definitions=(*operations, *fragments)))


def _name(definition: DefinitionNode) -> str:
    name = getattr(definition, "name", None)
    return name.value if name is not None else ""


def is_introspection(document: DocumentNode) -> bool:
    """Whether every operation asks only for `__schema`, `__type` or `__typename` at its top
    (what GraphiQL sends to learn the schema)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return bool(operations) and all(
        isinstance(selection, FieldNode) and selection.name.value.startswith("__")
        for operation in operations
        for selection in operation.selection_set.selections
    )


@dataclass(frozen=True, slots=True)
class TrustedDocuments:
    """The listed documents by key, and the forms a document sent whole is matched in."""

    by_key: Mapping[str, str]
    # SHA-256 of each listed text: a document sent exactly as listed needs no parsing.
    texts: frozenset[str]
    # Each listed document, `normalized`.
    documents: frozenset[str]

    def __len__(self) -> int:
        return len(self.by_key)

    def document(self, key: str) -> str | None:
        """The listed document of a key (`document_key`), or None."""
        return self.by_key.get(key)

    def lists_text(self, query: str) -> bool:
        return text_digest(query) in self.texts

    def lists_document(self, document: DocumentNode) -> bool:
        return normalized(document) in self.documents


def read_manifest(path: str) -> TrustedDocuments:
    """The trusted documents of a manifest file in either format; a ManifestError says what
    is wrong (naming an operation by its id, never quoting a document)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ManifestError(
            f"cannot read {path}: {error.strerror or type(error).__name__}"
        ) from None
    try:
        manifest = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise ManifestError(f"{path} is not JSON") from None
    entries = _entries(path, manifest)
    if not entries:
        raise ManifestError(f"{path} lists no operation")
    by_key: dict[str, str] = {}
    documents: set[str] = set()
    for document_id, body in entries:
        key = document_key(document_id)
        if key is None:
            raise ManifestError(f"{path}: {document_id[:80]!r} is not a document id")
        if by_key.get(key, body) != body:
            raise ManifestError(f"{path}: id {document_id} is listed twice, for two documents")
        by_key[key] = body
        documents.add(normalized(_parsed(path, document_id, body)))
    return TrustedDocuments(
        by_key, frozenset(text_digest(body) for body in by_key.values()), frozenset(documents)
    )


def _entries(path: str, manifest: object) -> list[tuple[str, str]]:
    """(id, document) pairs of either format."""
    if isinstance(manifest, dict) and "format" in manifest:
        if manifest["format"] != APOLLO_FORMAT or manifest.get("version") != 1:
            raise ManifestError(f"{path}: not an {APOLLO_FORMAT} of version 1")
        operations = manifest.get("operations")
        if not isinstance(operations, list):
            raise ManifestError(f"{path}: 'operations' is not a list")
        entries = []
        for position, operation in enumerate(operations, start=1):
            if not (
                isinstance(operation, dict)
                and isinstance(operation.get("id"), str)
                and isinstance(operation.get("body"), str)
            ):
                raise ManifestError(f"{path}: operation {position} has no string id and body")
            entries.append((operation["id"], operation["body"]))
        return entries
    if isinstance(manifest, dict) and all(isinstance(v, str) for v in manifest.values()):
        return list(manifest.items())
    raise ManifestError(
        f"{path} is neither an {APOLLO_FORMAT} nor an object of ids to documents "
        "(GraphQL Code Generator's persisted documents)"
    )


def _parsed(path: str, document_id: str, body: str) -> DocumentNode:
    try:
        document = parse(body)
    except (GraphQLError, RecursionError):
        raise ManifestError(f"{path}: the document of id {document_id} does not parse") from None
    if not any(isinstance(d, OperationDefinitionNode) for d in document.definitions):
        raise ManifestError(f"{path}: the document of id {document_id} has no operation")
    return document
