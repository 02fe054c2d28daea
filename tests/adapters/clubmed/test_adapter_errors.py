"""Club Med failures as the adapter raises them: one UpstreamError subclass per cause.

Every error names the back end (CLUBMED) and never carries a personal value or a credential.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest

from adapters.clubmed.adapter import ClubMedAdapter
from adapters.clubmed.client import ClubMedClient
from adapters.errors import (
    UpstreamBadRequest,
    UpstreamConflict,
    UpstreamError,
    UpstreamForbidden,
    UpstreamMalformed,
    UpstreamNotFound,
    UpstreamTimeout,
    UpstreamUnauthenticated,
)
from adapters.model import (
    Backend,
    CustomerDraft,
    CustomerFilter,
    CustomerPatch,
    PageRequest,
    Phone,
    TravelDocumentPatch,
    TravelDocumentType,
    TravelerDraft,
)
from adapters.upstream import Upstream
from sandboxes import FaultSettings, credentials
from tests.adapters.clubmed.conftest import (
    PROFILE,
    SEED_ID,
    TOKEN,
    draft,
    partner_settings,
    settings,
    unique,
)
from tests.adapters.conftest import upstream_for
from tests.conftest import RunningSandbox

pytestmark = pytest.mark.anyio
PERSONAL = ("john@h.fr", "Smith", "John", "0623456789", "19800117", SEED_ID)
SECRETS = (credentials.CLUBMED_CLIENT_SECRET, credentials.CLUBMED_API_KEY)


def assert_clean(error: UpstreamError, *values: str) -> None:
    """The error is Club Med's and shows none of `values`, personal data or secrets."""
    assert error.backend is Backend.CLUBMED and error.extensions["backend"] == "CLUBMED"
    shown = f"{error} {error!r} {error.extensions}"
    for value in (*values, *PERSONAL, *SECRETS):
        assert value not in shown, value


# --- 400 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, field, value",
    [
        ({"email": "not-an-email"}, "email", "not-an-email"),
        ({"phones": (Phone("12"),)}, "phones[0].number", "12"),
        ({"birthdate": date(2999, 1, 1)}, "identity.birthdate", "29990101"),
        ({"first_name": "X" * 51}, "identity.first_name", "X" * 51),
        ({"locale": "not a locale"}, "locale", "not a locale"),
    ],
)
async def test_a_refused_create_names_the_field(
    adapter: ClubMedAdapter, fields: dict[str, Any], field: str, value: str
) -> None:
    with pytest.raises(UpstreamBadRequest) as caught:
        await adapter.create_customer(draft(**fields))
    error = caught.value
    assert (error.status, error.code, error.field) == (400, "BAD_USER_INPUT", field)
    assert_clean(error, value)


async def test_a_taken_email_is_a_conflict_saying_already_exists(adapter: ClubMedAdapter) -> None:
    """Club Med answers 400 ALREADY_EXISTS (CONTRACT.md): CONFLICT, as on every back end."""
    with pytest.raises(UpstreamConflict) as caught:
        await adapter.create_customer(draft(email="john@h.fr"))
    error = caught.value
    assert (error.status, error.code, error.field, error.reason) == (
        400,
        "CONFLICT",
        "email",
        "ALREADY_EXISTS",
    )
    assert_clean(error, "john@h.fr")


async def test_an_address_club_med_cannot_validate(adapter: ClubMedAdapter) -> None:
    from adapters.model import Address

    with pytest.raises(UpstreamBadRequest) as caught:
        await adapter.create_customer(draft(address=Address("1 Rue X", city="Paris")))
    assert caught.value.field == "address"


async def test_a_refused_travel_document_names_the_field(adapter: ClubMedAdapter) -> None:
    created = await adapter.create_customer(draft())
    with pytest.raises(UpstreamBadRequest) as caught:
        await adapter.update_travel_documents(
            created.native_id,
            [TravelDocumentPatch(type=TravelDocumentType.PASSPORT, number="lower-case")],
        )
    assert caught.value.field == "passport.document_number"
    assert_clean(caught.value, "lower-case")


# --- 401, 403, 404 -----------------------------------------------------------------------


async def test_a_wrong_api_key_is_unauthenticated_after_one_token_refresh(
    upstream: Upstream, clubmed_sandbox: RunningSandbox
) -> None:
    wrong = ClubMedAdapter(
        ClubMedClient(upstream, settings(clubmed_sandbox.url, api_key="wrong-api-key"))
    )
    with pytest.raises(UpstreamUnauthenticated) as caught:
        await wrong.get_customer(SEED_ID)
    assert (caught.value.status, caught.value.code) == (401, "UNAUTHENTICATED")
    assert_clean(caught.value, "wrong-api-key")
    # The first token, a 401, exactly one new token, a second 401: then the error.
    assert clubmed_sandbox.app.counter.snapshot() == {TOKEN: 2, PROFILE: 2}


