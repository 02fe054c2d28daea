"""Persisted operations: a request names its document by a hash or an id instead of sending
it (docs/persisted-operations.md).

- Automatic persisted queries, Apollo's protocol: `extensions.persistedQuery = {version: 1,
  sha256Hash}` without `query` runs the document stored under that hash, or answers
  `PersistedQueryNotFound`, on which Apollo Client and urql send the document with its hash:
  the gateway checks the hash, and stores a document that parses and validates. The store
  is a `DocumentStore`: this process's (`InProcessDocuments`) or the fleet's Redis
  (gateway/fleet/documents.py). GATEWAY_APQ=off answers `PersistedQueryNotSupported`.
- Trusted documents (GATEWAY_TRUSTED_DOCUMENTS, gateway/trusted.py): only the manifest's
  operations run, by id (`documentId`, or the APQ hash) or sent whole; nothing is stored.

`PersistedOperations.resolve` runs in the view's `parse_http_body`, before any document is
parsed: it turns each request into one with its document, or refuses it with a `Refusal`
whose code clients know (Apollo's and Apollo Router's codes). The request's limits
(gateway/request_limits.py) apply to a stored or listed document as to one sent.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Final, Protocol

import orjson
from graphql import DocumentNode, GraphQLError, GraphQLSchema, validate
from strawberry.http import GraphQLRequestData

from gateway.errors import Refusal
from gateway.limits import parse_limited
from gateway.media import GRAPHQL_RESPONSE, negotiate
from gateway.request_limits import RequestLimits
from gateway.trusted import (
    TrustedDocuments,
    document_key,
    is_introspection,
    sha256_key,
    text_digest,
)

__all__ = [
    "DocumentStore",
    "InProcessDocuments",
    "PersistedOperations",
    "document_ids",
    "names_a_document",
]

# What a client must not cache: the answer changes once the document is sent (Apollo's).
NO_CACHE: Final = {"cache-control": "private, no-cache, must-revalidate"}


class DocumentStore(Protocol):
    """Documents by the SHA-256 of their text (64 lower-case hex digits)."""

    async def get(self, digest: str) -> str | None: ...

    async def put(self, digest: str, document: str) -> None: ...


class InProcessDocuments:
    """The documents this process was sent, the least recently used dropped first past
    `max_documents` or `max_bytes` of text."""

    def __init__(self, max_documents: int = 10_000, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_documents = max_documents
        self.max_bytes = max_bytes
        self._documents: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._documents)

    async def get(self, digest: str) -> str | None:
        document = self._documents.get(digest)
        if document is not None:
            self._documents.move_to_end(digest)
        return document

    async def put(self, digest: str, document: str) -> None:
        if digest in self._documents:
            self._documents.move_to_end(digest)
            return
        self._documents[digest] = document
        self._bytes += len(document)
        while len(self._documents) > self.max_documents or self._bytes > self.max_bytes:
            _, dropped = self._documents.popitem(last=False)
            self._bytes -= len(dropped)


def names_a_document(params: Mapping[str, object]) -> bool:
    """Whether a GET's parameters name a persisted document (then it is no GraphiQL visit)."""
    return "documentId" in params or "extensions" in params


async def document_ids(request: Any, count: int) -> list[object]:
    """Each operation's `documentId` (None where absent), which Strawberry does not read:
    from the query string of a GET, from the JSON body of a POST (parsed again only when it
    holds the word)."""
    if request.method == "GET":
        return [request.query_params.get("documentId")]
    body: bytes = await request.get_body()
    if b"documentId" not in body:
        return [None] * count
    raw = orjson.loads(body)  # Strawberry parsed it already: it is JSON
    operations = raw if isinstance(raw, list) else [raw]
    return [op.get("documentId") if isinstance(op, dict) else None for op in operations]


