"""The Club Med adapter against the sandbox over loopback HTTP: every operation."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from adapters.base import Capability
from adapters.clubmed import mapping
from adapters.clubmed.adapter import ClubMedAdapter
from adapters.clubmed.client import ClubMedClient
from adapters.errors import UpstreamBadRequest, UpstreamConflict, UpstreamNotFound
from adapters.model import (
    Address,
    AddressPatch,
    Backend,
    Customer,
    CustomerDraft,
    CustomerFilter,
    CustomerPatch,
    Gender,
    PageRequest,
    Phone,
    PhoneType,
    TravelDocument,
    TravelDocumentPatch,
    TravelDocumentType,
)
from adapters.upstream import CallContext, Upstream, current_call
from sandboxes.common import credentials
from tests.adapters.clubmed.conftest import (
    PROFILE,
    SEARCH,
    SEED_ID,
    TOKEN,
    calls,
    draft,
    settings,
    unique,
)
from tests.adapters.conftest import NotingTransport, upstream_for
from tests.conftest import RunningSandbox

pytestmark = pytest.mark.anyio
DOCUMENTS = "GET /v1/customers/{customer_id}/travel_documents"
DOCUMENTS_PATCH = "PATCH /v1/customers/{customer_id}/travel_documents"


def test_declares_what_club_med_can_do() -> None:
    # Club Med has no related records of CareCloud's kind and verifies no customer secrets.
    assert ClubMedAdapter.capabilities == set(Capability) - {
        Capability.RELATIONSHIPS,
        Capability.CREDENTIALS,
    }
    assert ClubMedAdapter.search_criteria == {
        "first_name",
        "last_name",
        "email",
        "phone",
        "birthdate",
        "membership_number",
    }
    assert {
        "membership_number",
        "first_name",
        "last_name",
        "birthdate",
        "email",
        "phones",
    } == mapping.SEARCH_FIELDS
    assert ClubMedAdapter.caller_assigns_id is False


# --- search ------------------------------------------------------------------------------


async def test_search_the_seed_example(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    page = await adapter.search(CustomerFilter(email="john@h.fr"), PageRequest())
    assert page.total == 1 and page.has_more is False and page.offset == 0
    [john] = page.items
    assert (john.native_id, john.membership_number, john.first_name, john.last_name) == (
        SEED_ID,
        "123456789",
        "John",
        "Smith",
    )
    assert (john.birthdate, john.email) == (date(1980, 1, 17), "john@h.fr")
    assert john.phones == (Phone("0623456789", PhoneType.MOBILE),)
    assert john.known_fields == mapping.SEARCH_FIELDS and john.loyalty is None
    assert calls(clubmed_sandbox) == {SEARCH: 1}


async def _paging_population(adapter: ClubMedAdapter, count: int) -> tuple[str, list[str]]:
    """`count` new customers sharing one last name, and their ids in Club Med's order."""
    last_name = unique("Paging")
    created = await asyncio.gather(
        *(
            adapter.create_customer(CustomerDraft(first_name="P", last_name=last_name))
            for _ in range(count)
        )
    )
    return last_name, sorted((c.native_id for c in created), key=int)


@pytest.mark.parametrize(
    "offset, limit, requests",
    [
        (0, 10, 1),
        (5, 10, 1),  # offset not a multiple of limit: one page of 15
        (3, 7, 1),
        (95, 10, 1),  # page 7 of 15 holds 95..104
        (3, 98, 2),  # 3..100: no page size <= 100 holds it, two pages of 98
        (50, 99, 2),
        (100, 100, 1),
        (105, 10, 1),  # the tail: 105..109
        (109, 1, 1),
        (200, 10, 1),  # past the end: empty, the total still known
    ],
)
async def test_search_windows(
    adapter: ClubMedAdapter,
    clubmed_sandbox: RunningSandbox,
    population: tuple[str, list[str]],
    offset: int,
    limit: int,
    requests: int,
) -> None:
    last_name, ids = population
    clubmed_sandbox.app.counter.reset()
    page = await adapter.search(CustomerFilter(last_name=last_name), PageRequest(offset, limit))
    assert [c.native_id for c in page.items] == ids[offset : offset + limit]
    assert page.total == len(ids) == 110 and page.offset == offset
    assert page.has_more is (offset + limit < len(ids))
    assert calls(clubmed_sandbox) == {SEARCH: requests}


