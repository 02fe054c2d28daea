"""A faithful simulator of Club Med's customer REST API, over an in-memory store.

Its root stands for `https://api.clubmed.com` and, for `POST /token`, for the auth host
(`https://auth.clubmed.com`, [3P] BACKENDS.md §1.2). It follows `CONTRACT.md` in this
folder, the seeds (`shared/seeds/clubmed-*.txt`) and BACKENDS.md §0 and §1:

- `POST /token` (OAuth2 client credentials) and the `x-api-key` + bearer checks on every
  `/v<n>/` route: `sandbox_auth`. Two clients; the partner's may touch only the customers
  it created (403 otherwise; in a search it simply does not see the others).
- `GET /v1/customers` (search): `sandbox_filter` parses `filter`; 200 when the page holds
  every match, else 206 with `Accept-Ranges`/`Content-Range` ([DOC] §1.6).
- `GET /v2/customers/{id}/profile`, `POST /v1/customers`, `PATCH /v1/customers/{id}/profile`:
  `sandbox_customers`; travelers and travel documents: `sandbox_travel`.
- `GET /openapi.json`: `sandbox_openapi`.

Where nothing public says, these are ours ([INF]):
- the filter grammar (`==` only, `;` is AND, quoted values with `\\` escapes; §0 #10);
- the error body `{"code", "message", "field"}` (Club Med's is not public, §1.6);
- the token answer and errors are RFC 6749's (§4.4, §5.1, §5.2);
- `Content-Range: customers <first>-<last>/<total>`, 0-based and inclusive, or
  `customers */<total>` past the end (the grammar is cut off in the 2018 copy, §1.6);
- travel documents in the object form keyed by type (§0 #8); travelers' birthdate
  yyyymmdd on GET, yyyy-mm-dd or yyyymmdd on POST (§0 #9); POST travelers answers 200;
- at most 20 travelers per customer; address validation = ISO2 country, city, zip code;
- `date_format=Y-m-d` on the profile switches its dates to yyyy-mm-dd (a portal example URL);
- language_code is the locale's language upper case; customer_status "CUSTOMER" for existing
  clients and "PROSPECT" for created ones; civility "MR"/"MRS" from gender.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from adapters.model import Backend
from sandboxes.clubmed.auth import RequireCredentials, Tokens, token
from sandboxes.clubmed.customers import (
    create_customer,
    get_profile,
    patch_profile,
    search_customers,
)
from sandboxes.clubmed.errors import ApiError, api_error_handler, http_error_handler
from sandboxes.clubmed.openapi import openapi_document
from sandboxes.clubmed.store import CustomerStore
from sandboxes.clubmed.travelers import (
    create_traveler,
    get_travel_documents,
    list_travelers,
    patch_travel_documents,
)
from sandboxes.common.config import SandboxConfig
from sandboxes.common.instrument import SandboxApp


async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(openapi_document())


def _routes() -> list[BaseRoute]:
    customer = "/v1/customers/{customer_id}"
    return [
        Route("/openapi.json", openapi, methods=["GET"]),
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
    app = Starlette(
        routes=_routes(),
        middleware=[Middleware(RequireCredentials, tokens=tokens)],
        exception_handlers={ApiError: api_error_handler, HTTPException: http_error_handler},
    )
    # Unknown paths are 404s, not redirects to a slash-less twin.
    app.router.redirect_slashes = False
    app.state.store = CustomerStore(config)
    app.state.tokens = tokens
    return SandboxApp(Backend.CLUBMED, app)