class PersistedOperations:
    """Resolves the persisted part of requests: APQ against a store, or the trusted list."""

    def __init__(
        self,
        schema: GraphQLSchema,
        limits: RequestLimits,
        *,
        max_tokens: int,
        apq: bool = True,
        trusted: TrustedDocuments | None = None,
        require_id: bool = False,
        introspection: bool = False,
    ) -> None:
        self.schema = schema
        self.limits = limits
        self.max_tokens = max_tokens
        self.apq = apq and trusted is None
        self.trusted = trusted
        self.require_id = require_id
        # Whether introspection alone passes the trusted list (`_introspection`).
        self.introspection = introspection

    async def resolve(
        self,
        request: Any,
        operations: Sequence[GraphQLRequestData],
        store: DocumentStore,
    ) -> list[GraphQLRequestData]:
        """Each operation with its document; a Refusal for the whole request otherwise.
        `operations` passed the request's limits already."""
        ids = await document_ids(request, len(operations))
        if self.trusted is None and not any(ids) and not any(map(_names_hash, operations)):
            return list(operations)  # the common case: every document is in the request
        answer = _Answer(request.headers.get("accept", ""), len(operations) > 1)
        resolved = []
        for operation, document_id in zip(operations, ids, strict=False):
            found = await self._resolve(operation, document_id, store, answer)
            if found is not operation:
                self.limits.check(found)  # a stored or listed document has the same limits
            resolved.append(found)
        return resolved

    async def _resolve(
        self,
        operation: GraphQLRequestData,
        document_id: object,
        store: DocumentStore,
        answer: _Answer,
    ) -> GraphQLRequestData:
        key = _requested_key(operation, document_id, by_digest=self.trusted is None)
        if self.trusted is not None:
            return self._trusted(operation, key, self.trusted)
        if key is None:
            return operation
        if document_id is not None and operation.query is not None:
            raise _both()
        if not self.apq:
            if operation.query is None:
                raise answer.refusal(
                    "PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED", missing=400
                )
            return operation  # the document is here: the hash is not needed
        if operation.query is None:
            document = await store.get(key)
            if document is None:
                raise answer.refusal("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
            return replace(operation, query=document)
        if text_digest(operation.query) != key:
            raise Refusal(400, "provided sha does not match query", "PERSISTED_QUERY_HASH_MISMATCH")
        if self._valid(operation.query):
            await store.put(key, operation.query)
        return operation

    def _trusted(
        self, operation: GraphQLRequestData, key: str | None, trusted: TrustedDocuments
    ) -> GraphQLRequestData:
        """Only the manifest's documents: by key, or sent whole when listed."""
        if key is not None:
            if operation.query is not None:
                raise _both()
            listed = trusted.document(key)
            if listed is None:
                raise Refusal(
                    404,
                    f"Persisted query '{key}' not found in the persisted query list",
                    "PERSISTED_QUERY_NOT_IN_LIST",
                    headers=NO_CACHE,
                )
            return replace(operation, query=listed)
        query = operation.query
        if query is None:
            return operation  # Strawberry answers that no query was sent
        if self.require_id:
            if self._introspection(query):
                return operation
            raise Refusal(
                400,
                "this gateway runs trusted documents by id only: send documentId or "
                "extensions.persistedQuery, not the query",
                "PERSISTED_QUERY_ID_REQUIRED",
            )
        if trusted.lists_text(query):
            return operation
        document = self._parsed(query)
        if document is not None and trusted.lists_document(document):
            return operation
        if self._introspection(query):
            return operation
        raise Refusal(
            403,
            "The operation body was not found in the persisted query safelist",
            "QUERY_NOT_IN_SAFELIST",
            headers=NO_CACHE,
        )

    def _introspection(self, query: str) -> bool:
        """Whether a document of introspection alone may pass the list: GraphiQL's own, in
        development mode (production answers no introspection at all)."""
        if not self.introspection:
            return False
        document = self._parsed(query)
        return document is not None and is_introspection(document)

    def _parsed(self, query: str) -> DocumentNode | None:
        """The document of a query within the token limit (the parser's cache is shared with
        execution, so it is parsed once), or None when it does not parse."""
        try:
            return parse_limited(query, self.max_tokens)
        except GraphQLError:
            return None

    def _valid(self, query: str) -> bool:
        """Whether a document parses and validates against the schema: only those are stored."""
        document = self._parsed(query)
        return document is not None and not validate(self.schema, document)


class _Answer:
    """How a request wants a PersistedQueryNotFound: GraphQL over HTTP lets a plain JSON
    answer be 200, as Apollo Server's is (every Apollo Client retries on it; before 3.6
    only on a 200), while graphql-response+json needs a 4xx without data. A batch gets
    the 4xx: its answer is one error, not one result per operation."""

    def __init__(self, accept: str, batch: bool) -> None:
        self.accept = accept
        self.batch = batch

    def refusal(self, message: str, code: str, missing: int = 404) -> Refusal:
        plain = negotiate(self.accept) != GRAPHQL_RESPONSE and not self.batch
        return Refusal(200 if plain else missing, message, code, headers=NO_CACHE)


def _names_hash(operation: GraphQLRequestData) -> bool:
    """Whether an operation may name a document by hash (malformed `extensions` too)."""
    extensions = operation.extensions
    if extensions is None:
        return False
    return not isinstance(extensions, dict) or "persistedQuery" in extensions


def _requested_key(
    operation: GraphQLRequestData, document_id: object, *, by_digest: bool
) -> str | None:
    """The key an operation asks for, if any; a 400 for a malformed request. `by_digest`:
    only SHA-256 ids (APQ's store knows no other kind)."""
    extensions = operation.extensions
    if extensions is not None and not isinstance(extensions, dict):
        raise _malformed("extensions must be an object")
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None and document_id is None:
        return None
    if persisted is not None and document_id is not None:
        raise _malformed("send documentId or extensions.persistedQuery, not both")
    if persisted is not None:
        if not isinstance(persisted, dict):
            raise _malformed("extensions.persistedQuery must be an object")
        if persisted.get("version") != 1:
            raise _malformed("Unsupported persisted query version: only version 1 is known")
        value = persisted.get("sha256Hash")
        if not isinstance(value, str):
            raise _malformed("extensions.persistedQuery.sha256Hash must be a string")
        key = sha256_key(value) if by_digest else document_key(value)
        if key is None:
            raise _malformed("extensions.persistedQuery.sha256Hash must be 64 hexadecimal digits")
        return key
    if not isinstance(document_id, str):
        raise _malformed("documentId must be a string")
    key = sha256_key(document_id) if by_digest else document_key(document_id)
    if key is None:
        kind = "sha256:<64 hexadecimal digits>" if by_digest else "a document identifier"
        raise _malformed(f"documentId must be {kind}")
    return key


def _malformed(message: str) -> Refusal:
    return Refusal(400, message, "BAD_USER_INPUT")


def _both() -> Refusal:
    return Refusal(
        400,
        "Sending a persisted query ID and a body in the same request is disallowed",
        "CANNOT_SEND_PQ_ID_AND_BODY",
    )