# 110 customers created once for all the windows (the sandbox lives for the session).
_POPULATION: list[tuple[str, list[str]]] = []


@pytest.fixture
async def population(adapter: ClubMedAdapter) -> tuple[str, list[str]]:
    if not _POPULATION:
        _POPULATION.append(await _paging_population(adapter, 110))
    return _POPULATION[0]


async def test_a_limit_above_100_is_capped(
    adapter: ClubMedAdapter, population: tuple[str, list[str]]
) -> None:
    last_name, ids = population
    page = await adapter.search(CustomerFilter(last_name=last_name), PageRequest(0, 500))
    assert [c.native_id for c in page.items] == ids[:100]
    assert page.total == 110 and page.has_more is True


# --- reads -------------------------------------------------------------------------------


async def test_get_customer_reads_the_v2_profile(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    """One profile call; what the model has no field for stays in `extra` (the fields
    themselves: contract/test_read.py)."""
    john = await adapter.get_customer(SEED_ID)
    assert john.third_name == "Edward" and john.civility == "MR"
    assert calls(clubmed_sandbox) == {PROFILE: 1}


async def test_a_generated_person_reads_whole(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    page = await adapter.search(CustomerFilter(membership_number="500000017"), PageRequest())
    [found] = page.items
    person = await adapter.get_customer(found.native_id)
    assert (person.first_name, person.last_name, person.email) == (
        found.first_name,
        found.last_name,
        found.email,
    )
    assert person.phones == found.phones and person.birthdate == found.birthdate
    assert person.addresses and person.addresses[0].country_code is not None
    assert person.loyalty is not None and person.loyalty.status is not None
    assert {c.channel for c in person.consents} == {"EMAIL", "MAIL"}


async def test_an_id_that_is_not_a_number_is_bad_input(adapter: ClubMedAdapter) -> None:
    """Club Med's ids are digits: another is refused, alone or in its place in a batch."""
    with pytest.raises(UpstreamBadRequest) as bad:
        await adapter.get_customer("abc")
    assert bad.value.field == "customer_id"
    results = await adapter.get_customers(["abc", SEED_ID])
    assert isinstance(results[0], UpstreamBadRequest)
    assert not isinstance(results[1], Exception) and results[1].first_name == "John"


async def test_ping_is_one_authenticated_call(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    await adapter.ping()
    assert clubmed_sandbox.app.counter.snapshot() == {TOKEN: 1, SEARCH: 1}


# --- create and update -------------------------------------------------------------------


async def test_a_created_customer_is_a_prospect_with_a_membership_number(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    """One POST, one profile read back (every mapped field: contract/test_create.py)."""
    new = draft()
    clubmed_sandbox.app.counter.reset()
    created = await adapter.create_customer(new)
    assert calls(clubmed_sandbox) == {"POST /v1/customers": 1, PROFILE: 1}
    assert created.middle_name is None and created.membership_number is not None
    assert created.loyalty is not None and created.loyalty.status == "NONE"
    assert created.loyalty.points == 0
    assert created.extra["customer_status"] == "PROSPECT"
    found = await adapter.search(CustomerFilter(last_name=new.last_name), PageRequest())
    assert [c.native_id for c in found.items] == [created.native_id]
    assert found.items[0].membership_number == created.membership_number


async def test_a_minimal_draft(adapter: ClubMedAdapter) -> None:
    created = await adapter.create_customer(CustomerDraft(first_name="A", last_name=unique("Min")))
    assert (created.email, created.birthdate, created.gender) == (None, None, None)
    assert (created.phones, created.addresses) == ((), ())


async def test_update_sets_every_mapped_field_and_keeps_the_rest(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox, created: Customer
) -> None:
    patch = CustomerPatch(
        first_name="Zoey",
        middle_name="Anne",
        last_name=unique("Patched"),
        email=f"{unique('patched.')}@example.com",
        birthdate=date(1985, 12, 31),
        gender=Gender.MALE,
        phones=(Phone("+44 20 7946 0958", PhoneType.WORK),),
        address=AddressPatch(
            "10 Downing Street", None, None, "London", "SW1A 2AA", None, "GB"
        ),  # every key named
        locale="en-GB",
    )
    updated = await adapter.update_customer(created.native_id, patch)
    assert calls(clubmed_sandbox) == {"PATCH /v1/customers/{customer_id}/profile": 1, PROFILE: 1}
    for name, value in patch.changes().items():
        if name != "address":
            assert getattr(updated, name) == value, name
    assert updated.addresses == (
        Address("10 Downing Street", None, None, "London", "SW1A 2AA", None, "GB"),
    )
    assert (updated.membership_number, updated.loyalty) == (
        created.membership_number,
        created.loyalty,
    )
    assert await adapter.get_customer(created.native_id) == updated


async def test_none_clears_the_locale(adapter: ClubMedAdapter, created: Customer) -> None:
    """Club Med's locale may be cleared (CareCloud requires one); the other fields that
    None clears: contract/test_update.py."""
    updated = await adapter.update_customer(created.native_id, CustomerPatch(locale=None))
    assert updated.locale is None
    assert updated == dataclasses.replace(created, locale=None)


async def test_a_patched_address_keeps_what_the_model_does_not_hold(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    page = await adapter.search(CustomerFilter(membership_number="500000293"), PageRequest())
    before = await adapter.get_customer(page.items[0].native_id)
    kept = before.extra["address"]
    assert before.addresses and isinstance(kept, dict) and kept["country"]
    moved = AddressPatch("5 Rue Neuve", country_code="FR")
    after = await adapter.update_customer(before.native_id, CustomerPatch(address=moved))
    assert after.addresses == (
        dataclasses.replace(before.addresses[0], line1="5 Rue Neuve", country_code="FR"),
    )
    assert after.extra.get("address") == before.extra.get("address")  # country name kept


async def test_a_partial_address_keeps_the_street_number(
    adapter: ClubMedAdapter, upstream: Upstream, clubmed_sandbox: RunningSandbox
) -> None:
    """line1 reads "<number> <street>": a patch that does not name line1 keeps both."""
    client = ClubMedClient(upstream, settings(clubmed_sandbox.url))
    address = {"number": "12", "street": "Rue de la Paix", "city": "Paris", "zip_code": "75002"}
    identity = {"first_name": "Ada", "last_name": unique("Number")}
    native_id = await client.create_customer(
        {"identity": identity, "address": address | {"country_code": "FR"}}
    )
    city = await adapter.update_customer(
        native_id, CustomerPatch(address=AddressPatch(city="Lyon"))
    )
    assert city.addresses == (
        Address("12 Rue de la Paix", city="Lyon", postal_code="75002", country_code="FR"),
    )
    street = await adapter.update_customer(
        native_id, CustomerPatch(address=AddressPatch(line1="3 Rue Neuve"))
    )
    assert street.addresses[0].line1 == "3 Rue Neuve"  # the number went with the old street


async def test_an_empty_patch_sends_no_patch(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox, created: Customer
) -> None:
    same = await adapter.update_customer(created.native_id, CustomerPatch())
    assert same == created
    assert calls(clubmed_sandbox) == {PROFILE: 1}


async def test_clearing_a_required_name_is_bad_input(
    adapter: ClubMedAdapter, created: Customer
) -> None:
    with pytest.raises(UpstreamBadRequest) as caught:
        await adapter.update_customer(created.native_id, CustomerPatch(first_name=None))
    assert caught.value.field == "first_name"


# --- travelers ---------------------------------------------------------------------------


async def test_list_the_seed_travelers(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    [jane] = await adapter.list_travelers(SEED_ID)
    assert (jane.native_id, jane.customer_native_id, jane.first_name, jane.last_name) == (
        "traveler-1",
        SEED_ID,
        "Jane",
        "Doe",
    )
    assert calls(clubmed_sandbox) == {"GET /v1/customers/{customer_id}/travelers": 1}


# --- accept-language ---------------------------------------------------------------------


@pytest.fixture
async def seen_headers(
    clubmed_sandbox: RunningSandbox,
) -> AsyncIterator[tuple[ClubMedAdapter, list[httpx.Headers]]]:
    """An adapter whose transport notes every request's headers."""
    seen: list[httpx.Headers] = []

    async def note(request: httpx.Request) -> None:
        seen.append(request.headers)

    async with upstream_for(
        Backend.CLUBMED, clubmed_sandbox.url, transport=NotingTransport(note)
    ) as upstream:
        yield ClubMedAdapter(ClubMedClient(upstream, settings(clubmed_sandbox.url))), seen


@pytest.mark.parametrize(
    "asked, sent",
    [("de-DE,de;q=0.9,en;q=0.5", "de-DE"), ("fr", "fr"), ("*", "en-US"), (None, "en-US")],
)
async def test_accept_language_comes_from_the_call_context(
    seen_headers: tuple[ClubMedAdapter, list[httpx.Headers]], asked: str | None, sent: str
) -> None:
    adapter, seen = seen_headers
    token = current_call.set(CallContext(accept_language=asked)) if asked else None
    try:
        await adapter.get_customer(SEED_ID)
        await adapter.search(CustomerFilter(last_name="Smith"), PageRequest())
    finally:
        if token is not None:
            current_call.reset(token)
    api_calls = [h for h in seen if "x-api-key" in h]
    assert len(api_calls) == 2
    assert all(h["accept-language"] == sent for h in api_calls)
    assert all(h["x-api-key"] == credentials.CLUBMED_API_KEY for h in api_calls)
    assert all(h["authorization"].startswith("Bearer ") for h in api_calls)


# --- travel documents --------------------------------------------------------------------


def _documents(found: list[TravelDocument]) -> list[tuple[object, ...]]:
    return [(d.native_id, d.type, d.number, d.expiration_date, d.issuing_country) for d in found]


async def test_the_seed_passport(adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox) -> None:
    found = await adapter.list_travel_documents(SEED_ID)
    assert _documents(found) == [
        ("passport", TravelDocumentType.PASSPORT, "XX123456", date(2030, 7, 1), "FR")
    ]
    assert found[0].customer_native_id == SEED_ID
    assert calls(clubmed_sandbox) == {DOCUMENTS: 1}


async def test_create_every_kind_of_document(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox, created: Customer
) -> None:
    assert await adapter.list_travel_documents(created.native_id) == []
    clubmed_sandbox.app.counter.reset()
    found = await adapter.update_travel_documents(
        created.native_id,
        [
            TravelDocumentPatch(
                type=TravelDocumentType.PASSPORT,
                number="XX123456",
                expiration_date=date(2030, 7, 1),
                issuing_country="fr",
            ),
            TravelDocumentPatch(type=TravelDocumentType.ID_CARD, number="ID98765"),
            TravelDocumentPatch(type=TravelDocumentType.OTHER, number="DL55555"),
            TravelDocumentPatch(
                type=TravelDocumentType.VISA, number="V12345", issuing_country="US"
            ),
        ],
    )
    assert _documents(found) == [
        ("passport", TravelDocumentType.PASSPORT, "XX123456", date(2030, 7, 1), "FR"),
        ("id_card", TravelDocumentType.ID_CARD, "ID98765", None, None),
        ("driving_licence", TravelDocumentType.OTHER, "DL55555", None, None),
        ("visa-1", TravelDocumentType.VISA, "V12345", None, "US"),
    ]
    # Visas are replaced whole, so the current list is read first; then PATCH, read back.
    assert calls(clubmed_sandbox) == {DOCUMENTS: 2, DOCUMENTS_PATCH: 1}
    assert await adapter.list_travel_documents(created.native_id) == found


async def test_patch_documents_key_by_key(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox, created: Customer
) -> None:
    await adapter.update_travel_documents(
        created.native_id,
        [
            TravelDocumentPatch(
                type=TravelDocumentType.PASSPORT,
                number="XX123456",
                expiration_date=date(2030, 7, 1),
                issuing_country="FR",
            ),
            TravelDocumentPatch(type=TravelDocumentType.ID_CARD, number="ID98765"),
            TravelDocumentPatch(type=TravelDocumentType.VISA, number="V11111"),
            TravelDocumentPatch(type=TravelDocumentType.VISA, number="V22222"),
        ],
    )
    clubmed_sandbox.app.counter.reset()
    found = await adapter.update_travel_documents(
        created.native_id,
        [
            TravelDocumentPatch("passport", expiration_date=date(2031, 1, 31)),
            TravelDocumentPatch("id_card", type=None),  # removed
        ],
    )
    assert calls(clubmed_sandbox) == {DOCUMENTS_PATCH: 1, DOCUMENTS: 1}  # no visas: no read first
    assert _documents(found) == [
        ("passport", TravelDocumentType.PASSPORT, "XX123456", date(2031, 1, 31), "FR"),
        ("visa-1", TravelDocumentType.VISA, "V11111", None, None),
        ("visa-2", TravelDocumentType.VISA, "V22222", None, None),
    ]
    found = await adapter.update_travel_documents(
        created.native_id,
        [
            TravelDocumentPatch("visa-2", expiration_date=date(2029, 5, 1), issuing_country="GB"),
            TravelDocumentPatch("visa-1", type=None),
            TravelDocumentPatch("passport", issuing_country=None),
        ],
    )
    assert _documents(found) == [
        ("passport", TravelDocumentType.PASSPORT, "XX123456", date(2031, 1, 31), None),
        ("visa-1", TravelDocumentType.VISA, "V22222", date(2029, 5, 1), "GB"),
    ]


async def test_a_document_patch_keeps_what_the_model_does_not_hold(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    """The generated passports carry a nationality; a patch never sends it, so it stays."""
    store = clubmed_sandbox.app.state.store
    slot = next(s for s in range(299, 200, -1) if store.documents_of(s)["passport"])
    native_id = store.record(slot)["id"]
    [before] = await adapter.list_travel_documents(native_id)
    [after] = await adapter.update_travel_documents(
        native_id, [TravelDocumentPatch("passport", number="ZZ99999")]
    )
    assert after.number == "ZZ99999"
    assert (after.expiration_date, after.issuing_country) == (
        before.expiration_date,
        before.issuing_country,
    )
    assert store.documents_of(slot)["passport"]["nationality"] is not None


async def test_an_unknown_document_is_not_found_before_any_call(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox, created: Customer
) -> None:
    with pytest.raises(UpstreamNotFound):
        await adapter.update_travel_documents(
            created.native_id, [TravelDocumentPatch("doc-1", number="AB12345")]
        )
    with pytest.raises(UpstreamNotFound):
        await adapter.update_travel_documents(
            created.native_id, [TravelDocumentPatch("visa-1", number="AB12345")]
        )
    assert calls(clubmed_sandbox) == {DOCUMENTS: 1}  # the visas read; nothing written


async def test_a_limit_of_zero_still_tells_the_total(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    page = await adapter.search(CustomerFilter(last_name="Smith"), PageRequest(0, 0))
    assert page.items == () and page.total is not None and page.total >= 1
    assert page.has_more is True
    assert calls(clubmed_sandbox) == {SEARCH: 1}


async def test_a_new_document_of_a_kind_held_is_a_conflict_naming_it(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox
) -> None:
    """The seed customer has a passport: a new one (no id) would replace it unnamed."""
    with pytest.raises(UpstreamConflict) as caught:
        await adapter.update_travel_documents(
            SEED_ID, [TravelDocumentPatch(type=TravelDocumentType.PASSPORT, number="YY98765")]
        )
    assert (caught.value.existing, caught.value.field) == ("passport", "documents")
    assert calls(clubmed_sandbox) == {DOCUMENTS: 1}  # read, nothing written
    [passport] = await adapter.list_travel_documents(SEED_ID)
    assert passport.number == "XX123456"


async def test_two_new_documents_of_one_kind_are_refused_before_any_call(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox, created: Customer
) -> None:
    licence = TravelDocumentPatch(type=TravelDocumentType.OTHER, number="DL55555")
    with pytest.raises(UpstreamBadRequest) as caught:
        await adapter.update_travel_documents(created.native_id, [licence, licence])
    assert caught.value.field == "documents"
    assert calls(clubmed_sandbox) == {}
