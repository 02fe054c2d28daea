"""One person across back ends (issue 16), through HTTP on the sandboxes, calls counted.

The sandboxes' population shares people across back ends (`sandboxes.common.people`): with
3,000 customers each, persons 2,700 to 2,999 are in Club Med, CareCloud and Relay.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from adapters.model import Backend
from gateway.auth import PII, READ, STEWARD, WRITE
from gateway.config import ConfigError, Settings
from gateway.fleet.links import RedisLinkStore
from gateway.fleet.shared import open_shared_redis
from gateway.people import PERSON_CALLS, identity_store_path, open_identity
from sandboxes.common.faults import FaultSettings
from sandboxes.common.people import backends_of
from tests.gateway.conftest import GATEWAY_SANDBOX_CONFIG, Gateway, custom_gateway, token

EVERYWHERE = 2950  # a person every back end holds
CLUBMED_ID = f"{200_000_000 + EVERYWHERE}"
RELAY_ID = f"RLY-{EVERYWHERE:07d}"
SEARCH = {"clubmed": "GET /v1/customers", "carecloud": "GET /customers"}

PERSON = """
fragment Whole on Person {
  id
  records { customer { id backend nativeId phones { number e164 } } linkedBy score rules
            evidence { rule weight similarity } }
  firstName { value backend nativeId wonBy }
  lastName { value backend wonBy }
  email { value backend wonBy }
  birthdate { value backend wonBy }
  locale { value backend wonBy }
  phones { value { number e164 } backend wonBy }
  conflicts { field values { backend nativeId customerId wonBy } }
}
"""
BY_NATIVE_ID = (
    "query ($backend: Backend!, $id: String!) {"
    " customerByNativeId(backend: $backend, nativeId: $id) { id person { ...Whole } } }" + PERSON
)


def _person(gateway: Gateway, backend: str, native_id: str, **kw: Any) -> dict[str, Any]:
    body = gateway.query(BY_NATIVE_ID, {"backend": backend, "id": native_id}, **kw)
    assert "errors" not in body, body
    person: dict[str, Any] = body["data"]["customerByNativeId"]["person"]
    return person


def _keys(person: dict[str, Any]) -> set[tuple[str, str]]:
    return {(r["customer"]["backend"], r["customer"]["nativeId"]) for r in person["records"]}


def _searches(gateway: Gateway) -> dict[str, int]:
    return {name: gateway.calls(Backend(name)).get(route, 0) for name, route in SEARCH.items()}


def _total(gateway: Gateway) -> int:
    return sum(sum(gateway.calls(b).values()) for b in Backend)


def test_the_sandboxes_hold_the_person_in_every_back_end() -> None:
    assert backends_of(EVERYWHERE, GATEWAY_SANDBOX_CONFIG.customers) == frozenset(Backend)


def test_a_person_in_three_back_ends_is_one_person_from_each_of_its_records(
    gateway: Gateway,
) -> None:
    # From the Relay record first: Relay cannot be searched, so it is in a person found
    # from another record once the person was reached from it (or a steward linked it).
    from_relay = _person(gateway, "RELAY", RELAY_ID)
    keys = _keys(from_relay)
    assert {backend for backend, _ in keys} == {"CLUBMED", "CARECLOUD", "RELAY"}
    assert len(keys) == 3
    seed, *others = from_relay["records"]
    assert seed["linkedBy"] == "SEED" and seed["score"] is None
    assert all(r["linkedBy"] == "RULES" and r["score"] > 0.5 and r["rules"] for r in others)
    # Measured: Relay's record read once; Club Med searched twice (its phone, its name and
    # birthdate: Relay holds no e-mail) and its profile read for the merged values;
    # CareCloud searched twice and read once (one more GET /customers, and its loyalty).
    assert gateway.calls(Backend.RELAY) == {"GET /cdm/client/{client_id}/customer/{ccid}": 1}
    assert _searches(gateway) == {"clubmed": 2, "carecloud": 2 + 1}
    assert _total(gateway) <= 1 + PERSON_CALLS
    carecloud_id = next(n for b, n in keys if b == "CARECLOUD")
    for backend, native_id in (("CLUBMED", CLUBMED_ID), ("CARECLOUD", carecloud_id)):
        gateway.reset_counters()
        person = _person(gateway, backend, native_id)
        assert person["id"] == from_relay["id"]
        assert _keys(person) == keys
        assert person["records"][0]["customer"]["backend"] == backend
        # The Relay record, held by the person since, is read again (never searched).
        assert gateway.calls(Backend.RELAY) == {"GET /cdm/client/{client_id}/customer/{ccid}": 1}
        assert _total(gateway) <= 1 + PERSON_CALLS


def test_searches_are_shared_by_every_person_of_a_request(gateway: Gateway) -> None:
    _person(gateway, "CLUBMED", CLUBMED_ID)
    once = _searches(gateway)
    gateway.reset_counters()
    body = gateway.query(
        "query ($id: String!) {"
        " a: customerByNativeId(backend: CLUBMED, nativeId: $id) { person { id } }"
        " b: customerByNativeId(backend: CLUBMED, nativeId: $id) { person { ...Whole } } }"
        + PERSON,
        {"id": CLUBMED_ID},
    )
    assert "errors" not in body, body
    assert _searches(gateway) == once  # every search made once, whoever asked it


def test_a_person_is_read_again_by_its_global_id_and_as_a_node(gateway: Gateway) -> None:
    person = _person(gateway, "CLUBMED", CLUBMED_ID)
    body = gateway.query(
        "query ($id: ID!) { person(id: $id) { ...Whole }"
        " node(id: $id) { id ... on Person { records { customer { nativeId } } } } }" + PERSON,
        {"id": person["id"]},
    )
    assert "errors" not in body, body
    assert body["data"]["person"]["id"] == body["data"]["node"]["id"] == person["id"]
    assert _keys(body["data"]["person"]) == _keys(person)


def test_merged_values_say_where_they_come_from_and_conflicts_list_every_source(
    gateway: Gateway,
) -> None:
    person = _person(gateway, "RELAY", RELAY_ID)
    ids = {r["customer"]["id"] for r in person["records"]}
    for name in ("firstName", "lastName", "birthdate", "locale", "phones"):
        value = person[name]
        assert value is not None and value["backend"] in {"CLUBMED", "CARECLOUD", "RELAY"}
        assert value["wonBy"] in {"SOURCE_PRIORITY", "MOST_RECENT", "MOST_COMPLETE"}
    # The sandboxes write one person's phone in each back end's country: three numbers.
    assert person["phones"]["value"][0]["e164"].startswith("+")
    conflicts = {c["field"]: c["values"] for c in person["conflicts"]}
    assert "phones" in conflicts
    assert {v["customerId"] for v in conflicts["phones"]} == ids
    assert all(v["wonBy"] is None for v in conflicts["phones"])


def test_phones_show_their_e164_form_beside_the_stored_number(gateway: Gateway) -> None:
    body = gateway.query(
        "query ($id: String!) { customerByNativeId(backend: CLUBMED, nativeId: $id)"
        " { phones { number e164 } } }",
        {"id": CLUBMED_ID},
    )
    (phone,) = body["data"]["customerByNativeId"]["phones"]
    assert phone["number"].startswith("0")  # Club Med: the French national form
    assert phone["e164"] == "+33" + phone["number"][1:]


def test_people_lists_each_person_once_per_page(gateway: Gateway) -> None:
    person = _person(gateway, "CLUBMED", CLUBMED_ID)
    last_name = person["lastName"]["value"]
    gateway.reset_counters()
    body = gateway.query(
        "query ($last: String!) { people(filter: {lastName: $last}, first: 30) {"
        " edges { cursor node { id records { customer { backend nativeId } } } }"
        " pageInfo { hasNextPage endCursor } } }",
        {"last": last_name},
    )
    assert "errors" not in body, body
    edges = body["data"]["people"]["edges"]
    ids = [e["node"]["id"] for e in edges]
    assert len(ids) == len(set(ids)) and person["id"] in ids
    records = [k for e in edges for k in _keys(e["node"])]
    assert len(records) == len(set(records))  # no record in two persons
    assert body["data"]["people"]["pageInfo"]["endCursor"]


def test_the_cost_of_resolving_persons_is_counted_before_anything_is_sent(
    gateway: Gateway,
) -> None:
    response = gateway.post(
        '{ people(filter: {lastName: "Smith"}, first: 40) { edges { node { id } } } }'
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["cost"] == 2 + 40 * PERSON_CALLS
    assert all(gateway.calls(b) == {} for b in Backend)


CREATE = """
mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }
"""
LINK = (
    """
