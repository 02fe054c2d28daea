"""Club Med's customer API: routes, headers, auth and paging. The only module that calls it.

The base URL (the `Upstream`'s) is `https://api.clubmed.com`, or a sandbox's root;
the OAuth2 token endpoint has its own absolute URL ([3P] docs/backends/clubmed.md#auth:
`https://auth.clubmed.com/token`). Every call sends `x-api-key`, a bearer token and
`accept-language` (CONTRACT.md). Errors carry `{"code", "message", "field"}` ([INF] ours,
CONTRACT.md), surfaced as the error's field and reason (the code).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final, TypeVar
from urllib.parse import quote

import httpx
import orjson

from adapters.errors import UpstreamUnauthenticated
from adapters.model import Backend
from adapters.spec import required
from adapters.upstream import (
    BasicCredentials,
    BearerLogin,
    CachedRecords,
    Clock,
    Entry,
    ResponseCache,
    TokenStore,
    Upstream,
    call_context,
    token_name,
    utc_now,
)

T = TypeVar("T")

BACKEND: Final = Backend.CLUBMED
MAX_PAGE_SIZE: Final = 100  # the search's `limit` is 1..100 (CONTRACT.md)
DEFAULT_LANGUAGE: Final = "en-US"
_LANGUAGE_TAG: Final = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# Content-Range of a 206 search page ([DOC] docs/backends/clubmed.md#paging; the grammar is
# CONTRACT.md's).
_CONTENT_RANGE: Final = re.compile(r"^\s*customers\s+(?:\d+-\d+|\*)/(\d+)\s*$")


@dataclass(frozen=True, slots=True)
class ClubMedSettings:
    """How the gateway reaches Club Med; the secret and the API key never show in a repr.

    The credentials have no default: a deployment gives its own (CLUBMED_CLIENT_ID, ...).
    """

    base_url: str | None = None
    token_url: str | None = None  # absolute URL of the OAuth2 token endpoint: <base_url>/token
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    scope: str = "openid pms"
    # Ask for a new token this long before the current one expires.
    refresh_margin_seconds: float = 60.0
    # POST /v1/customers?force_address=true skips Club Med's address validation.
    force_address: bool = False
    # Seconds the entity cache keeps a record's reads (issue 17, docs/api.md#entity-cache);
    # 0: off, every read goes upstream.
    cache_ttl: float = 0.0


@dataclass(frozen=True, slots=True)
class SearchWindow:
    """The search items of the asked window and the total, when Club Med tells it."""

    items: list[dict[str, Any]]
    total: int | None


def error_detail(response: httpx.Response) -> tuple[str | None, str | None]:
    """(field, code) of a Club Med error body; an OAuth2 error gives (None, error)."""
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return None, None
    if not isinstance(body, dict):
        return None, None
    field_name, code = body.get("field"), body.get("code", body.get("error"))
    return (
        field_name if isinstance(field_name, str) else None,
        code if isinstance(code, str) else None,
    )


def language_tag(accept_language: str) -> str:
    """The first tag of an Accept-Language value ("fr-FR,fr;q=0.9" -> "fr-FR"), or en-US."""
    first = accept_language.split(",", 1)[0].split(";", 1)[0].strip()
    return first if _LANGUAGE_TAG.match(first) else DEFAULT_LANGUAGE


def page_plan(offset: int, limit: int) -> tuple[int, int]:
    """(page size, first page) for the window [offset, offset + limit), limit <= 100.

    The smallest page size >= limit whose one page holds the whole window; when none does,
    the window spans two consecutive pages of `limit` items.
    """
    for size in range(limit, MAX_PAGE_SIZE + 1):
        if offset // size == (offset + limit - 1) // size:
            return size, offset // size + 1
    return limit, offset // limit + 1


def total_from(response: httpx.Response, items: list[Any]) -> int | None:
    """200: the page holds every match; 206: the total of Content-Range, when readable."""
    if response.status_code == 200:
        return len(items)
    found = _CONTENT_RANGE.match(response.headers.get("content-range", ""))
    return int(found.group(1)) if found else None


def segment(value: str) -> str:
    """An id as one path segment: never a way to reach another route."""
    return quote(value, safe="")


class ClubMedClient:
    def __init__(
        self,
        upstream: Upstream,
        settings: ClubMedSettings,
        *,
        clock: Clock = utc_now,
        tokens: TokenStore | None = None,
        cache: ResponseCache | None = None,
    ) -> None:
        self._settings = settings
        self._clock = clock
        self._token_url = settings.token_url or f"{settings.base_url or upstream.base_url}/token"
        self._api_key = required(settings.api_key, "api_key")
        # RFC 6749 §2.3.1: the token request carries the client id and secret in Basic auth
        # (sent as they are, not form-encoded).
        client_id = required(settings.client_id, "client_id")
        client_secret = required(settings.client_secret, "client_secret")
        self._token_endpoint = upstream.copy_with(
            credentials=BasicCredentials(client_id, client_secret),
            error_detail=error_detail,
        )
        self.auth = BearerLogin(
            self.log_in,
            refresh_margin_seconds=settings.refresh_margin_seconds,
            clock=clock,
            store=tokens,
            name=token_name("clubmed", self._token_url, client_id, settings.scope),
        )
        self._upstream = upstream.copy_with(credentials=self.auth, error_detail=error_detail)
        # Profiles, travelers and documents through the entity cache (issue 17), per language.
        self._records = CachedRecords(self._upstream, cache)

    # --- auth --------------------------------------------------------------------------

    async def log_in(self) -> tuple[str, datetime | None]:
        """POST token_url (OAuth2 client credentials, HTTP Basic) -> (token, expiry)."""
        settings = self._settings
        return await self._token_endpoint.exchange(
            "POST",
            self._token_url,
            operation="clubmed.token",
            read=self._token,
            expect=(200, 400, 401, 403),
            form={"grant_type": "client_credentials", "scope": settings.scope},
            headers={"accept": "application/json"},
        )

    def _token(self, response: httpx.Response) -> tuple[str, datetime | None]:
        """(token, expiry) of a token answer; a refusal is UpstreamUnauthenticated."""
        operation = "clubmed.token"
        if response.status_code in (400, 401, 403):
            # invalid_client, invalid_scope, unsupported_grant_type: the gateway is not let in.
            _, reason = error_detail(response)
            raise UpstreamUnauthenticated(
                BACKEND, "the token request was refused", status=response.status_code, reason=reason
            )
        body = self._token_endpoint.decode(response, operation)
        if not isinstance(body, dict):
            raise self._token_endpoint.malformed(operation, "token answer")
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise self._token_endpoint.malformed(operation, "token answer")
        lifetime = body.get("expires_in")
        if not isinstance(lifetime, int | float) or isinstance(lifetime, bool):
            return token, None  # no expiry said: renewed after its first 401
        return token, self._clock().astimezone(UTC) + timedelta(seconds=lifetime)

    def _headers(self) -> dict[str, str]:
        return {
            "x-api-key": self._api_key,
            "accept-language": language_tag(call_context().accept_language),
            "accept": "application/json",
        }

    async def _json(
        self,
        method: str,
        url: str,
        operation: str,
        check: Callable[[object], T],
        *,
        expect: Collection[int] = (200,),
        params: Mapping[str, str] | None = None,
        json: object = None,
    ) -> T:
        """Send, and return the JSON body as `check` reads it (inside the call)."""
        return await self._upstream.send_json(
            method,
            url,
            operation=operation,
            check=check,
            expect=expect,
            params=params,
            json=json,
            headers=self._headers(),
        )

    async def _send(
        self, method: str, url: str, operation: str, *, json: object, expect: Collection[int]
    ) -> httpx.Response:
        return await self._upstream.send(
            method, url, operation=operation, json=json, expect=expect, headers=self._headers()
        )

    async def _record(
        self, customer_id: str, kind: str, url: str, operation: str, check: Callable[[object], T]
    ) -> T:
        """A GET of one customer's `kind` through the entity cache: an answer in the caller's
        language is kept apart from another language's."""
        headers = self._headers()
        entry = Entry(kind, headers["accept-language"])
        return await self._records.get_json(
            customer_id, entry, url, operation=operation, check=check, headers=headers
        )

    # --- search ------------------------------------------------------------------------

    async def search(self, expression: str, offset: int, limit: int) -> SearchWindow:
        """The window [offset, offset + limit) of GET /v1/customers: one page, or two.

        A limit above 100 is cut to 100 (the caller pages on); a limit of 0 still asks one
        item, for the total.
        """
        wanted = max(0, min(limit, MAX_PAGE_SIZE))
        asked = max(1, wanted)
        size, first = page_plan(offset, asked)
        items, total = await self._page(expression, first, size)
        start, end_of_first = (first - 1) * size, first * size
        if (
            offset + asked > end_of_first
            and len(items) == size
            and (total is None or total > end_of_first)
        ):
            more, more_total = await self._page(expression, first + 1, size)
            items += more
            total = more_total if more_total is not None else total
        return SearchWindow(items[offset - start : offset - start + wanted], total)

    async def _page(self, expression: str, page: int, size: int) -> tuple[list[Any], int | None]:
        operation = "clubmed.search"

        def window(response: httpx.Response) -> tuple[list[Any], int | None]:
            items = self._upstream.decode(response, operation)
            if not isinstance(items, list):
                raise self._upstream.malformed(operation, "search answer")
            return items, total_from(response, items)

        return await self._upstream.exchange(
            "GET",
            "/v1/customers",
            operation=operation,
            read=window,
            params={"filter": expression, "limit": size, "page": page},
            expect=(200, 206),
            headers=self._headers(),
        )

    # --- customers ---------------------------------------------------------------------

    async def get_profile(self, customer_id: str) -> dict[str, Any]:
        operation = "clubmed.get_profile"

        def profile(body: object) -> dict[str, Any]:
            if not isinstance(body, dict):
                raise self._upstream.malformed(operation, "profile")
            return body

        url = f"/v2/customers/{segment(customer_id)}/profile"
        return await self._record(customer_id, "profile", url, operation, profile)

    async def create_customer(
        self, body: dict[str, Any], *, force_address: bool | None = None
    ) -> str:
        """POST /v1/customers -> 201 and the new customer id; `force_address` overrides the
        settings' for this call."""
        operation = "clubmed.create_customer"

        def created_id(answer: object) -> str:
            customer_id = answer.get("id") if isinstance(answer, dict) else None
            if isinstance(customer_id, int) and not isinstance(customer_id, bool):
                customer_id = str(customer_id)
            if not isinstance(customer_id, str) or not customer_id:
                raise self._upstream.malformed(operation, "created customer")
            return customer_id

        force = self._settings.force_address if force_address is None else force_address
        params = {"force_address": "true" if force else "false"}
        return await self._json(
            "POST", "/v1/customers", operation, created_id, params=params, json=body, expect=(201,)
        )

    async def patch_profile(self, customer_id: str, body: dict[str, Any]) -> None:
        """PATCH /v1/customers/{id}/profile -> 204: absent keys kept, null clears."""
        url = f"/v1/customers/{segment(customer_id)}/profile"
        async with self._records.writing(customer_id):
            await self._send("PATCH", url, "clubmed.patch_profile", json=body, expect=(204,))

    # --- travelers and travel documents ------------------------------------------------

    async def list_travelers(self, customer_id: str) -> list[Any]:
        operation = "clubmed.list_travelers"

        def travelers(body: object) -> list[Any]:
            if not isinstance(body, list):
                raise self._upstream.malformed(operation, "travelers")
            return body

        url = f"/v1/customers/{segment(customer_id)}/travelers"
        return await self._record(customer_id, "travelers", url, operation, travelers)

    async def add_traveler(self, customer_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST travelers -> 200 (the seed says 200, not 201) and the traveler."""
        operation = "clubmed.add_traveler"

        def traveler(answer: object) -> dict[str, Any]:
            if not isinstance(answer, dict):
                raise self._upstream.malformed(operation, "traveler")
            return answer

        url = f"/v1/customers/{segment(customer_id)}/travelers"
        async with self._records.writing(customer_id):
            return await self._json("POST", url, operation, traveler, json=body, expect=(200, 201))

    async def get_travel_documents(
        self, customer_id: str, *, fresh: bool = False
    ) -> dict[str, Any] | list[Any]:
        """The object keyed by type (or the seed's array form); `fresh`: as Club Med holds
        them now, not from the entity cache (a PATCH is built on them)."""
        operation = "clubmed.get_travel_documents"

        def documents(body: object) -> dict[str, Any] | list[Any]:
            if not isinstance(body, dict | list):
                raise self._upstream.malformed(operation, "travel documents")
            return body

        url = f"/v1/customers/{segment(customer_id)}/travel_documents"
        if fresh:
            return await self._json("GET", url, operation, documents)
        return await self._record(customer_id, "documents", url, operation, documents)

    async def patch_travel_documents(self, customer_id: str, body: dict[str, Any]) -> None:
        url = f"/v1/customers/{segment(customer_id)}/travel_documents"
        async with self._records.writing(customer_id):
            await self._send(
                "PATCH", url, "clubmed.patch_travel_documents", json=body, expect=(204,)
            )

    async def ping(self) -> None:
        """One cheap authenticated call: a search no customer matches."""
        await self._page('gm_number=="0"', 1, 1)
