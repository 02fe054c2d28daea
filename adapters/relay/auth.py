"""Relay's static API key as httpx.Auth: header `xx-relay-api-key` on every request.

[DOC] BACKENDS.md §3.1. The key never appears in a repr or a message.
"""

from __future__ import annotations

from collections.abc import Generator

import httpx

API_KEY_HEADER = "xx-relay-api-key"


class RelayApiKey(httpx.Auth):
    """Sets the API key header; there is nothing to refresh (a 401 is final)."""

    def __init__(self, api_key: str) -> None:
        self._api_key = api_key

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_key=***)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[API_KEY_HEADER] = self._api_key
        yield request
