"""The Relay adapter against the sandbox over loopback HTTP: every operation."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.base import Capability
from adapters.errors import (
    UpstreamBadRequest,
    UpstreamConflict,
    UpstreamNotFound,
    UpstreamUnauthenticated,
)
from adapters.model import (
    Address,
    CustomerDraft,
    Gender,
    Phone,
    PhoneType,
)
from adapters.relay.adapter import RelayAdapter
from adapters.relay.auth import RelayApiKey
from adapters.relay.client import RelayClient
from adapters.upstream import Upstream
from sandboxes import credentials
from tests.adapters.relay.conftest import settings
from tests.conftest import RunningSandbox
from tests.sandboxes.relay.conftest import CUSTOMER_ROUTE, LOAD_ROUTE, SEED_CCID, new_ccid

pytestmark = pytest.mark.anyio


def calls(sandbox: RunningSandbox) -> dict[str, int]:
    return sandbox.app.counter.snapshot()


def test_declares_what_relay_can_do() -> None:
    assert RelayAdapter.capabilities == {Capability.READ, Capability.CREATE, Capability.LOYALTY}
    assert RelayAdapter.search_criteria == frozenset()
    assert RelayAdapter.caller_assigns_id is True


async def test_reads_the_seed_record_in_one_call(
    adapter: RelayAdapter, relay_sandbox: RunningSandbox
) -> None:
    """One GET; what the model has no field for stays in `extra` (the fields themselves:
    contract/test_read.py)."""
    roger = await adapter.get_customer(SEED_CCID)
    assert roger.extra["ssn_last4"] == "1234"
    assert calls(relay_sandbox) == {CUSTOMER_ROUTE: 1}


async def test_reads_a_generated_customer(adapter: RelayAdapter) -> None:
    customer = await adapter.get_customer("RLY-0000270")
    assert customer.membership_number == "M0000270"
    assert customer.loyalty is not None and customer.loyalty.renewal_date is not None
    assert len(customer.phones) == 1 and len(customer.consents) == 1


async def test_a_ccid_is_one_path_segment(
    adapter: RelayAdapter, relay_sandbox: RunningSandbox
) -> None:
    """A ccid holding "/" or "?" never reaches another route or adds a query."""
    for ccid in ("../load-customer-record", "BAK-11984-007?x=1", "a b"):
        with pytest.raises(UpstreamNotFound):
            await adapter.get_customer(ccid)
    assert LOAD_ROUTE not in calls(relay_sandbox)


async def test_create_round_trips_every_mapped_field(
    adapter: RelayAdapter, relay_sandbox: RunningSandbox
) -> None:
    ccid = new_ccid("ADAPTER")
    draft = CustomerDraft(
        first_name="Ada",
        last_name="Lovelace",
        native_id=ccid,
        birthdate=date(1990, 3, 12),
        gender=Gender.FEMALE,
        phones=(
            Phone("+1 617 555 0100", PhoneType.MOBILE),
            Phone("6175550101", PhoneType.HOME),
            Phone("6175550102", PhoneType.OTHER),
        ),
        address=Address(
            line1="1 Main Street",
            line2="Apt 2",
            city="Boston",
            postal_code="02108",
            region="MA",
            country_code="US",
        ),
    )
    created = await adapter.create_customer(draft)
    assert created.native_id == ccid
    assert (created.first_name, created.last_name) == ("Ada", "Lovelace")
    assert created.birthdate == date(1990, 3, 12)
    assert created.gender is Gender.FEMALE
    assert created.addresses == (draft.address,)
    assert created.phones == (
        Phone("16175550100", PhoneType.MOBILE),
        Phone("6175550101", PhoneType.HOME),
        Phone("6175550102", PhoneType.OTHER),
    )
    assert created.consents == ()  # no consent was given, none was sent
    assert created == await adapter.get_customer(ccid)
    assert calls(relay_sandbox) == {LOAD_ROUTE: 1, CUSTOMER_ROUTE: 2}


@pytest.mark.parametrize("gender", list(Gender))
async def test_every_gender_round_trips(adapter: RelayAdapter, gender: Gender) -> None:
    draft = CustomerDraft(first_name="G", last_name="Round", native_id=new_ccid(), gender=gender)
    assert (await adapter.create_customer(draft)).gender is gender


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        # No ccid: contract/test_create.py.
        (CustomerDraft(first_name="A", last_name="B", native_id="R-1", email="a@b.c"), "email"),
        (CustomerDraft(first_name="A", last_name="B", native_id="R-1", locale="en-US"), "locale"),
        (
            CustomerDraft(
                first_name="A", last_name="B", native_id="R-1", address=Address(line3="3rd")
            ),
            "address.line3",
        ),
    ],
)
async def test_create_refuses_what_relay_cannot_hold_without_sending(
    adapter: RelayAdapter, relay_sandbox: RunningSandbox, draft: CustomerDraft, field: str
) -> None:
    with pytest.raises(UpstreamBadRequest) as caught:
        await adapter.create_customer(draft)
    assert caught.value.field == field
    assert calls(relay_sandbox) == {}


async def test_relays_400_names_the_callers_input(
    adapter: RelayAdapter, relay_sandbox: RunningSandbox
) -> None:
    draft = CustomerDraft(
        first_name="A",
        last_name="B",
        native_id=new_ccid(),
        phones=(Phone("12345"),),
        address=Address(region="Pennsylvania"),
    )
    with pytest.raises(UpstreamBadRequest) as caught:
        await adapter.create_customer(draft)
    assert caught.value.status == 400
    assert caught.value.field == "address.region"
    assert calls(relay_sandbox) == {LOAD_ROUTE: 1}
    with pytest.raises(UpstreamBadRequest) as phone:
        await adapter.create_customer(CustomerDraft("A", "B", new_ccid(), phones=(Phone("1"),)))
    assert phone.value.field == "phones"  # as every back end names a phone


async def test_creating_an_existing_ccid_is_a_conflict(
    adapter: RelayAdapter, relay_sandbox: RunningSandbox
) -> None:
    before = await adapter.get_customer(SEED_CCID)
    with pytest.raises(UpstreamConflict) as caught:
        await adapter.create_customer(
            CustomerDraft(first_name="Other", last_name="Person", native_id=SEED_CCID)
        )
    assert caught.value.status == 409
    assert await adapter.get_customer(SEED_CCID) == before
    assert calls(relay_sandbox) == {CUSTOMER_ROUTE: 2, LOAD_ROUTE: 1}


async def test_ping_reads_a_ccid_that_cannot_exist(
    adapter: RelayAdapter, relay_sandbox: RunningSandbox
) -> None:
    await adapter.ping()
    assert calls(relay_sandbox) == {CUSTOMER_ROUTE: 1}


@pytest.mark.parametrize(
    "wrong",
    [{"api_key": "not-the-key"}, {"client_id": "another-client"}],
    ids=["api key", "client_id"],
)
async def test_wrong_credentials_are_unauthenticated(
    upstream: Upstream, wrong: dict[str, str]
) -> None:
    adapter = RelayAdapter(RelayClient(upstream, settings(**wrong)))
    with pytest.raises(UpstreamUnauthenticated) as caught:
        await adapter.get_customer(SEED_CCID)
    assert credentials.RELAY_API_KEY not in str(caught.value)
    with pytest.raises(UpstreamUnauthenticated):
        await adapter.ping()


async def test_the_api_key_is_never_in_a_repr() -> None:
    secret = settings(api_key="very-secret-key")
    assert "very-secret-key" not in repr(secret)
    assert "very-secret-key" not in repr(RelayApiKey("very-secret-key"))
