"""Routes of the customer actions (Enterprise interface only,
[DOC] docs/backends/carecloud.md#actions).

Choices where the documents are silent (each route documents 400, 401, 403, 404):
- verify-credentials and verify-social-network-credentials answer wrong credentials with
  404 (no such customer for these credentials), whether the login or the password is wrong,
  so the answer does not tell which one exists.
- auth-token answers 200 ([DOC] CC-spec `CustomerAuthToken.yaml`,
  docs/backends/carecloud.md#sources); its token lives 10 minutes and verify-auth-token consumes it
  (one use). An unknown, used or expired token is a 404.
- search-customers: "Currently the whole resource is returning results only in strict
  mode" ([DOC] docs/backends/carecloud.md#actions): all four parameters are required (a 400
  `required` lists the missing ones), `mode` may be strict or none and means strict either way; a
  match is 100.
"""

from __future__ import annotations

import hashlib
import secrets
import string
import time
from datetime import UTC, datetime, timedelta
from typing import Final

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from sandboxes.carecloud.dates import DATETIME_FORMAT
from sandboxes.carecloud.envelope import data
from sandboxes.carecloud.errors import (
    INVALID_VALUE_FORMAT,
    NOT_ALLOWED_VALUE,
    REQUIRED,
    ApiError,
    InvalidParam,
    bad_request,
    invalid,
    not_found,
)
from sandboxes.carecloud.parameters import json_object, required_object, required_text
from sandboxes.carecloud.store import Criteria, CustomerStore, RecordStore, fold
from sandboxes.carecloud.validation import social_credentials
from sandboxes.common import parse_iso_date

AUTH_TOKEN_TTL_SECONDS: Final = 600.0


def _hash(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


class CustomerLogins:
    """Customers' own credentials: passwords, social network tokens, one-time auth tokens."""

    def __init__(self) -> None:
        self._passwords: dict[int, str] = {}
        self.social: dict[tuple[str, str], int] = {}
        self._auth_tokens: dict[tuple[str, str, str], tuple[int, float]] = {}
        # The seed's example token: never expires, never used up (seed.py says why).
        self.lasting_tokens: dict[tuple[str, str, str], int] = {}

    def set_password(self, slot: int, password: str) -> None:
        self._passwords[slot] = _hash(password)

    def password_matches(self, slot: int, password: str) -> bool:
        stored = self._passwords.get(slot)
        return stored is not None and secrets.compare_digest(stored, _hash(password))

    def issue_auth_token(
        self, slot: int, application_id: str, token_type: int
    ) -> tuple[str, str, str]:
        alphabet = string.digits if token_type == 2 else string.ascii_uppercase + string.digits
        token = "".join(secrets.choice(alphabet) for _ in range(6))
        request_id = secrets.token_hex(36)
        self._auth_tokens[(application_id, token, request_id)] = (
            slot,
            time.time() + AUTH_TOKEN_TTL_SECONDS,
        )
        valid_to = datetime.now(UTC) + timedelta(seconds=AUTH_TOKEN_TTL_SECONDS)
        return token, request_id, valid_to.strftime(DATETIME_FORMAT)

    def use_auth_token(self, application_id: str, token: str, request_id: str) -> int | None:
        lasting = self.lasting_tokens.get((application_id, token, request_id))
        if lasting is not None:
            return lasting
        found = self._auth_tokens.pop((application_id, token, request_id), None)
        if found is None or time.time() > found[1]:
            return None
        return found[0]


def _stores(request: Request) -> tuple[CustomerStore, RecordStore, CustomerLogins]:
    state = request.app.state
    return state.store, state.records, state.logins


def _wrong_credentials() -> ApiError:
    return not_found("customers", None)


async def verify_credentials(request: Request) -> JSONResponse:
    store, records, logins = _stores(request)
    body = await json_object(request)
    login_type = required_text(body, "login_type")
    login_value = required_text(body, "login_value")
    password = required_text(body, "password")
    if login_type not in ("card", "email"):
        raise invalid("login_type", NOT_ALLOWED_VALUE, "login_type is card or email", login_type)
    if login_type == "email":
        slots = store.search(Criteria(email=fold(login_value)))
        slot = slots[0] if slots else None
    else:
        slot = records.card_owner(login_value)
    if slot is None or not logins.password_matches(slot, password):
        raise _wrong_credentials()
    return data({"customer_id": store.customer_id(slot)})


async def verify_social_credentials(request: Request) -> JSONResponse:
    store, _, logins = _stores(request)
    body = await json_object(request)
    found = social_credentials(required_object(body, "social_network_credentials"))
    if isinstance(found, ApiError):
        raise found
    assert found is not None
    slot = logins.social.get(found)
    if slot is None:
        raise _wrong_credentials()
    return data({"customer_id": store.customer_id(slot)})


async def search_customers(request: Request) -> JSONResponse:
    store, records, _ = _stores(request)
    query = request.query_params
    mode = query.get("mode") or "strict"
    if mode not in ("strict", "none"):
        raise invalid("mode", NOT_ALLOWED_VALUE, "mode is strict", mode)
    names = ("first_name", "last_name", "birthdate", "card_number")
    missing = [
        InvalidParam(n, REQUIRED, f"{n} is required in strict mode")
        for n in names
        if not query.get(n)
    ]
    if missing:
        raise bad_request(*missing)
    born = parse_iso_date(query["birthdate"])
    if born is None:
        raise invalid(
            "birthdate", INVALID_VALUE_FORMAT, "birthdate is YYYY-MM-DD", query["birthdate"]
        )
    slot = records.card_owner(query["card_number"])
    criteria = Criteria(
        first_name=fold(query["first_name"]), last_name=fold(query["last_name"]), birthdate=born
    )
    if slot is None or not store.matches(slot, criteria):
        return data({"strict": []})
    return data({"strict": [{"customer_id": store.customer_id(slot), "match": 100}]})


async def auth_token(request: Request) -> JSONResponse:
    store, _, logins = _stores(request)
    body = await json_object(request)
    customer_id = required_text(body, "customer_id")
    application_id = required_text(body, "external_application_id")
    token_type = body.get("token_type")
    if token_type is None:
        raise invalid("token_type", REQUIRED, "token_type is required")
    if token_type not in (1, 2) or isinstance(token_type, bool):
        raise invalid("token_type", NOT_ALLOWED_VALUE, "token_type is 1 or 2", token_type)
    slot = store.slot_of(customer_id)
    if slot is None:
        raise not_found("customers", customer_id)
    token, request_id, valid_to = logins.issue_auth_token(slot, application_id, token_type)
    return data(
        {"authentication_token": token, "token_request_id": request_id, "valid_to": valid_to}
    )


async def verify_auth_token(request: Request) -> JSONResponse:
    store, _, logins = _stores(request)
    body = await json_object(request)
    application_id = required_text(body, "application_id")
    token = required_text(body, "token")
    request_id = required_text(body, "token_request_id")
    slot = logins.use_auth_token(application_id, token, request_id)
    if slot is None:
        raise not_found("auth-token", None)
    return data({"customer_id": store.customer_id(slot)})


def routes() -> list[BaseRoute]:
    base = "/customers/actions"
    return [
        Route(f"{base}/verify-credentials", verify_credentials, methods=["POST"]),
        Route(
            f"{base}/verify-social-network-credentials", verify_social_credentials, methods=["POST"]
        ),
        Route(f"{base}/search-customers", search_customers, methods=["GET"]),
        Route(f"{base}/auth-token", auth_token, methods=["POST"]),
        Route(f"{base}/verify-auth-token", verify_auth_token, methods=["POST"]),
    ]
