"""Contract tests of the Relay sandbox's customer routes over loopback HTTP, written from the
seed and docs/backends/relay.md."""

from __future__ import annotations

import httpx
import pytest

from adapters.model import Backend
from sandboxes.common.people import people_for
from tests.conftest import TEST_SANDBOX_CONFIG, RunningSandbox
from tests.sandboxes.relay.conftest import (
    CUSTOMER_ROUTE,
    LOAD_ROUTE,
    SEED_CCID,
    SEED_EXAMPLE,
    customer,
    customer_url,
    load_body,
    load_url,
    new_ccid,
)

# --- retrieve --------------------------------------------------------------------------


def test_the_seed_record_is_the_docs_example(
    api: httpx.Client, relay_sandbox: RunningSandbox
) -> None:
    response = api.get(customer_url(SEED_CCID))
    assert response.status_code == 200
    assert response.json() == SEED_EXAMPLE
    assert relay_sandbox.app.counter.snapshot() == {CUSTOMER_ROUTE: 1}


def test_generated_people_are_rendered_in_relays_formats(api: httpx.Client) -> None:
    people = list(
        people_for(Backend.RELAY, TEST_SANDBOX_CONFIG.customers, TEST_SANDBOX_CONFIG.seed)
    )
    for who in (people[0], people[1], people[-1]):
        body = api.get(customer_url(f"RLY-{who.index:07d}")).json()
        assert body["ccid"] == f"RLY-{who.index:07d}"
        assert body["secondary_account_id"] == f"M{who.index:07d}"
        assert (body["first_name"], body["last_name"]) == (who.first_name, who.last_name)
        assert body.get("middle_name") == who.middle_name
        assert body["date_of_birth"] == who.birthdate.isoformat()
        assert body["gender"] == who.gender
        [address] = body["addresses"]
        assert address["city"] == who.place.city
        assert address["country"] == who.place.country_code
        assert len(address["country"]) == 2
        assert address.get("state_province") == who.place.region
        [channel] = body["notification_channels"]
        assert channel["channel_addr"] == "1" + who.phone_national
        assert channel["channel_addr"].isdigit() and len(channel["channel_addr"]) == 10
        assert channel["consent_type"] == ("written" if who.marketing_consent else "stop")
        assert body["ext"] == {
            "member_since": str(who.member_since),
            "membership_level": who.loyalty_tier.lower(),
            "renewal_date": who.renewal_date.strftime("%m/%d/%Y"),
        }


def test_ccids_outside_the_generated_slice_are_unknown(api: httpx.Client) -> None:
    first = next(people_for(Backend.RELAY, TEST_SANDBOX_CONFIG.customers)).index
    for ccid in (f"RLY-{first - 1:07d}", f"RLY-{first + 300:07d}", f"RLY-{first}", "rly-0000270"):
        assert api.get(customer_url(ccid)).status_code == 404, ccid


def test_an_unknown_ccid_is_404_with_a_message(api: httpx.Client) -> None:
    response = api.get(customer_url("NOPE-0"))
    assert response.status_code == 404
    assert isinstance(response.json()["message"], str)


def test_a_ccid_longer_than_100_is_400(api: httpx.Client) -> None:
    response = api.get(customer_url("x" * 101))
    assert response.status_code == 400
    assert response.json()["field"] == "ccid"
    assert api.get(customer_url("x" * 100)).status_code == 404


# --- load-customer-record ----------------------------------------------------------------


def test_load_answers_200_and_the_record_reads_back_as_loaded(
    api: httpx.Client, relay_sandbox: RunningSandbox
) -> None:
    record = customer()
    response = api.post(load_url(), json=load_body(record))
    assert response.status_code == 200  # never 201 (docs/backends/relay.md#create)
    assert response.json() == {"message": f"Customer {record['ccid']} successfully loaded"}
    assert api.get(customer_url(record["ccid"])).json() == record
    assert relay_sandbox.app.counter.snapshot() == {LOAD_ROUTE: 1, CUSTOMER_ROUTE: 1}


def test_fields_never_set_are_left_out(api: httpx.Client) -> None:
    ccid = new_ccid()
    body = load_body({"ccid": ccid, "first_name": "Solo", "middle_name": None})
    assert api.post(load_url(), json=body).status_code == 200
    assert api.get(customer_url(ccid)).json() == {"ccid": ccid, "first_name": "Solo"}


@pytest.mark.parametrize("which", ["created", "seed", "generated"])
def test_an_existing_ccid_is_409_and_the_record_is_unchanged(api: httpx.Client, which: str) -> None:
    if which == "created":
        ccid = new_ccid()
        assert api.post(load_url(), json=load_body(customer(ccid=ccid))).status_code == 200
    else:
        ccid = SEED_CCID if which == "seed" else "RLY-0000270"
    before = api.get(customer_url(ccid)).json()
    again = api.post(load_url(), json=load_body(customer(ccid=ccid, first_name="Changed")))
    assert again.status_code == 409
    assert isinstance(again.json()["message"], str)
    assert api.get(customer_url(ccid)).json() == before
