"""The CareCloud adapter against the sandbox over loopback HTTP: every operation."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.base import Capability
from adapters.carecloud import mapping
from adapters.carecloud.adapter import CareCloudAdapter
from adapters.carecloud.client import CareCloudClient
from adapters.errors import UpstreamBadRequest, UpstreamConflict, UpstreamNotFound
from adapters.model import (
    Address,
    CustomerDraft,
    CustomerFilter,
    Gender,
    PageRequest,
    Phone,
    PhoneType,
)
from adapters.upstream import Upstream
from tests.adapters.carecloud.conftest import settings
from tests.conftest import RunningSandbox
from tests.sandboxes.carecloud.conftest import SEARCH_SEED_ID, SEED_ID, new_email, unique

pytestmark = pytest.mark.anyio


def calls(sandbox: RunningSandbox) -> dict[str, int]:
    """Requests per route, the login left out."""
    return {k: v for k, v in sandbox.app.counter.snapshot().items() if "/login" not in k}


def test_declares_what_carecloud_can_do() -> None:
    assert CareCloudAdapter.capabilities == {
        Capability.SEARCH,
        Capability.READ,
        Capability.CREATE,
        Capability.UPDATE,
        Capability.LOYALTY,
        Capability.RELATIONSHIPS,
        Capability.CREDENTIALS,
    }
    assert CareCloudAdapter.search_criteria == {
        "first_name",
        "last_name",
        "email",
        "phone",
        "birthdate",
    }
    assert "membership_number" not in mapping.PERSONAL_FIELDS
    assert {"email", "phones", "addresses", "consents", "locale"} <= mapping.PERSONAL_FIELDS
    assert CareCloudAdapter.caller_assigns_id is False


async def test_search_by_last_name_in_one_call(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    page = await adapter.search(CustomerFilter(last_name="SMITH"), PageRequest(0, 20))
    assert [c.native_id for c in page.items] == [SEED_ID, "8bababca29337fcfc92eaad8ab"]
    assert page.total == 2 and page.has_more is False and page.offset == 0
    john = page.items[0]
    assert (john.first_name, john.birthdate, john.email) == (
        "John",
        date(1985, 2, 12),
        "happy_customer@crmcarecloud.com",
    )
    assert john.known_fields == mapping.PERSONAL_FIELDS
    assert calls(carecloud_sandbox) == {"GET /customers": 1}


@pytest.mark.parametrize(
    "filter",
    [
        CustomerFilter(email="HAPPY_customer@crmcarecloud.com"),
        CustomerFilter(phone="+420 523-828 931"),
        CustomerFilter(phone="00420523828931"),
        CustomerFilter(first_name="john", last_name="smith", birthdate=date(1985, 2, 12)),
    ],
)
async def test_search_by_each_criterion(adapter: CareCloudAdapter, filter: CustomerFilter) -> None:
    page = await adapter.search(filter, PageRequest())
    assert [c.native_id for c in page.items] == [SEED_ID]


async def test_search_by_membership_number_uses_the_strict_action(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    filter = CustomerFilter(
        first_name="Jakub",
        last_name="B",
        birthdate=date(1984, 11, 6),
        membership_number="2001990000016",
    )
    page = await adapter.search(filter, PageRequest())
    assert [c.native_id for c in page.items] == [SEARCH_SEED_ID] and page.total == 1
    assert calls(carecloud_sandbox) == {
        "GET /customers/actions/search-customers": 1,
        "GET /customers": 1,
    }
    with_email = CustomerFilter(
        first_name="Jakub",
        last_name="B",
        birthdate=date(1984, 11, 6),
        membership_number="2001990000016",
        email="x@example.com",
    )
    assert (await adapter.search(with_email, PageRequest())).items == ()


async def test_get_customer_reads_the_record_and_its_loyalty_records(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    """The record, its cards, points and status records, and the status names; a consent
    not given stays in `extra` (the fields themselves: contract/test_read.py)."""
    john = await adapter.get_customer(SEED_ID)
    assert john.extra["unset_consents"] == ("custom_agreement_id",)
    assert calls(carecloud_sandbox) == {
        "GET /customers/{customer_id}": 1,
        "GET /customers/{customer_id}/cards": 1,
        "GET /customers/{customer_id}/points": 1,
        "GET /customers/{customer_id}/status-records": 1,
        "GET /statuses": 1,
    }


async def test_generated_loyalty_matches_the_person(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    store = carecloud_sandbox.app.state.store
    tiers = {"SILVER": "Silver", "GOLD": "Gold", "PLATINUM": "Platinum"}
    slot = next(
        s for s, p in enumerate(store.people) if p.loyalty_tier in tiers and p.index % 10 == 0
    )
    person = store.people[slot]
    customer = await adapter.get_customer(store.generated_id(slot))
    assert customer.loyalty is not None
    assert customer.loyalty.status == tiers[person.loyalty_tier]
    assert customer.loyalty.points == person.loyalty_points
    assert customer.membership_number == f"2001{person.index:09d}"  # the blocked card is skipped
    assert (
        customer.email == person.email
        and customer.phones[0].number == "+" + person.phone_international
    )


async def test_statuses_are_fetched_once_while_fresh(
    upstream: Upstream, carecloud_sandbox: RunningSandbox
) -> None:
    cached = CareCloudAdapter(CareCloudClient(upstream, settings()))
    await cached.get_customer(SEED_ID)
    await cached.get_customer(SEARCH_SEED_ID)
    assert calls(carecloud_sandbox)["GET /statuses"] == 1
    carecloud_sandbox.app.counter.reset()
    uncached = CareCloudAdapter(CareCloudClient(upstream, settings()), status_ttl_seconds=-1)
    await uncached.get_customer(SEED_ID)
    await uncached.get_customer(SEED_ID)
    assert calls(carecloud_sandbox)["GET /statuses"] == 2


async def test_get_customers_reads_the_base_records_in_one_call(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    generated = carecloud_sandbox.app.state.store.generated_id(4)
    results = await adapter.get_customers(
        [SEED_ID, "ffffffffffffffffffffffffff", generated, SEED_ID]
    )
    assert [getattr(r, "native_id", None) for r in results] == [SEED_ID, None, generated, SEED_ID]
    assert isinstance(results[1], UpstreamNotFound)
    assert results[0] is results[3]
    assert all(
        r.loyalty is not None for r in (results[0], results[2]) if not isinstance(r, Exception)
    )
    counted = calls(carecloud_sandbox)
    assert counted["GET /customers"] == 1
    assert "GET /customers/{customer_id}" not in counted
    assert counted["GET /customers/{customer_id}/cards"] == 2


async def test_create_then_read_back_every_mapped_field(adapter: CareCloudAdapter) -> None:
    email = new_email()
    draft = CustomerDraft(
        first_name="Zoé",
        last_name=unique("Adapter"),
        email=email.upper(),
        birthdate=date(1990, 3, 12),
        gender=Gender.OTHER,
        phones=(Phone("+33 6 23 45 67 89", PhoneType.MOBILE),),
        address=Address("1 Rue de Rivoli", "Bât. B", "3e", "Paris", "75001", None, "FR"),
        locale="fr",
    )
    created = await adapter.create_customer(draft)
    assert (created.first_name, created.last_name) == (draft.first_name, draft.last_name)
    assert created.email == email  # written in lower case
    assert (created.birthdate, created.gender) == (date(1990, 3, 12), Gender.OTHER)
    assert created.phones == (Phone("+33623456789", PhoneType.MOBILE),)
    assert created.addresses == (draft.address,)
    assert created.locale == "fr"
    assert created.known_fields >= {"loyalty", "membership_number"}
    assert (created.loyalty, created.membership_number) == (None, None)
    found = await adapter.search(CustomerFilter(last_name=draft.last_name), PageRequest())
    assert [c.native_id for c in found.items] == [created.native_id]


async def test_create_uses_the_default_language_without_a_locale(adapter: CareCloudAdapter) -> None:
    created = await adapter.create_customer(
        CustomerDraft(first_name="No", last_name=unique("Locale"))
    )
    assert created.locale == "en" and created.email is None and created.phones == ()


@pytest.mark.parametrize(
    "draft, field",
    [
        # A native id, refused where the back end assigns ids: contract/test_create.py.
        (
            CustomerDraft(first_name="A", last_name="B", phones=(Phone("+331"), Phone("+332"))),
            "phones",
        ),
        (CustomerDraft(first_name="A", last_name="B", locale="x"), "locale"),
        # What CareCloud cannot hold is refused, never dropped (mapping.py).
        (CustomerDraft(first_name="A", last_name="B", locale="fr-FR"), "locale"),
        (
            CustomerDraft(first_name="A", last_name="B", address=Address(region="IDF")),
            "address.region",
        ),
        (
            CustomerDraft(first_name="A", last_name="B", phones=(Phone("+331", PhoneType.HOME),)),
            "phones",
        ),
    ],
)
async def test_create_refuses_what_carecloud_cannot_hold_before_any_call(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox, draft: CustomerDraft, field: str
) -> None:
    with pytest.raises(UpstreamBadRequest) as caught:
        await adapter.create_customer(draft)
    assert caught.value.field == field
    assert carecloud_sandbox.app.counter.snapshot() == {}


async def test_create_with_a_taken_email_is_a_conflict_naming_email(
    adapter: CareCloudAdapter,
) -> None:
    """CareCloud answers 400 `already_exists` (docs/backends/carecloud.md#errors): CONFLICT, as
    elsewhere."""
    draft = CustomerDraft(first_name="A", last_name="B", email="happy_customer@crmcarecloud.com")
    with pytest.raises(UpstreamConflict) as caught:
        await adapter.create_customer(draft)
    error = caught.value
    assert (error.status, error.field, error.reason) == (400, "email", "ALREADY_EXISTS")
    assert "happy_customer" not in str(error)


async def test_ping_is_one_authenticated_call(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    await adapter.ping()
    assert carecloud_sandbox.app.counter.snapshot() == {
        "POST /users/actions/login": 1,
        "GET /statuses": 1,
    }


async def test_get_customers_splits_long_batches_into_calls_of_100(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    store = carecloud_sandbox.app.state.store
    ids = [store.generated_id(slot) for slot in range(101)]
    results = await adapter.get_customers(ids)
    assert [getattr(r, "native_id", r) for r in results] == ids
    assert calls(carecloud_sandbox)["GET /customers"] == 2
