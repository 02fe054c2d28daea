"""Relay's static API key: header `xx-relay-api-key` on every request.

[DOC] docs/backends/relay.md#auth. The key never appears in a repr or a message.
"""

from __future__ import annotations

from collections.abc import Mapping

API_KEY_HEADER = "xx-relay-api-key"


class RelayApiKey:
    """Credentials that set the API key header; there is nothing to renew (a 401 is final)."""

    def __init__(self, api_key: str) -> None:
        self._headers = {API_KEY_HEADER: api_key}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_key=***)"

    async def headers(self) -> Mapping[str, str]:
        return self._headers

    async def renewed(self, refused: Mapping[str, str]) -> Mapping[str, str] | None:
        return None
