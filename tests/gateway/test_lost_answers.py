"""A create whose answer is lost: the back end made the record, the connection dropped.

The create is never sent twice (a retry could make a duplicate); the gateway looks the
record up by its natural key (email on Club Med and CareCloud, the ccid on Relay) and
returns it, saying so in the response's `extensions`, when exactly one record matches.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from adapters.model import Backend
from sandboxes.common.faults import FaultSettings
from tests.gateway.conftest import Gateway

_serial = itertools.count()

CREATE = """mutation ($input: CreateCustomerInput!) {
  createCustomer(input: $input) { customer { id backend nativeId firstName lastName email } } }"""

# The create route of each back end, below its mount.
CREATE_ROUTES = {
    Backend.CLUBMED: ("/v1/customers", "POST /v1/customers"),
    Backend.CARECLOUD: ("/customers", "POST /customers"),
    Backend.RELAY: ("/cdm/client/", "POST /cdm/client/{client_id}/load-customer-record"),
}


def _draft(backend: Backend, **fields: Any) -> dict[str, Any]:
    n = next(_serial)
    draft: dict[str, Any] = {
        "backend": backend.name,
        "firstName": "Lena",
        "lastName": f"Lostanswer{n}",
        "birthdate": "1991-04-05",
    }
    if backend is Backend.RELAY:
        draft["nativeId"] = f"LOST-ANSWER-{n}"
    else:
        draft["email"] = f"lena.lostanswer{n}@example.com"
    draft.update(fields)
    return draft


def _drop_creates(gateway: Gateway, backend: Backend) -> str:
    """The back end does each create, then cuts the connection mid-answer; the route's key."""
    prefix, route = CREATE_ROUTES[backend]
    gateway.sandboxes[backend].app.faults.settings = FaultSettings(
        drop_rate=1.0, methods=("POST",), path_prefix=prefix
    )
    return route


@pytest.mark.parametrize("backend", list(Backend))
def test_a_lost_create_answer_returns_the_record_made(gateway: Gateway, backend: Backend) -> None:
    route = _drop_creates(gateway, backend)
    draft = _draft(backend)
    body = gateway.query(CREATE, {"input": draft})
    assert "errors" not in body, body
    customer = body["data"]["createCustomer"]["customer"]
    assert (customer["backend"], customer["lastName"]) == (backend.name, draft["lastName"])
    recovered = body["extensions"]["recovered"]
    assert recovered == [
        {"path": ["createCustomer"], "backend": backend.name, "message": recovered[0]["message"]}
    ]
    assert gateway.sandboxes[backend].app.counter.snapshot()[route] == 1  # never sent twice
    gateway.reset()
    reread = gateway.query(
        "query ($id: ID!) { customer(id: $id) { lastName } }", {"id": customer["id"]}
    )
    assert reread["data"]["customer"] == {"lastName": draft["lastName"]}


@pytest.mark.parametrize("backend", [Backend.CLUBMED, Backend.CARECLOUD])
def test_without_an_email_a_lost_create_answer_stays_an_error(
    gateway: Gateway, backend: Backend
) -> None:
    route = _drop_creates(gateway, backend)
    draft = _draft(backend)
    del draft["email"]
    body = gateway.query(CREATE, {"input": draft})
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UPSTREAM_ERROR"]
    assert "extensions" not in body or "recovered" not in body["extensions"]
    assert gateway.sandboxes[backend].app.counter.snapshot()[route] == 1


def test_a_record_that_differs_from_what_was_sent_is_not_taken_for_it(gateway: Gateway) -> None:
    """On Relay the ccid is the key: a record already there under other names is not ours."""
    existing = _draft(Backend.RELAY)
    assert "errors" not in gateway.query(CREATE, {"input": existing})
    gateway.reset_counters()
    route = _drop_creates(gateway, Backend.RELAY)
    body = gateway.query(
        CREATE, {"input": {**existing, "firstName": "Somebody", "lastName": "Else"}}
    )
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UPSTREAM_ERROR"]
    assert gateway.sandboxes[Backend.RELAY].app.counter.snapshot()[route] == 1
