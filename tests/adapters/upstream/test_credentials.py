"""Credentials: headers per request, renewed once after a 401, one login for many callers.

The back ends' own schemes are tested end to end against their sandboxes (Club Med's
tests/adapters/clubmed/test_auth.py, CareCloud's test_adapter_errors.py); here, the protocol
and BearerLogin's concurrency, with a login that only counts.
"""

from __future__ import annotations

import asyncio
import base64
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from adapters.errors import UpstreamUnauthenticated
from adapters.model import Backend
from adapters.upstream import BasicCredentials, BearerLogin, Upstream

pytestmark = pytest.mark.anyio

NOW = datetime(2030, 1, 1, tzinfo=UTC)


class Logins:
    """A login that hands out token-1, token-2... valid for `lifetime`."""

    def __init__(self, lifetime: timedelta | None = timedelta(hours=1)) -> None:
        self.count = 0
        self.lifetime = lifetime

    async def __call__(self) -> tuple[str, datetime | None]:
        self.count += 1
        await asyncio.sleep(0.001)  # the others queue behind the lock meanwhile
        expires = None if self.lifetime is None else NOW + self.lifetime
        return f"token-{self.count}", expires


async def test_many_concurrent_requests_get_one_login() -> None:
    logins = Logins()
    bearer = BearerLogin(logins, refresh_margin_seconds=60, clock=lambda: NOW)
    headers = await asyncio.gather(*(bearer.headers() for _ in range(20)))
    assert logins.count == 1
    assert {h["authorization"] for h in headers} == {"Bearer token-1"}


async def test_a_token_about_to_expire_is_renewed_before_it_is_sent() -> None:
    logins = Logins(lifetime=timedelta(seconds=30))
    bearer = BearerLogin(logins, refresh_margin_seconds=60, clock=lambda: NOW)
    await bearer.headers()
    assert (await bearer.headers())["authorization"] == "Bearer token-2"


async def test_a_token_without_expiry_is_kept_until_a_401() -> None:
    logins = Logins(lifetime=None)
    bearer = BearerLogin(logins, refresh_margin_seconds=60, clock=lambda: NOW)
    for _ in range(3):
        assert (await bearer.headers())["authorization"] == "Bearer token-1"
    assert logins.count == 1


async def test_many_401s_with_one_token_renew_it_once() -> None:
    logins = Logins()
    bearer = BearerLogin(logins, refresh_margin_seconds=60, clock=lambda: NOW)
    refused = await bearer.headers()
    renewed = await asyncio.gather(*(bearer.renewed(refused) for _ in range(10)))
    assert logins.count == 2
    assert {r["authorization"] for r in renewed if r is not None} == {"Bearer token-2"}


async def test_a_401_renews_once_and_the_request_is_sent_again() -> None:
    logins = Logins()
    bearer = BearerLogin(logins, refresh_margin_seconds=60, clock=lambda: NOW)
    sent: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers.get("authorization"))
        return httpx.Response(401 if len(sent) == 1 else 200)

    upstream = Upstream(
        Backend.CLUBMED, httpx.MockTransport(handler), base_url="http://b.test", credentials=bearer
    )
    await upstream.send("GET", "/c", operation="t.read")
    assert sent == ["Bearer token-1", "Bearer token-2"]


async def test_a_second_401_is_final() -> None:
    bearer = BearerLogin(Logins(), refresh_margin_seconds=60, clock=lambda: NOW)
    transport = httpx.MockTransport(lambda request: httpx.Response(401))
    upstream = Upstream(Backend.CLUBMED, transport, base_url="http://b.test", credentials=bearer)
    with pytest.raises(UpstreamUnauthenticated) as caught:
        await upstream.send("GET", "/c", operation="t.read")
    assert caught.value.status == 401


async def test_basic_credentials_are_rfc_7617_and_never_shown() -> None:
    basic = BasicCredentials("client id", "s3cr&t")
    assert await basic.headers() == {
        "authorization": "Basic " + base64.b64encode(b"client id:s3cr&t").decode()
    }
    assert await basic.renewed(await basic.headers()) is None
    assert "s3cr&t" not in repr(basic)


async def test_a_bearer_token_is_never_shown() -> None:
    bearer = BearerLogin(Logins(), refresh_margin_seconds=60, clock=lambda: NOW)
    await bearer.headers()
    assert "token-1" not in repr(bearer)
