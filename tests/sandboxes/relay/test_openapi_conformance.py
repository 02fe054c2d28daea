"""The Relay sandbox answers as its OpenAPI document says: every operation called with a
realistic request, every answer (and every accepted request) validated against the document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sandboxes import FaultSettings
from tests.conftest import RunningSandbox
from tests.sandboxes.openapi_conformance import Conformance
from tests.sandboxes.relay.conftest import (
    KEY,
    SEED_CCID,
    customer,
    customer_url,
    load_body,
    load_url,
    new_ccid,
)

SWEEP = 30  # generated customers read


@pytest.fixture
def conformance(relay_sandbox: RunningSandbox) -> Conformance:
    return Conformance(httpx.get(f"{relay_sandbox.url}/openapi.json").json())


@pytest.fixture
def checked(relay_sandbox: RunningSandbox, conformance: Conformance) -> Iterator[httpx.Client]:
    with conformance.client(relay_sandbox.url, headers=KEY) as http:
        yield http


def test_every_operation_answers_as_documented(
    relay_sandbox: RunningSandbox, conformance: Conformance, checked: httpx.Client
) -> None:
    full = customer()
    sparse: dict[str, Any] = {
        "ccid": new_ccid("OAS"),
        "middle_name": None,
        "date_of_birth": None,
        "addresses": [{"city": "Radnor", "state_province": None, "country": "US"}],
        "notification_channels": [
            {"channel_type": "sms", "channel_addr": "16105551213", "consent_type": None}
        ],
        "ext": None,
    }
    bare: dict[str, Any] = {"ccid": new_ccid("OAS")}
    for record in (full, sparse, bare):
        assert checked.post(load_url(), json=load_body(record)).status_code == 200
        assert checked.get(customer_url(record["ccid"])).status_code == 200
    store = relay_sandbox.app.state.store
    for ccid in [SEED_CCID, *(store.generated_ccid(n) for n in range(SWEEP))]:
        assert checked.get(customer_url(ccid)).status_code == 200
    assert conformance.exercised == conformance.operation_ids


def test_error_answers_are_documented(
    relay_sandbox: RunningSandbox, conformance: Conformance, checked: httpx.Client
) -> None:
    assert checked.get(customer_url("NO-SUCH-CCID")).status_code == 404
    assert checked.get(customer_url("X" * 101)).status_code == 400
    assert checked.post(load_url(), json=load_body(customer(ccid=SEED_CCID))).status_code == 409
    bad = customer(addresses=[{"state_province": "Pennsylvania"}])
    assert checked.post(load_url(), json=load_body(bad)).status_code == 400
    wrong_key = {"xx-relay-api-key": "wrong"}
    assert checked.get(customer_url(SEED_CCID), headers=wrong_key).status_code == 401
    relay_sandbox.app.faults.settings = FaultSettings(error_rate=1.0)
    assert checked.get(customer_url(SEED_CCID)).status_code == 500
    assert conformance.exercised == set()
