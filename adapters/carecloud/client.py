"""CareCloud's Enterprise REST API: routes, auth and paging. The only module that calls it.

The base URL (the `Upstream`'s) is
`https://{project}/webservice/rest-api/enterprise-interface/v1.0`, or a sandbox's root.
Every body is `{"data": ...}`; lists are `{"data": {"<key>": [...], "total_items": N}}` and
page with count/offset ([DOC] docs/backends/carecloud.md#conventions). Errors carry
`error.error_data.invalid_params[{name, reason}]` (docs/backends/carecloud.md#errors), surfaced as
the error's field and reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, Final, Literal
from urllib.parse import quote

import httpx
import orjson

from adapters.carecloud.auth import LegacyBasic
from adapters.errors import (
    UpstreamBadRequest,
    UpstreamError,
    UpstreamForbidden,
    UpstreamMalformed,
    UpstreamNotFound,
    UpstreamUnauthenticated,
)
from adapters.model import Backend
from adapters.spec import required
from adapters.upstream import (
    BearerLogin,
    CachedRecords,
    Credentials,
    Entry,
    ResponseCache,
    TokenStore,
    Upstream,
    token_name,
)

BACKEND: Final = Backend.CARECLOUD
PAGE_SIZE: Final = 100  # the documented default `count`
# customer_ids[] takes up to 1000 ids ([DOC] docs/backends/carecloud.md#routes), but 1000 ids make a
# ~46 kB URL, past the 8 kB request line many proxies accept: 100 ids (~4.6 kB) per call.
IDS_PER_CALL: Final = 100
# The entity cache's entry of a customer record: the body of GET /customers/{id}.
CUSTOMER: Final = Entry("customer")
# When a login answer has no valid_to ([DOC] docs/backends/carecloud.md#auth).
DEFAULT_TOKEN_LIFETIME_HOURS: Final = 7


@dataclass(frozen=True, slots=True)
class CareCloudSettings:
    """How the gateway reaches one CareCloud project.

    The credentials have no default: a deployment gives its own (CARECLOUD_LOGIN, ...).
    """

    base_url: str | None = None
    application_id: str | None = None  # the login's user_external_application_id
    login: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    auth_scheme: Literal["bearer", "basic"] = "bearer"
    # Log in again this long before the token's valid_to.
    refresh_margin_seconds: float = 60.0
    # POST /customers requires a customer source: the seed's "mobile application" source by
    # default; a real project names its own (GET /customer-sources lists them).
    customer_source_id: str = "8bd253a89059008f1d44aa"
    # language_id is required on every customer; used when a draft has no locale.
    default_language_id: str = "en"
    # Seconds the entity cache keeps a record's reads (issue 17, docs/api.md#entity-cache);
    # 0: off, every read goes upstream.
    cache_ttl: float = 0.0


def error_detail(response: httpx.Response) -> tuple[str | None, str | None]:
    """(name, reason) of the first invalid parameter of a CareCloud error body."""
    try:
        body = orjson.loads(response.content)
        params = body["error"]["error_data"]["invalid_params"]
        first = params[0]
        return str(first.get("name")), str(first.get("reason"))
    except (orjson.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
        return None, None


def parse_valid_to(value: object) -> datetime | None:
    """valid_to is project-local time without offset; read as UTC (the sandbox's project).

    A project in another zone makes the token look valid longer or shorter than it is: a
    401 then triggers one new login, so the only cost is one extra round trip.
    """
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value.replace("T", " "), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _segment(customer_id: str) -> str:
    """A customer id as one path segment: never a way to reach another route."""
    return quote(customer_id, safe="")


class CareCloudClient:
    def __init__(
        self,
        upstream: Upstream,
        settings: CareCloudSettings,
        *,
        tokens: TokenStore | None = None,
        cache: ResponseCache | None = None,
    ) -> None:
        self.settings = settings
        self.base_url = upstream.base_url
        # The login itself goes out without auth, through the same error mapping.
        self._anonymous = upstream.copy_with(credentials=None, error_detail=error_detail)
        self._application_id = required(settings.application_id, "application_id")
        self._login = required(settings.login, "login")
        self._password = required(settings.password, "password")
        credentials: Credentials
        if settings.auth_scheme == "basic":
            credentials = LegacyBasic(self._login, self._password)
        else:
            credentials = BearerLogin(
                self.log_in,
                refresh_margin_seconds=settings.refresh_margin_seconds,
                store=tokens,
                name=token_name("carecloud", self.base_url, self._application_id, self._login),
            )
        self._upstream = upstream.copy_with(credentials=credentials, error_detail=error_detail)
        # Customer records and their sub-resource lists through the entity cache (issue 17).
        self._records = CachedRecords(self._upstream, cache)

    async def log_in(self) -> tuple[str, datetime | None]:
        """POST /users/actions/login -> (bearer token, expiry)."""
        operation = "carecloud.login"
        credentials = {
            "user_external_application_id": self._application_id,
            "login": self._login,
            "password": self._password,
        }

        def login_answer(body: object) -> tuple[str, datetime | None]:
            data = self._data(body, operation)
            token = data.get("bearer_token")
            if not isinstance(token, str) or not token:
                raise self._anonymous.malformed(operation, "login answer")
            expires_at = parse_valid_to(data.get("valid_to"))
            if expires_at is None:
                expires_at = datetime.now(UTC) + timedelta(hours=DEFAULT_TOKEN_LIFETIME_HOURS)
            return token, expires_at

        try:
            return await self._anonymous.send_json(
                "POST",
                "/users/actions/login",
                operation=operation,
                check=login_answer,
                json=credentials,
            )
        except (UpstreamBadRequest, UpstreamForbidden, UpstreamNotFound) as exc:
            # The spec lists 400/403/404 on the login route: all mean "not let in".
            raise UpstreamUnauthenticated(
                BACKEND, "the login was refused", status=exc.status
            ) from exc

    def _data(self, body: object, operation: str) -> dict[str, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            raise self._upstream.malformed(operation, "envelope")
        data: dict[str, Any] = body["data"]
        return data

    def _list(self, body: object, key: str, operation: str) -> tuple[list[dict[str, Any]], int]:
        data = self._data(body, operation)
        items, total = data.get(key), data.get("total_items")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise self._upstream.malformed(operation, f"{key} list")
        return items, total if isinstance(total, int) else len(items)

    def _list_of(
        self, key: str, operation: str
    ) -> Callable[[object], tuple[list[dict[str, Any]], int]]:
        """The check of a list answer: (the items under `key`, total_items)."""
        return partial(self._list, key=key, operation=operation)

    async def list_customers(self, params: Mapping[str, Any]) -> tuple[list[dict[str, Any]], int]:
        """GET /customers -> (customers of this page, total_items)."""
        operation = "carecloud.list_customers"
        return await self._upstream.send_json(
            "GET",
            "/customers",
            operation=operation,
            check=self._list_of("customers", operation),
            params=params,
        )

    def _customer(self, body: object) -> dict[str, Any]:
        """The check of a customer's body ({"data": the record})."""
        found = self._data(body, "carecloud.get_customer")
        if not isinstance(found.get("customer_id"), str):
            raise self._upstream.malformed("carecloud.get_customer", "customer")
        return found

    async def get_customer(self, customer_id: str, *, fresh: bool = False) -> dict[str, Any]:
        """GET /customers/{id}; `fresh`: as CareCloud holds it now, not from the entity cache
        (an update merges into it)."""
        operation = "carecloud.get_customer"
        url = f"/customers/{_segment(customer_id)}"
        if fresh:
            return await self._upstream.send_json(
                "GET", url, operation=operation, check=self._customer
            )
        return await self._records.get_json(
            customer_id, CUSTOMER, url, operation=operation, check=self._customer
        )

    async def customers(self, ids: Sequence[str]) -> dict[str, dict[str, Any] | UpstreamError]:
        """The records CareCloud has of `ids`, or the error of the call that asked for them:
        those the entity cache holds, the others by GET /customers?customer_ids[]=... (one
        call per 100 ids). An id CareCloud does not return is left out."""
        cache = self._records.cache
        if cache is None:
            return await self._customers_by_id(ids)
        read: dict[str, dict[str, Any]] = {}

        async def load(missing: Sequence[str]) -> dict[str, bytes | UpstreamError]:
            found = await self._customers_by_id(missing)
            bodies: dict[str, bytes | UpstreamError] = {}
            for customer_id, record in found.items():
                if isinstance(record, UpstreamError):
                    bodies[customer_id] = record
                else:  # kept as GET /customers/{id} answers it
                    read[customer_id] = record
                    bodies[customer_id] = orjson.dumps({"data": record})
            return bodies

        results: dict[str, dict[str, Any] | UpstreamError] = {}
        for customer_id, body in (await cache.fetch_many(ids, CUSTOMER, load)).items():
            if isinstance(body, UpstreamError):
                results[customer_id] = body
            elif customer_id in read:  # fetched by this very call: already read
                results[customer_id] = read[customer_id]
            else:
                try:
                    results[customer_id] = self._customer(orjson.loads(body))
                except (orjson.JSONDecodeError, UpstreamMalformed):  # not what was kept
                    results.update(await self._customers_by_id([customer_id]))
        return results

    async def _customers_by_id(
        self, ids: Sequence[str]
    ) -> dict[str, dict[str, Any] | UpstreamError]:
        chunks = [list(ids[n : n + IDS_PER_CALL]) for n in range(0, len(ids), IDS_PER_CALL)]

        async def fetch(chunk: list[str]) -> dict[str, dict[str, Any] | UpstreamError]:
            try:
                page, _ = await self.list_customers({"customer_ids[]": chunk, "count": len(chunk)})
            except UpstreamError as error:
                return dict.fromkeys(chunk, error)
            return {str(raw["customer_id"]): raw for raw in page if "customer_id" in raw}

        found: dict[str, dict[str, Any] | UpstreamError] = {}
        for part in await asyncio.gather(*(fetch(chunk) for chunk in chunks)):
            found.update(part)
        return found

    async def create_customer(self, body: Mapping[str, Any]) -> str:
        """POST /customers -> 201 and the new customer_id."""
        operation = "carecloud.create_customer"

        def created_id(answer: object) -> str:
            customer_id = self._data(answer, operation).get("customer_id")
            if not isinstance(customer_id, str) or not customer_id:
                raise self._upstream.malformed(operation, "customer_id")
            return customer_id

        return await self._upstream.send_json(
            "POST", "/customers", operation=operation, check=created_id, json=body, expect=(201,)
        )

    async def replace_customer(self, customer_id: str, body: Mapping[str, Any]) -> None:
        """PUT /customers/{id} -> 204. A full replace: what the body omits is deleted."""
        url = f"/customers/{_segment(customer_id)}"
        async with self._records.writing(customer_id):
            await self._upstream.send(
                "PUT", url, operation="carecloud.replace_customer", json=body, expect=(204,)
            )

    async def list_all(self, customer_id: str, segment: str, key: str) -> list[dict[str, Any]]:
        """Every item of a customer's sub-resource list (cards, points...), page by page."""
        found: list[dict[str, Any]] = []
        while True:
            items, total = await self.list_page(
                customer_id, segment, key, count=PAGE_SIZE, offset=len(found)
            )
            found.extend(items)
            if not items or len(found) >= total:
                return found

    async def list_page(
        self, customer_id: str, segment: str, key: str, *, count: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of a customer's sub-resource list -> (items, total_items)."""
        operation = f"carecloud.{key}"
        params = {"count": max(count, 1), "offset": offset}
        return await self._records.get_json(
            customer_id,
            Entry(key, f"count={params['count']}&offset={offset}"),
            f"/customers/{_segment(customer_id)}/{segment}",
            operation=operation,
            check=self._list_of(key, operation),
            params=params,
        )

    async def list_unpaged(
        self, customer_id: str, segment: str, key: str, *, fresh: bool = False
    ) -> list[dict[str, Any]]:
        """A customer's sub-resource list whose route lists no paging parameters; `fresh`:
        as CareCloud holds it now, not from the entity cache (a write is built on it)."""
        operation = f"carecloud.{key}"
        url = f"/customers/{_segment(customer_id)}/{segment}"
        check = self._list_of(key, operation)
        if fresh:
            items, _ = await self._upstream.send_json("GET", url, operation=operation, check=check)
        else:
            items, _ = await self._records.get_json(
                customer_id, Entry(key), url, operation=operation, check=check
            )
        return items

    async def add_record(
        self, customer_id: str, segment: str, wrapper: str, record: Mapping[str, Any]
    ) -> str:
        """POST /customers/{id}/<segment> {<wrapper>: record} -> 201 and the new record's id."""
        operation = f"carecloud.add_{wrapper}"
        id_field = f"{wrapper}_id"

        def created_id(answer: object) -> str:
            record_id = self._data(answer, operation).get(id_field)
            if not isinstance(record_id, str) or not record_id:
                raise self._upstream.malformed(operation, id_field)
            return record_id

        async with self._records.writing(customer_id):
            return await self._upstream.send_json(
                "POST",
                f"/customers/{_segment(customer_id)}/{segment}",
                operation=operation,
                check=created_id,
                json={wrapper: record},
                expect=(201,),
            )

    async def replace_record(
        self,
        customer_id: str,
        segment: str,
        record_id: str,
        wrapper: str,
        record: Mapping[str, Any],
    ) -> None:
        """PUT /customers/{id}/<segment>/{record_id} {<wrapper>: record} -> 204."""
        url = f"/customers/{_segment(customer_id)}/{segment}/{_segment(record_id)}"
        async with self._records.writing(customer_id):
            await self._upstream.send(
                "PUT",
                url,
                operation=f"carecloud.replace_{wrapper}",
                json={wrapper: record},
                expect=(204,),
            )

    async def delete_record(self, customer_id: str, segment: str, record_id: str) -> None:
        """DELETE /customers/{id}/<segment>/{record_id} -> 204."""
        url = f"/customers/{_segment(customer_id)}/{segment}/{_segment(record_id)}"
        async with self._records.writing(customer_id):
            await self._upstream.send(
                "DELETE", url, operation=f"carecloud.delete_{segment}", expect=(204,)
            )

    async def verify(self, action: str, body: Mapping[str, Any]) -> str:
        """POST /customers/actions/<action> -> the customer_id the credentials identify.

        Wrong credentials are a 404 (the sandbox's reading of the spec's 400/404): raised as
        UpstreamNotFound here, told apart by the adapter. The body is never logged.
        """
        operation = f"carecloud.{action}"

        def customer_id(answer: object) -> str:
            found = self._data(answer, operation).get("customer_id")
            if not isinstance(found, str) or not found:
                raise self._upstream.malformed(operation, "customer_id")
            return found

        return await self._upstream.send_json(
            "POST",
            f"/customers/actions/{action}",
            operation=operation,
            check=customer_id,
            json=body,
        )

    async def statuses(self) -> list[dict[str, Any]]:
        """GET /statuses: the loyalty tiers a status record points to."""
        return await self._all_pages("/statuses", "statuses", "carecloud.statuses")

    async def _all_pages(self, url: str, key: str, operation: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        check = self._list_of(key, operation)
        while True:
            params = {"count": PAGE_SIZE, "offset": len(found)}
            items, total = await self._upstream.send_json(
                "GET", url, operation=operation, check=check, params=params
            )
            found.extend(items)
            if not items or len(found) >= total:
                return found

    async def search_strict(
        self, *, first_name: str, last_name: str, birthdate: str, card_number: str
    ) -> list[tuple[str, int | None]]:
        """GET /customers/actions/search-customers (strict): (customer_id, match %) pairs.

        Every match strict mode returns is kept with its score: an int from 0 to 100 ([DOC]
        docs/backends/carecloud.md#actions), None when the answer holds anything else.
        """
        operation = "carecloud.search_customers"
        params = {
            "first_name": first_name,
            "last_name": last_name,
            "birthdate": birthdate,
            "card_number": card_number,
            "mode": "strict",
        }

        def strict(body: object) -> list[Any]:
            matches = self._data(body, operation).get("strict")
            if not isinstance(matches, list):
                raise self._upstream.malformed(operation, "strict list")
            return matches

        matches = await self._upstream.send_json(
            "GET",
            "/customers/actions/search-customers",
            operation=operation,
            check=strict,
            params=params,
        )

        def percentage(value: object) -> int | None:
            if isinstance(value, bool) or not isinstance(value, int):
                return None
            return value if 0 <= value <= 100 else None

        return [
            (m["customer_id"], percentage(m.get("match")))
            for m in matches
            if isinstance(m, dict) and isinstance(m.get("customer_id"), str)
        ]

    async def ping(self) -> None:
        """One cheap authenticated call."""
        operation = "carecloud.ping"
        await self._upstream.send_json(
            "GET",
            "/statuses",
            operation=operation,
            check=self._list_of("statuses", operation),
            params={"count": 1},
        )
