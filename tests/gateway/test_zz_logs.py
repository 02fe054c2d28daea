"""Runs last in tests/gateway (file order, after tests/fleet): the logs of the whole suite so
far hold no personal value the suite saw in a response, and no configured secret."""

from __future__ import annotations

from sandboxes.common import credentials
from tests.conftest import CAPTURED_LOGS
from tests.gateway.conftest import SEEN_PERSONAL_VALUES, TEST_JWT_SECRET, Gateway
from tests.redis_server import PASSWORD as REDIS_PASSWORD


def test_logs_hold_no_personal_value_and_no_secret(gateway: Gateway) -> None:
    # Make sure this test alone also produces logs with values in play.
    gateway.query(
        '{ customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007") { firstName lastName email birthdate } }'
    )
    gateway.query(
        '{ customers(filter: {lastName: "Smith", email: "nobody.secret@example.com"}) { totalCount } }'
    )
    gateway.query("{ customer(id: 42) { id } }")
    logs = "\n".join(CAPTURED_LOGS.lines)
    assert "request" in logs  # the access log line is there: the capture works
    assert len(SEEN_PERSONAL_VALUES) >= 10
    leaked = sorted(value for value in SEEN_PERSONAL_VALUES if value in logs)
    assert leaked == []
    assert "nobody.secret@example.com" not in logs  # a value typed into a query
    secrets = [
        TEST_JWT_SECRET,
        gateway.http.headers["authorization"].removeprefix("Bearer "),
        credentials.CLUBMED_CLIENT_SECRET,
        credentials.CLUBMED_API_KEY,
        credentials.CARECLOUD_PASSWORD,
        credentials.RELAY_API_KEY,
        REDIS_PASSWORD,  # tests/fleet ran before, in this process, with Redis in play
    ]
    assert [s for s in secrets if s in logs] == []
