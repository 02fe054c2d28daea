"""Automatic persisted queries' documents, shared by the fleet (gateway/persisted.py's
`DocumentStore`, in Redis): `<prefix>:apq:<sha256>` holds a document that parsed and
validated, for GATEWAY_APQ_TTL_SECONDS after it was last sent whole.

A document is named by the SHA-256 of its text, so a copy never goes stale: each replica
keeps the documents it saw in its own `InProcessDocuments` too, reads there first, and
asks Redis only for one it has not seen. While Redis is down, that copy is the store (a
client whose hash a replica has not seen sends its document again, as APQ expects).

Redis holds no personal value (docs/fleet.md), and a string in a document may be one (a
name written in the query rather than passed as a variable): such a document stays in the
replica that was sent it.
"""

from __future__ import annotations

from typing import Final

from graphql import GraphQLError, Lexer, Source, TokenKind
from redis.asyncio import Redis

from gateway.fleet.shared import SharedRedis
from gateway.persisted import InProcessDocuments
from gateway.trusted import text_digest

__all__ = ["RedisDocuments", "holds_a_string"]

FEATURE: Final = "persisted queries"


class RedisDocuments:
    def __init__(self, shared: SharedRedis, local: InProcessDocuments, ttl_seconds: int) -> None:
        self.shared = shared
        self.local = local
        self.ttl_seconds = ttl_seconds

    async def get(self, digest: str) -> str | None:
        seen = await self.local.get(digest)
        if seen is not None:
            return seen

        async def shared(client: Redis) -> str | None:
            stored = await client.get(self.shared.key("apq", digest))
            return _document(stored, digest)

        document = await self.shared.call(FEATURE, shared, lambda: self.local.get(digest))
        if document is not None:
            await self.local.put(digest, document)
        return document

    async def put(self, digest: str, document: str) -> None:
        await self.local.put(digest, document)
        if holds_a_string(document):
            return

        async def shared(client: Redis) -> None:
            await client.set(self.shared.key("apq", digest), document, ex=self.ttl_seconds)

        async def local() -> None:
            return None  # kept above already

        await self.shared.call(FEATURE, shared, local)


def holds_a_string(document: str) -> bool:
    """Whether a document holds a string value (or cannot be read: then it is kept local)."""
    if '"' not in document:
        return False
    lexer = Lexer(Source(document))
    try:
        while (token := lexer.advance()).kind is not TokenKind.EOF:
            if token.kind in (TokenKind.STRING, TokenKind.BLOCK_STRING):
                return True
    except GraphQLError:
        return True
    return False


def _document(stored: object, digest: str) -> str | None:
    """The stored value when it is the document of `digest`: anything else in the key (a
    value not UTF-8, another text) counts as absent, and the client sends it again."""
    if not isinstance(stored, bytes):
        return None
    try:
        document = stored.decode()
    except UnicodeDecodeError:
        return None
    return document if text_digest(document) == digest else None