async def test_a_wrong_secret_is_unauthenticated_and_never_echoed(
    upstream: Upstream, clubmed_sandbox: RunningSandbox
) -> None:
    wrong = ClubMedAdapter(
        ClubMedClient(upstream, settings(clubmed_sandbox.url, client_secret="Not-The-Secret"))
    )
    with pytest.raises(UpstreamUnauthenticated) as caught:
        await wrong.search(CustomerFilter(last_name="Smith"), PageRequest())
    assert (caught.value.status, caught.value.reason) == (401, "invalid_client")
    assert_clean(caught.value, "Not-The-Secret", credentials.CLUBMED_CLIENT_ID)
    assert clubmed_sandbox.app.counter.snapshot() == {TOKEN: 1}


async def test_a_scope_the_server_refuses_is_unauthenticated(
    upstream: Upstream, clubmed_sandbox: RunningSandbox
) -> None:
    odd = ClubMedAdapter(
        ClubMedClient(upstream, settings(clubmed_sandbox.url, scope="openid admin"))
    )
    with pytest.raises(UpstreamUnauthenticated) as caught:
        await odd.ping()
    assert (caught.value.status, caught.value.reason) == (400, "invalid_scope")


async def test_another_issuers_customer_is_forbidden(
    upstream: Upstream, adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    partner = ClubMedAdapter(ClubMedClient(upstream, partner_settings(clubmed_sandbox.url)))
    ours = await adapter.create_customer(draft())
    theirs = await partner.create_customer(draft())
    assert (await partner.get_customer(theirs.native_id)).last_name == theirs.last_name
    operations: list[Callable[[], Awaitable[object]]] = [
        lambda: partner.get_customer(SEED_ID),
        lambda: partner.update_customer(ours.native_id, CustomerPatch(first_name="X")),
        lambda: partner.list_travelers(ours.native_id),
        lambda: partner.add_traveler(ours.native_id, TravelerDraft("A", "B")),
        lambda: partner.list_travel_documents(SEED_ID),
    ]
    for operation in operations:
        with pytest.raises(UpstreamForbidden) as caught:
            await operation()
        assert (caught.value.status, caught.value.code) == (403, "FORBIDDEN")
        assert_clean(caught.value, ours.native_id)
    # In a search, the partner simply does not see the others' customers.
    page = await partner.search(CustomerFilter(email="john@h.fr"), PageRequest())
    assert page.items == ()


async def test_a_document_patch_of_an_unknown_customer_is_not_found(
    adapter: ClubMedAdapter,
) -> None:
    """A patch of a passport by its id is sent with no read first: its own 404 (every other
    operation on an unknown customer: contract/test_errors.py)."""
    missing = "999999999999"
    with pytest.raises(UpstreamNotFound) as caught:
        await adapter.update_travel_documents(
            missing, [TravelDocumentPatch("passport", number="AB12345")]
        )
    assert caught.value.status == 404
    assert_clean(caught.value, missing)


# --- the back end failing ----------------------------------------------------------------


async def test_a_500_of_the_token_endpoint_is_an_upstream_error(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    clubmed_sandbox.app.faults.settings = FaultSettings(error_rate=1.0, path_prefix="/token")
    with pytest.raises(UpstreamError) as caught:
        await adapter.ping()
    assert type(caught.value) is UpstreamError and caught.value.status == 500


@pytest.mark.parametrize("prefix", ["/v1/customers", "/token"])
async def test_a_body_that_is_not_json_is_malformed(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox, prefix: str
) -> None:
    """A search's or a token's (a read's: contract/test_errors.py)."""
    clubmed_sandbox.app.faults.settings = FaultSettings(malformed_rate=1.0, path_prefix=prefix)
    with pytest.raises(UpstreamMalformed) as caught:
        await adapter.search(CustomerFilter(email="john@h.fr"), PageRequest())
    assert caught.value.code == "UPSTREAM_ERROR"
    assert_clean(caught.value)


async def test_a_token_endpoint_that_hangs_is_a_timeout(clubmed_sandbox: RunningSandbox) -> None:
    clubmed_sandbox.app.faults.settings = FaultSettings(
        hang_rate=1.0, hang_seconds=1.0, path_prefix="/token"
    )
    async with upstream_for(Backend.CLUBMED, clubmed_sandbox.url, timeouts=0.2) as upstream:
        with pytest.raises(UpstreamTimeout):
            await ClubMedAdapter(ClubMedClient(upstream, settings(clubmed_sandbox.url))).ping()


async def test_create_with_no_read_back_on_failure(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    with pytest.raises(UpstreamBadRequest):
        await adapter.create_customer(CustomerDraft(first_name="", last_name=unique("E")))
    assert PROFILE not in clubmed_sandbox.app.counter.snapshot()
