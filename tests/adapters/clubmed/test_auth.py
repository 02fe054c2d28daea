"""The Club Med token: one for many concurrent callers, renewed in time and once after a 401."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from adapters.clubmed.adapter import ClubMedAdapter
from adapters.clubmed.client import ClubMedClient
from adapters.model import Backend
from adapters.upstream import Upstream
from sandboxes.common import credentials
from tests.adapters.clubmed.conftest import PROFILE, SEED_ID, TOKEN, settings
from tests.adapters.conftest import NotingTransport, upstream_for
from tests.conftest import RunningSandbox

pytestmark = pytest.mark.anyio


async def test_many_concurrent_calls_get_one_token(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    results = await asyncio.gather(*(adapter.get_customer(SEED_ID) for _ in range(20)))
    assert all(c.first_name == "John" for c in results)
    assert clubmed_sandbox.app.counter.snapshot() == {TOKEN: 1, PROFILE: 20}


async def test_an_expired_token_is_renewed_once_for_all_callers(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    await adapter.ping()
    clubmed_sandbox.app.state.tokens.expire_all()  # the sandbox now answers 401 to that token
    clubmed_sandbox.app.counter.reset()
    results = await asyncio.gather(*(adapter.get_customer(SEED_ID) for _ in range(10)))
    assert all(c.last_name == "Smith" for c in results)
    # Each call: a 401, then one retry with the one new token.
    assert clubmed_sandbox.app.counter.snapshot() == {TOKEN: 1, PROFILE: 20}
    clubmed_sandbox.app.counter.reset()
    await adapter.get_customer(SEED_ID)
    assert clubmed_sandbox.app.counter.snapshot() == {PROFILE: 1}


async def test_the_token_is_renewed_before_it_expires(
    upstream: Upstream, clubmed_sandbox: RunningSandbox
) -> None:
    ttl = clubmed_sandbox.app.state.tokens.ttl_seconds
    # A margin longer than the token's life: every call finds the token about to expire.
    eager = ClubMedAdapter(
        ClubMedClient(upstream, settings(clubmed_sandbox.url, refresh_margin_seconds=ttl + 60))
    )
    for _ in range(3):
        await eager.ping()
    assert clubmed_sandbox.app.counter.snapshot() == {TOKEN: 3, "GET /v1/customers": 3}


async def test_the_token_request_is_client_credentials_with_basic_auth(
    clubmed_sandbox: RunningSandbox,
) -> None:
    seen: list[httpx.Request] = []

    async def note(request: httpx.Request) -> None:
        seen.append(request)

    async with upstream_for(
        Backend.CLUBMED, clubmed_sandbox.url, transport=NotingTransport(note)
    ) as upstream:
        fixed = datetime(2030, 1, 1, tzinfo=UTC)
        client = ClubMedClient(upstream, settings(clubmed_sandbox.url), clock=lambda: fixed)
        token, expires_at = await client.log_in()
    assert token and expires_at == fixed + timedelta(
        seconds=clubmed_sandbox.app.state.tokens.ttl_seconds
    )
    [request] = seen
    assert (request.method, str(request.url)) == ("POST", f"{clubmed_sandbox.url}/token")
    assert request.headers["authorization"].startswith("Basic ")
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.content == b"grant_type=client_credentials&scope=openid+pms"
    assert b"secret" not in request.content


def test_settings_never_show_credentials() -> None:
    shown = repr(settings("http://127.0.0.1"))
    assert credentials.CLUBMED_CLIENT_SECRET not in shown
    assert credentials.CLUBMED_API_KEY not in shown
    assert "token_url" in shown and credentials.CLUBMED_CLIENT_ID in shown


def test_settings_have_the_fields_the_gateway_builds() -> None:
    built = settings(
        "http://127.0.0.1",
        scope="openid pms",
        refresh_margin_seconds=30.0,
        force_address=True,
    )
    assert (built.scope, built.refresh_margin_seconds, built.force_address) == (
        "openid pms",
        30.0,
        True,
    )
    assert settings("http://127.0.0.1").scope == "openid pms"