mutation ($a: ID!, $b: ID!) { linkCustomers(a: $a, b: $b) { person { ...Whole } } }
"""
    + PERSON
)
UNLINK = (
    """
mutation ($a: ID!, $b: ID!) {
  unlinkCustomers(a: $a, b: $b) { person { ...Whole } otherPerson { ...Whole } }
}
"""
    + PERSON
)


def _create(gateway: Gateway, **values: Any) -> str:
    body = gateway.query(CREATE, {"input": {"backend": "CARECLOUD", **values}})
    assert "errors" not in body, body
    created: str = body["data"]["createCustomer"]["customer"]["id"]
    return created


@pytest.fixture
def steward_gateway(gateway: Gateway, tmp_path: Path) -> Any:
    """A gateway with a store of its own: the decisions made here touch no other test."""
    with custom_gateway(gateway.sandboxes, identity_store=str(tmp_path / "links.sqlite")) as own:
        yield own
    gateway.reset()


def test_a_twin_is_kept_apart(steward_gateway: Gateway) -> None:
    gateway = steward_gateway
    person = _person(gateway, "CLUBMED", CLUBMED_ID)
    # A twin: same last name and birthdate, another first name and e-mail.
    twin = _create(
        gateway,
        firstName="Zdenka" if person["firstName"]["value"] != "Zdenka" else "Jarmila",
        lastName=person["lastName"]["value"],
        birthdate=person["birthdate"]["value"],
        email="twin.of.2950@example.org",
    )
    gateway.reset_counters()
    apart = _person(gateway, "CLUBMED", CLUBMED_ID)
    assert gateway.calls(Backend.CARECLOUD)["GET /customers"] >= 1  # the twin was found...
    assert twin not in {r["customer"]["id"] for r in apart["records"]}  # ...and kept out
    assert apart["id"] == person["id"] and _keys(apart) == _keys(person)
    body = gateway.query(
        "query ($id: ID!) { customer(id: $id) { person { ...Whole } } }" + PERSON, {"id": twin}
    )
    twins = body["data"]["customer"]["person"]
    assert twins["id"] != person["id"]
    assert [r["customer"]["id"] for r in twins["records"]] == [twin]


def test_a_stewards_link_and_unlink_override_the_rules_and_keep_the_id(
    steward_gateway: Gateway,
) -> None:
    gateway = steward_gateway
    # A store of its own: the Relay record was never reached, so from Club Med the person
    # is its Club Med and CareCloud records (Relay cannot be searched).
    person = _person(gateway, "CLUBMED", CLUBMED_ID)
    assert {b for b, _ in _keys(person)} == {"CLUBMED", "CARECLOUD"}
    seed = person["records"][0]["customer"]["id"]
    relay = gateway.query(
        "query ($id: String!) { customerByNativeId(backend: RELAY, nativeId: $id) { id } }",
        {"id": RELAY_ID},
    )["data"]["customerByNativeId"]["id"]

    linked = gateway.query(LINK, {"a": seed, "b": relay})
    assert "errors" not in linked, linked
    joined = linked["data"]["linkCustomers"]["person"]
    assert joined["id"] == person["id"]  # the person keeps its id as a record joins
    by_id = {r["customer"]["id"]: r for r in joined["records"]}
    assert by_id[relay]["linkedBy"] == "STEWARD"
    assert _keys(joined) == _keys(person) | {("RELAY", RELAY_ID)}
    later = _person(gateway, "CLUBMED", CLUBMED_ID)  # stored: a later request reaches it
    assert later["id"] == person["id"] and ("RELAY", RELAY_ID) in _keys(later)

    unlinked = gateway.query(UNLINK, {"a": seed, "b": relay})
    assert "errors" not in unlinked, unlinked
    kept = unlinked["data"]["unlinkCustomers"]["person"]
    alone = unlinked["data"]["unlinkCustomers"]["otherPerson"]
    assert kept["id"] == person["id"] and _keys(kept) == _keys(person)  # kept as one leaves
    assert alone["id"] != person["id"] and _keys(alone) == {("RELAY", RELAY_ID)}
    # The split overrides the rules, which match the Relay record on name and birthdate.
    again = _person(gateway, "RELAY", RELAY_ID)
    assert again["id"] == alone["id"] and _keys(again) == {("RELAY", RELAY_ID)}
    assert _person(gateway, "CLUBMED", CLUBMED_ID)["id"] == person["id"]


def _native(record: dict[str, Any]) -> str:
    native: str = record["customer"]["nativeId"]
    return native


def test_stewardship_needs_its_scope(steward_gateway: Gateway) -> None:
    gateway = steward_gateway
    person = _person(gateway, "CLUBMED", CLUBMED_ID)
    seed, other = (r["customer"]["id"] for r in person["records"][:2])
    headers = {"authorization": f"Bearer {token(READ, WRITE, PII)}"}
    for mutation in (LINK, UNLINK):
        body = gateway.query(mutation, {"a": seed, "b": other}, headers=headers)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert STEWARD in body["errors"][0]["message"]
    assert _keys(_person(gateway, "CLUBMED", CLUBMED_ID)) == _keys(person)  # nothing stored


def test_merged_values_and_conflicts_follow_the_scopes_of_their_fields(
    steward_gateway: Gateway,
) -> None:
    gateway = steward_gateway
    person = _person(gateway, "CLUBMED", CLUBMED_ID)
    seed = person["records"][0]["customer"]["id"]
    # A second CareCloud record of the person, born a day apart: a steward links it.
    born = person["birthdate"]["value"]
    other_day = born[:-2] + ("02" if born.endswith("01") else "01")
    typo = _create(
        gateway,
        firstName=person["firstName"]["value"],
        lastName=person["lastName"]["value"],
        birthdate=other_day,
        email="second.record.2950@example.org",
    )
    assert "errors" not in gateway.query(LINK, {"a": seed, "b": typo})
    document = (
        "query ($id: String!) { customerByNativeId(backend: CLUBMED, nativeId: $id) {"
        " person { id birthdate { value backend } firstName { value }"
        " records { customer { birthdate } rules evidence { rule similarity } }"
        " conflicts { field values { nativeId ... on SourcedDate { date: value } } } } } }"
    )
    full = gateway.query(document, {"id": CLUBMED_ID})
    assert "errors" not in full, full
    conflicts = {
        c["field"]: c["values"] for c in full["data"]["customerByNativeId"]["person"]["conflicts"]
    }
    assert {v["date"] for v in conflicts["birthdate"]} == {born, other_day}

    headers = {"authorization": f"Bearer {token(READ)}"}
    body = gateway.query(document, {"id": CLUBMED_ID}, headers=headers)
    seen = body["data"]["customerByNativeId"]["person"]
    assert seen["birthdate"] is None
    assert seen["firstName"]["value"] == person["firstName"]["value"]
    assert all(r["customer"]["birthdate"] is None for r in seen["records"])
    assert any(r["rules"] for r in seen["records"])  # which rule matched: shown
    conflict = {c["field"]: c["values"] for c in seen["conflicts"]}["birthdate"]
    assert [v["date"] for v in conflict] == [None] * len(conflicts["birthdate"])  # no value
    assert {v["nativeId"] for v in conflict} == {v["nativeId"] for v in conflicts["birthdate"]}
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert codes == {"FORBIDDEN"}
    assert born not in str(body) and other_day not in str(body)


def test_a_phone_in_international_form_finds_club_meds_national_form(gateway: Gateway) -> None:
    body = gateway.query(
        "query ($id: String!) { customerByNativeId(backend: CLUBMED, nativeId: $id)"
        " { phones { number e164 } } }",
        {"id": CLUBMED_ID},
    )
    (phone,) = body["data"]["customerByNativeId"]["phones"]
    e164 = phone["e164"]
    for written in (e164, f"{e164[:3]} {e164[3:4]} {e164[4:]}", "00" + e164[1:]):
        body = gateway.query(
            "query ($phone: String!) { customers(filter: {phone: $phone}, backends: [CLUBMED])"
            " { edges { node { nativeId phones { number } } } } }",
            {"phone": written},
        )
        assert "errors" not in body, body
        edges = body["data"]["customers"]["edges"]
        assert [e["node"]["nativeId"] for e in edges] == [CLUBMED_ID], written
        assert edges[0]["node"]["phones"][0]["number"] == phone["number"]  # as stored: 07...


def test_a_back_end_down_leaves_its_records_out_and_the_person_keeps_its_id(
    steward_gateway: Gateway,
) -> None:
    gateway = steward_gateway
    person = _person(gateway, "CLUBMED", CLUBMED_ID)
    assert {b for b, _ in _keys(person)} == {"CLUBMED", "CARECLOUD"}
    carecloud = gateway.sandboxes[Backend.CARECLOUD]
    carecloud.app.faults.settings = FaultSettings(error_rate=1.0)
    try:
        body = gateway.query(BY_NATIVE_ID, {"backend": "CLUBMED", "id": CLUBMED_ID})
    finally:
        carecloud.app.faults.settings = FaultSettings()
    partial = body["data"]["customerByNativeId"]["person"]
    assert partial["id"] == person["id"]  # not split by the outage
    assert {b for b, _ in _keys(partial)} == {"CLUBMED"}
    assert {e["extensions"].get("backend") for e in body["errors"]} == {"CARECLOUD"}
    assert _person(gateway, "CLUBMED", CLUBMED_ID)["id"] == person["id"]


def test_the_identity_store_is_in_the_users_temporary_directory_by_default(
    tmp_path: Path,
) -> None:
    default = identity_store_path(Settings())
    assert default.parent.parent == Path(tempfile.gettempdir())
    assert default.name == "identity.sqlite"
    chosen = tmp_path / "links.sqlite"
    assert identity_store_path(Settings(identity_store=str(chosen))) == chosen
    open_identity(Settings(identity_store=str(chosen)))
    assert chosen.is_file()


@pytest.mark.anyio
async def test_the_identity_store_is_the_fleets_redis_when_told() -> None:
    settings = Settings(identity_store="redis", redis_url="redis://127.0.0.1:9/0")
    with pytest.raises(ConfigError, match="GATEWAY_REDIS_URL"):
        open_identity(settings)  # no fleet to hold it
    shared = open_shared_redis("redis://127.0.0.1:9/0", password=None, prefix="p", timeout=1)
    assert isinstance(open_identity(settings, shared).store, RedisLinkStore)  # nothing sent
    await shared.aclose()


def test_a_persons_searches_start_together(steward_gateway: Gateway) -> None:
    gateway = steward_gateway
    document = (
        "query ($id: String!) { customerByNativeId(backend: RELAY, nativeId: $id)"
        " { person { records { customer { backend nativeId } } } } }"
    )
    assert "errors" not in gateway.query(document, {"id": RELAY_ID})
    # Every search answers after 0.4 s: four made one after another would take 1.6 s.
    slow = FaultSettings(latency_ms=400, methods=("GET",))
    gateway.sandboxes[Backend.CLUBMED].app.faults.settings = replace(slow, path_prefix="/v1/")
    gateway.sandboxes[Backend.CARECLOUD].app.faults.settings = replace(
        slow, path_prefix="/customers"
    )
    gateway.reset_counters()
    started = time.perf_counter()
    try:
        body = gateway.query(document, {"id": RELAY_ID})
    finally:
        for backend in (Backend.CLUBMED, Backend.CARECLOUD):
            gateway.sandboxes[backend].app.faults.settings = FaultSettings()
    elapsed = time.perf_counter() - started
    assert "errors" not in body, body
    assert _searches(gateway) == {"clubmed": 2, "carecloud": 2}
    assert elapsed < 1.0, elapsed
