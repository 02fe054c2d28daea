"""The CareCloud adapter's auth (login once, renew, 401 retry, Basic) and error mapping."""

from __future__ import annotations

import asyncio

import pytest

from adapters.carecloud.adapter import CareCloudAdapter
from adapters.carecloud.client import CareCloudClient
from adapters.errors import (
    UpstreamError,
    UpstreamForbidden,
    UpstreamMalformed,
    UpstreamTimeout,
    UpstreamUnauthenticated,
)
from adapters.model import Backend, CustomerDraft, CustomerFilter, PageRequest
from adapters.upstream import Upstream
from sandboxes import FaultSettings, credentials
from sandboxes.carecloud import KIOSK_LOGIN
from tests.adapters.carecloud.conftest import settings
from tests.adapters.conftest import upstream_for
from tests.conftest import RunningSandbox
from tests.sandboxes.carecloud.conftest import SEED_ID

pytestmark = pytest.mark.anyio
LOGIN = "POST /users/actions/login"
SEARCH = CustomerFilter(last_name="Smith")


async def test_many_concurrent_calls_log_in_once(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    pages = await asyncio.gather(*(adapter.search(SEARCH, PageRequest()) for _ in range(20)))
    assert all(p.total == 2 for p in pages)
    counts = carecloud_sandbox.app.counter.snapshot()
    assert counts[LOGIN] == 1 and counts["GET /customers"] == 20


async def test_an_expired_token_is_renewed_once_for_all_callers(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    await adapter.ping()
    carecloud_sandbox.app.state.sessions.expire_all()  # the sandbox now answers 401 to that token
    carecloud_sandbox.app.counter.reset()
    pages = await asyncio.gather(*(adapter.search(SEARCH, PageRequest()) for _ in range(10)))
    assert all(p.total == 2 for p in pages)
    counts = carecloud_sandbox.app.counter.snapshot()
    assert counts[LOGIN] == 1
    assert counts["GET /customers"] == 20  # each call: a 401, then one retry with the new token


async def test_the_token_is_renewed_before_valid_to(
    upstream: Upstream, carecloud_sandbox: RunningSandbox
) -> None:
    ttl = carecloud_sandbox.app.state.sessions.ttl_seconds
    # A margin longer than the token's life: every call finds the token about to expire.
    eager = CareCloudAdapter(CareCloudClient(upstream, settings(refresh_margin_seconds=ttl + 60)))
    for _ in range(3):
        await eager.ping()
    counts = carecloud_sandbox.app.counter.snapshot()
    assert counts == {LOGIN: 3, "GET /statuses": 3}
    carecloud_sandbox.app.counter.reset()
    lazy = CareCloudAdapter(CareCloudClient(upstream, settings(refresh_margin_seconds=60)))
    for _ in range(3):
        await lazy.ping()
    assert carecloud_sandbox.app.counter.snapshot() == {LOGIN: 1, "GET /statuses": 3}


async def test_legacy_basic_needs_no_login(
    upstream: Upstream, carecloud_sandbox: RunningSandbox
) -> None:
    basic = CareCloudAdapter(CareCloudClient(upstream, settings(auth_scheme="basic")))
    assert (await basic.get_customer(SEED_ID)).first_name == "John"
    assert LOGIN not in carecloud_sandbox.app.counter.snapshot()
    wrong = CareCloudAdapter(
        CareCloudClient(upstream, settings(auth_scheme="basic", password="Wrong-Passw0rd"))
    )
    with pytest.raises(UpstreamUnauthenticated):
        await wrong.ping()


@pytest.mark.parametrize("scheme", ["bearer", "basic"])
async def test_wrong_credentials_are_unauthenticated_and_never_echoed(
    upstream: Upstream, scheme: str
) -> None:
    adapter = CareCloudAdapter(
        CareCloudClient(upstream, settings(password="Not-The-Passw0rd", auth_scheme=scheme))
    )
    with pytest.raises(UpstreamUnauthenticated) as caught:
        await adapter.search(SEARCH, PageRequest())
    error = caught.value
    assert error.code == "UNAUTHENTICATED" and error.status == 401
    assert "Not-The-Passw0rd" not in f"{error} {error!r} {error.extensions}"


def test_settings_never_show_credentials() -> None:
    shown = repr(settings())
    assert credentials.CARECLOUD_PASSWORD not in shown and credentials.CARECLOUD_LOGIN not in shown
    assert credentials.CARECLOUD_USER_EXTERNAL_APPLICATION_ID in shown


async def test_a_read_only_interface_is_forbidden_to_write(upstream: Upstream) -> None:
    kiosk = CareCloudAdapter(CareCloudClient(upstream, settings(login=KIOSK_LOGIN)))
    assert (await kiosk.get_customer(SEED_ID)).last_name == "Smith"
    with pytest.raises(UpstreamForbidden) as caught:
        await kiosk.create_customer(CustomerDraft(first_name="K", last_name="Iosk"))
    assert (caught.value.status, caught.value.code) == (403, "FORBIDDEN")


async def test_a_500_is_an_upstream_error(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    carecloud_sandbox.app.faults.settings = FaultSettings(error_rate=1.0, path_prefix="/customers")
    with pytest.raises(UpstreamError) as caught:
        await adapter.search(SEARCH, PageRequest())
    assert type(caught.value) is UpstreamError
    assert (caught.value.status, caught.value.code, caught.value.backend.name) == (
        500,
        "UPSTREAM_ERROR",
        "CARECLOUD",
    )


async def test_a_login_answer_that_is_not_json_is_malformed(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    carecloud_sandbox.app.faults.settings = FaultSettings(malformed_rate=1.0, path_prefix="/users")
    with pytest.raises(UpstreamMalformed):
        await adapter.ping()


async def test_a_hang_is_a_timeout(carecloud_sandbox: RunningSandbox) -> None:
    carecloud_sandbox.app.faults.settings = FaultSettings(
        hang_rate=1.0, hang_seconds=1.0, path_prefix="/customers"
    )
    async with upstream_for(Backend.CARECLOUD, carecloud_sandbox.url, timeouts=0.2) as upstream:
        with pytest.raises(UpstreamTimeout) as caught:
            await CareCloudAdapter(CareCloudClient(upstream, settings())).search(
                SEARCH, PageRequest()
            )
    assert caught.value.code == "UPSTREAM_TIMEOUT"


async def test_a_dropped_connection_is_an_upstream_error(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    carecloud_sandbox.app.faults.settings = FaultSettings(drop_rate=1.0, path_prefix="/customers")
    with pytest.raises(UpstreamError) as caught:
        await adapter.search(SEARCH, PageRequest())
    assert caught.value.code == "UPSTREAM_ERROR"
