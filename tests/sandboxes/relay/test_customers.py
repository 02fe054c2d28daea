"""Contract tests of the Relay sandbox over loopback HTTP, written from the seed and BACKENDS.md §3."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from starlette.routing import Route

from adapters.model import Backend
from sandboxes.common import credentials
from sandboxes.common.config import SandboxConfig
from sandboxes.common.faults import FaultSettings
from sandboxes.common.people import people_for
from sandboxes.relay.app import create_app
from tests.conftest import TEST_SANDBOX_CONFIG, RunningSandbox
from tests.sandboxes.relay.conftest import (
    CUSTOMER_ROUTE,
    KEY,
    LOAD_ROUTE,
    SEED_CCID,
    SEED_EXAMPLE,
    customer,
    customer_url,
    load_body,
    load_url,
    new_ccid,
)

UNAUTHORIZED = {"message": "The API token does not have authorization to the requested resource"}

# --- auth ------------------------------------------------------------------------------


def _requests(url: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    """(method, URL template with {} for the client_id, body) of each route."""
    return [
        ("GET", url + f"/cdm/client/{{}}/customer/{SEED_CCID}", None),
        ("POST", url + "/cdm/client/{}/load-customer-record", load_body()),
    ]


@pytest.mark.parametrize(
    ("headers", "client_id"),
    [
        ({}, credentials.RELAY_CLIENT_ID),
        ({"xx-relay-api-key": "wrong-key"}, credentials.RELAY_CLIENT_ID),
        ({"xx-relay-api-key": ""}, credentials.RELAY_CLIENT_ID),
        (KEY, "another-client"),
    ],
    ids=["missing key", "wrong key", "empty key", "unknown client_id"],
)
def test_every_route_wants_the_key_and_its_client_id(
    relay_sandbox: RunningSandbox, headers: dict[str, str], client_id: str
) -> None:
    for method, template, body in _requests(relay_sandbox.url):
        response = httpx.request(method, template.format(client_id), headers=headers, json=body)
        assert response.status_code == 401, (method, response.text)
        assert response.json() == UNAUTHORIZED
    # Nothing was loaded by the refused POST.
    assert relay_sandbox.app.state.store.exists(SEED_CCID)


def test_the_key_header_is_case_insensitive_like_any_http_header(api: httpx.Client) -> None:
    response = api.get(
        customer_url(SEED_CCID), headers={"XX-Relay-API-Key": credentials.RELAY_API_KEY}
    )
    assert response.status_code == 200


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


def test_a_server_error_comes_from_the_fault_middleware(
    api: httpx.Client, relay_sandbox: RunningSandbox
) -> None:
    relay_sandbox.app.faults.settings = FaultSettings(error_rate=1.0)
    assert api.get(customer_url(SEED_CCID)).status_code == 500
    assert api.post(load_url(), json=load_body()).status_code == 500


def test_generation_is_lazy_and_fast_for_100000_customers() -> None:
    started = time.perf_counter()
    app = create_app(SandboxConfig(customers=100_000, seed=42))
    assert time.perf_counter() - started < 1.0
    store = app.state.store
    last = store.get(store.generated_ccid(99_999))
    assert last is not None and last["ccid"] == store.generated_ccid(99_999)


def test_the_openapi_document_lists_the_served_routes(relay_sandbox: RunningSandbox) -> None:
    document = httpx.get(f"{relay_sandbox.url}/openapi.json").json()
    assert document["openapi"].startswith("3.0")
    served = {
        route.path
        for route in relay_sandbox.app.app.routes
        if isinstance(route, Route) and route.path.startswith("/cdm/")
    }
    assert set(document["paths"]) == served
    load = document["paths"]["/cdm/client/{client_id}/load-customer-record"]["post"]
    assert set(load["responses"]) == {"200", "400", "401", "409", "500"}


# --- load-customer-record ----------------------------------------------------------------


def test_load_answers_200_and_the_record_reads_back_as_loaded(
    api: httpx.Client, relay_sandbox: RunningSandbox
) -> None:
    record = customer()
    response = api.post(load_url(), json=load_body(record))
    assert response.status_code == 200  # never 201 (BACKENDS.md §0 #6)
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


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    """A change of the load body at a dotted path ("customer.addresses[0].city")."""

    def change(body: dict[str, Any]) -> None:
        node: Any = body
        parts = path.replace("[", ".").replace("]", "").split(".")
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node[part]
        node[parts[-1]] = value

    return change


LENGTH_LIMITS = [
    ("product_group_id", 100),
    ("customer.ccid", 100),
    ("customer.secondary_account_id", 100),
    ("customer.first_name", 100),
    ("customer.middle_name", 100),
    ("customer.last_name", 100),
    ("customer.ssn_last4", 4),
    ("customer.gender", 1),
    ("customer.addresses[0].address1", 100),
    ("customer.addresses[0].address2", 100),
    ("customer.addresses[0].city", 100),
    ("customer.addresses[0].state_province", 2),
    ("customer.addresses[0].postal_code", 10),
    ("customer.addresses[0].country", 2),
    ("customer.notification_channels[0].phone_type", 10),
]


@pytest.mark.parametrize(("path", "maximum"), LENGTH_LIMITS)
def test_a_string_over_its_maximum_length_is_400_naming_the_field(
    api: httpx.Client, path: str, maximum: int
) -> None:
    at_limit, over = load_body(), load_body()
    digits = path.endswith("ccid") or path.endswith("ssn_last4")
    _set(path, ("7" if digits else "A") * maximum)(at_limit)
    _set(path, ("7" if digits else "A") * (maximum + 1))(over)
    response = api.post(load_url(), json=over)
    assert response.status_code == 400
    assert response.json()["field"] == path
    assert response.json()["message"]
    assert api.post(load_url(), json=at_limit).status_code == 200, path


def test_the_docs_own_country_example_usa_is_refused(api: httpx.Client) -> None:
    body = load_body()
    _set("customer.addresses[0].country", "USA")(body)
    response = api.post(load_url(), json=body)
    assert (response.status_code, response.json()["field"]) == (
        400,
        "customer.addresses[0].country",
    )


INVALID_VALUES = [
    ("customer.date_of_birth", "1990-02-30"),
    ("customer.date_of_birth", "03/12/1990"),
    ("customer.date_of_birth", "1990-3-12"),
    ("customer.notification_channels[0].channel_type", "email"),
    ("customer.notification_channels[0].channel_type", "SMS"),
    ("customer.notification_channels[0].consent_type", "maybe"),
    ("customer.notification_channels[0].channel_addr", "610555121"),
    ("customer.notification_channels[0].channel_addr", "610555121234"),
    ("customer.notification_channels[0].channel_addr", "+16105551212"),
    ("customer.notification_channels[0].channel_addr", "610-555-12"),
    ("customer.ext", ["gold"]),
    ("customer.ext", "gold"),
    ("customer.ext.membership_level", 3),
    ("customer.first_name", 42),
    ("customer.addresses", {"city": "Radnor"}),
    ("customer", "BAK-1"),
]


@pytest.mark.parametrize(("path", "value"), INVALID_VALUES)
def test_a_value_outside_the_rules_is_400_naming_the_field(
    api: httpx.Client, path: str, value: object
) -> None:
    body = load_body()
    _set(path, value)(body)
    response = api.post(load_url(), json=body)
    assert response.status_code == 400, response.text
    assert response.json()["field"] == path


@pytest.mark.parametrize("consent", ["written", "express", "stop"])
def test_each_documented_consent_type_is_taken(api: httpx.Client, consent: str) -> None:
    body = load_body()
    _set("customer.notification_channels[0].consent_type", consent)(body)
    _set("customer.notification_channels[0].channel_addr", "16175550100")(body)
    assert api.post(load_url(), json=body).status_code == 200


def test_more_than_50_notification_channels_is_400(api: httpx.Client) -> None:
    channels = [{"channel_type": "sms", "channel_addr": f"61755501{n:02d}"} for n in range(51)]
    response = api.post(load_url(), json=load_body(customer(notification_channels=channels)))
    assert response.status_code == 400
    assert response.json()["field"] == "customer.notification_channels"
    fifty = load_body(customer(notification_channels=channels[:50]))
    assert api.post(load_url(), json=fifty).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "product_group_id",
        "customer",
        "customer.ccid",
        "customer.notification_channels[0].channel_type",
        "customer.notification_channels[0].channel_addr",
    ],
)
def test_a_missing_required_field_is_400_naming_it(api: httpx.Client, path: str) -> None:
    body = load_body()
    parent, _, name = path.rpartition(".")
    node: Any = body
    if parent:
        for part in parent.replace("[", ".").replace("]", "").split("."):
            node = node[int(part)] if part.isdigit() else node[part]
    del node[name]
    response = api.post(load_url(), json=body)
    assert response.status_code == 400
    assert response.json()["field"] == path


@pytest.mark.parametrize(
    "path",
    [
        "nickname",
        "customer.email",
        "customer.addresses[0].address3",
        "customer.notification_channels[0].country_code",
    ],
)
def test_an_unknown_key_is_400_naming_it(api: httpx.Client, path: str) -> None:
    body = load_body()
    _set(path, "x")(body)
    response = api.post(load_url(), json=body)
    assert response.status_code == 400
    assert response.json()["field"] == path


@pytest.mark.parametrize("content", [b"{", b"not json", b"[]", b'"customer"'])
def test_a_body_that_is_not_a_json_object_is_400(api: httpx.Client, content: bytes) -> None:
    response = api.post(load_url(), content=content, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["message"]


def test_a_refused_record_is_not_stored(api: httpx.Client) -> None:
    record = customer(gender="MALE")
    assert api.post(load_url(), json=load_body(record)).status_code == 400
    assert api.get(customer_url(record["ccid"])).status_code == 404
