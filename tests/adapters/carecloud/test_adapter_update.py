"""update_customer on CareCloud: read, merge, PUT; patch semantics and the conflict check."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import httpx
import pytest

from adapters.carecloud.adapter import CareCloudAdapter
from adapters.carecloud.client import CareCloudClient, CareCloudSettings
from adapters.errors import UpstreamBadRequest, UpstreamConflict
from adapters.model import Address, AddressPatch, CustomerPatch, Gender, Phone
from adapters.upstream import Upstream
from tests.adapters.carecloud.conftest import settings
from tests.conftest import RunningSandbox
from tests.sandboxes.carecloud.conftest import new_email, unique

pytestmark = pytest.mark.anyio


@pytest.fixture
def auth(carecloud_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {carecloud_token}"}


async def _create_raw(http: httpx.AsyncClient, auth: dict[str, str], **fields: Any) -> str:
    """A customer with fields the model does not know, created straight through the API."""
    info: dict[str, Any] = {
        "gender": 3,  # Miss
        "first_name": "Eva",
        "last_name": unique("Merge"),
        "email": new_email(),
        "phone": "420601234567",
        "birthdate": "1988-08-08",
        "language_id": "cs",
        "store_id": "8bed991c68a4",
        "address": {
            "address1": "Národní",
            "address2": "12",
            "address4": "floor 3",
            "zip": "11000",
            "city": "Praha",
            "country_code": "cz",
        },
        "agreement": {
            "agreement_gtc": 1,
            "custom_agreements": [{"agreement_id": "newsletter_x", "agreement_value": 2}],
        },
    }
    info.update(fields)
    body = {
        "customer": {"personal_information": info},
        "customer_source": {"customer_source_id": "s"},
        "autologin": False,
    }
    response = await http.post("/customers", json=body, headers=auth)
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["customer_id"])


async def _stored(
    http: httpx.AsyncClient, auth: dict[str, str], customer_id: str
) -> dict[str, Any]:
    response = await http.get(f"/customers/{customer_id}", headers=auth)
    info: dict[str, Any] = response.json()["data"]["personal_information"]
    return info


async def test_left_out_keeps_none_clears_and_unknown_fields_survive(
    adapter: CareCloudAdapter, http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    customer_id = await _create_raw(http, auth)
    before = await adapter.get_customer(customer_id)
    updated = await adapter.update_customer(
        customer_id, CustomerPatch(first_name="Eve", birthdate=None, gender=Gender.FEMALE)
    )
    assert (updated.first_name, updated.birthdate, updated.gender) == ("Eve", None, Gender.FEMALE)
    for name in ("last_name", "email", "phones", "addresses", "locale", "consents"):
        assert getattr(updated, name) == getattr(before, name), name
    stored = await _stored(http, auth, customer_id)
    assert "birthdate" not in stored
    assert stored["gender"] == 3  # FEMALE already: Miss is kept
    assert stored["store_id"] == "8bed991c68a4"
    assert stored["address"]["address4"] == "floor 3"
    assert stored["agreement"]["custom_agreements"] == [
        {"agreement_id": "newsletter_x", "agreement_value": 2}
    ]
    assert updated.extra["unset_consents"] == ("newsletter_x",)


async def test_every_patchable_field_round_trips(
    adapter: CareCloudAdapter, http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    customer_id = await _create_raw(http, auth)
    email = new_email()
    patch = CustomerPatch(
        first_name="Ada",
        last_name="Lovelace",
        email=email,
        birthdate=date(1815, 12, 10),
        gender=Gender.MALE,
        phones=(Phone("+44 20 7946 0000"),),
        address=AddressPatch(
            line1="12 St James's Square",
            line2=None,
            city="London",
            postal_code="SW1Y 4JH",
            country_code="GB",
        ),
        locale="en",
    )
    updated = await adapter.update_customer(customer_id, patch)
    assert (updated.first_name, updated.last_name, updated.email) == ("Ada", "Lovelace", email)
    assert (updated.birthdate, updated.gender, updated.locale) == (
        date(1815, 12, 10),
        Gender.MALE,
        "en",
    )
    assert [p.number for p in updated.phones] == ["+442079460000"]
    assert updated.addresses == (
        Address("12 St James's Square", None, None, "London", "SW1Y 4JH", None, "GB"),
    )
    stored = await _stored(http, auth, customer_id)
    assert stored["address"]["address4"] == "floor 3"  # the model's address does not own address4
    assert (stored["gender"], stored["language_id"]) == (1, "en")


async def test_a_partial_address_changes_only_the_keys_it_names(
    adapter: CareCloudAdapter, http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    customer_id = await _create_raw(http, auth)
    before = await _stored(http, auth, customer_id)
    updated = await adapter.update_customer(
        customer_id, CustomerPatch(address=AddressPatch(city="Brno", line2=None))
    )
    assert updated.addresses == (Address("Národní", None, None, "Brno", "11000", None, "CZ"),)
    stored = await _stored(http, auth, customer_id)
    expected = {k: v for k, v in before["address"].items() if k != "address2"}
    assert stored["address"] == expected | {"city": "Brno"}  # address4 kept


@pytest.mark.parametrize(
    "patch, field",
    [
        (CustomerPatch(middle_name="Marie"), "middleName"),
        (CustomerPatch(locale=None), "locale"),
        (CustomerPatch(phones=(Phone("+331"), Phone("+332"))), "phones"),
        (CustomerPatch(locale="cs-CZ"), "locale"),
        (CustomerPatch(address=AddressPatch(region="Praha")), "address.region"),
    ],
)
async def test_what_carecloud_cannot_hold_is_refused_before_any_call(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox, patch: CustomerPatch, field: str
) -> None:
    with pytest.raises(UpstreamBadRequest) as caught:
        await adapter.update_customer("8ea6abece4cd0a4ded0a29f093", patch)
    assert caught.value.field == field
    assert carecloud_sandbox.app.counter.snapshot() == {}


async def test_an_upstream_refusal_names_the_field(
    adapter: CareCloudAdapter, http: httpx.AsyncClient, auth: dict[str, str]
) -> None:
    customer_id = await _create_raw(http, auth)
    with pytest.raises(UpstreamConflict) as caught:  # a taken email: 400 already_exists
        await adapter.update_customer(
            customer_id, CustomerPatch(email="happy_customer@crmcarecloud.com")
        )
    assert (caught.value.field, caught.value.reason) == ("email", "ALREADY_EXISTS")


Intrusion = Callable[[str], Awaitable[None]]


class IntrudedAdapter(CareCloudAdapter):
    """An adapter whose record another client changes between its read and its re-read."""

    def __init__(self, upstream: Upstream, settings: CareCloudSettings, intrude: Intrusion) -> None:
        super().__init__(CareCloudClient(upstream, settings))
        self._intrude = intrude

    async def _confirm_unchanged(self, native_id: str, seen: dict[str, Any]) -> None:
        await self._intrude(native_id)
        await super()._confirm_unchanged(native_id, seen)


async def test_a_put_by_another_client_in_between_is_a_conflict(
    http: httpx.AsyncClient,
    upstream: Upstream,
    auth: dict[str, str],
    carecloud_sandbox: RunningSandbox,
) -> None:
    customer_id = await _create_raw(http, auth)

    async def rename(native_id: str) -> None:
        info = await _stored(http, auth, native_id)
        body = {"customer": {"personal_information": {**info, "first_name": "Someone else"}}}
        assert (
            await http.put(f"/customers/{native_id}", json=body, headers=auth)
        ).status_code == 204

    carecloud_sandbox.app.counter.reset()
    with pytest.raises(UpstreamConflict) as caught:
        await IntrudedAdapter(upstream, settings(), rename).update_customer(
            customer_id, CustomerPatch(last_name="Mine")
        )
    assert caught.value.code == "CONFLICT"
    assert (
        carecloud_sandbox.app.counter.snapshot()["PUT /customers/{customer_id}"] == 1
    )  # the intruder's only
    stored = await _stored(http, auth, customer_id)
    assert (stored["first_name"], stored["last_name"]) != ("Someone else", "Mine")
    assert stored["first_name"] == "Someone else"


async def test_a_moved_last_change_alone_is_a_conflict(
    http: httpx.AsyncClient,
    upstream: Upstream,
    auth: dict[str, str],
    carecloud_sandbox: RunningSandbox,
) -> None:
    """A PUT of the same content still moves last_change (a generated record dates from 2024-25)."""
    customer_id = carecloud_sandbox.app.state.store.generated_id(17)

    async def touch(native_id: str) -> None:
        info = await _stored(http, auth, native_id)
        body = {"customer": {"personal_information": info}}
        assert (
            await http.put(f"/customers/{native_id}", json=body, headers=auth)
        ).status_code == 204

    with pytest.raises(UpstreamConflict):
        await IntrudedAdapter(upstream, settings(), touch).update_customer(
            customer_id, CustomerPatch(first_name="X")
        )


async def test_a_changed_record_with_the_same_last_change_is_a_conflict(
    http: httpx.AsyncClient,
    upstream: Upstream,
    auth: dict[str, str],
    carecloud_sandbox: RunningSandbox,
) -> None:
    """last_change has one-second resolution: two writes in one second keep it; the record differs."""
    customer_id = await _create_raw(http, auth)
    store = carecloud_sandbox.app.state.store

    async def same_second(native_id: str) -> None:
        slot = store.slot_of(native_id)
        record = store.record(slot)
        store.replace(
            slot,
            {**record["personal_information"], "first_name": "Same second"},
            record["last_change"],
        )

    with pytest.raises(UpstreamConflict):
        await IntrudedAdapter(upstream, settings(), same_second).update_customer(
            customer_id, CustomerPatch(first_name="Y")
        )
