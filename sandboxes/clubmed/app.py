"""A faithful simulator of Club Med's customer REST API, over an in-memory store.

Its root stands for `https://api.clubmed.com` and, for `POST /token`, for the auth host
(`https://auth.clubmed.com`, [3P] docs/backends/clubmed.md#auth). It follows the contract it
shares with the adapter (`adapters/clubmed/CONTRACT.md`), its own notes (`NOTES.md` in this
folder), the seeds (the portal pages listed in docs/backends/clubmed.md#sources) and the Club
Med page as a whole (docs/backends/clubmed.md):

- `POST /token` (OAuth2 client credentials) and the `x-api-key` + bearer checks on every
  `/v<n>/` route: `auth.py`. Two clients; the partner's may touch only the customers
  it created (403 otherwise; in a search it simply does not see the others).
- `GET /v1/customers` (search, its `filter` parsed by `filter.py`); 200 when the page holds
  every match, else 206 with `Accept-Ranges`/`Content-Range`
  ([DOC] docs/backends/clubmed.md#paging).
- `GET /v2/customers/{id}/profile`, `POST /v1/customers`, `PATCH /v1/customers/{id}/profile`:
  `customers.py`; travelers: `travelers.py`; travel documents: `documents.py`.
- `GET /openapi.json`: `openapi.py`; the error body: `errors.py`.

Where nothing public says, these are ours ([INF]):
- the filter grammar (`==` only, `;` is AND, quoted values with `\\` escapes;
  docs/backends/clubmed.md#filter);
- the error body `{"code", "message", "field"}` (Club Med's is not public,
  docs/backends/clubmed.md#errors);
- the token answer and errors are RFC 6749's (§4.4, §5.1, §5.2);
- `Content-Range: customers <first>-<last>/<total>`, 0-based and inclusive, or
  `customers */<total>` past the end (the grammar is cut off in the 2018 copy,
  docs/backends/clubmed.md#paging);
- travel documents in the object form keyed by type (docs/backends/clubmed.md#travel-documents);
  travelers' birthdate yyyymmdd on GET, yyyy-mm-dd or yyyymmdd on POST
  (docs/backends/clubmed.md#travelers); POST travelers answers 200;
- at most 20 travelers per customer; address validation = ISO2 country, city, zip code;
- `date_format=Y-m-d` on the profile switches its dates to yyyy-mm-dd (a portal example URL);
- language_code is the locale's language upper case; customer_status "CUSTOMER" for existing
  clients and "PROSPECT" for created ones; civility "MR"/"MRS" from gender.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from adapters.model import Backend
from sandboxes.clubmed.auth import Tokens, require_credentials, token
from sandboxes.clubmed.customers import (
    create_customer,
    get_profile,
    patch_profile,
    search_customers,
)
from sandboxes.clubmed.documents import get_travel_documents, patch_travel_documents
from sandboxes.clubmed.errors import unrouted
from sandboxes.clubmed.openapi import openapi_document
from sandboxes.clubmed.store import CustomerStore
from sandboxes.clubmed.travelers import create_traveler, list_travelers
from sandboxes.common import SandboxApp, SandboxConfig


def _routes() -> list[BaseRoute]:
    customer = "/v1/customers/{customer_id}"
    return [
        Route("/token", token, methods=["POST"]),
        Route("/v1/customers", search_customers, methods=["GET"]),
        Route("/v1/customers", create_customer, methods=["POST"]),
        Route("/v2/customers/{customer_id}/profile", get_profile, methods=["GET"]),
        Route(f"{customer}/profile", patch_profile, methods=["PATCH"]),
        Route(f"{customer}/travelers", list_travelers, methods=["GET"]),
        Route(f"{customer}/travelers", create_traveler, methods=["POST"]),
        Route(f"{customer}/travel_documents", get_travel_documents, methods=["GET"]),
        Route(f"{customer}/travel_documents", patch_travel_documents, methods=["PATCH"]),
    ]


def create_app(config: SandboxConfig | None = None) -> SandboxApp:
    """The sandbox with the seed's John Smith and `config.customers` generated people."""
    config = config or SandboxConfig()
    tokens = Tokens(config.token_ttl_seconds)
    sandbox = SandboxApp(
        Backend.CLUBMED,
        _routes(),
        unrouted=unrouted,
        openapi=openapi_document,
        middleware=[require_credentials(tokens)],
    )
    sandbox.state.store = CustomerStore(config)
    sandbox.state.tokens = tokens
    return sandbox
