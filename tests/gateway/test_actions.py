"""The verify actions over HTTP: the customer identified, INVALID_CREDENTIALS, the limit of
wrong secrets per login value (with real concurrent requests), and no secret in any log."""

from __future__ import annotations

import itertools
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from adapters.model import Backend
from gateway.auth import READ
from tests.conftest import CAPTURED_LOGS
from tests.gateway.conftest import Gateway, custom_gateway, token

EXAMPLE_ID = "09359095c5da43c7a78e11e710eabce49418715a6a"  # the actions' example customer
EXAMPLE_EMAIL = "happy_customer@cortex.cz"
EXAMPLE_PASSWORD = "password123_is_not_a_good_idea"
VERIFY_PATH = "POST /customers/actions/verify-credentials"
_serial = itertools.count(1)

PASSWORD = """mutation ($type: LoginType!, $value: String!, $password: String!, $backend: Backend) {
  verifyCustomerCredentials(loginType: $type, loginValue: $value, password: $password,
                            backend: $backend) { customer { id nativeId email } } }"""
SOCIAL = """mutation ($network: String!, $token: String!) {
  verifyCustomerSocialCredentials(network: $network, token: $token) { customer { nativeId } } }"""
AUTH_TOKEN = """mutation ($app: String!, $token: String!, $request: String!) {
  verifyCustomerAuthToken(applicationId: $app, token: $token, tokenRequestId: $request) {
    customer { nativeId } } }"""


def _password(gateway: Gateway, value: str, password: str, **more: Any) -> dict[str, Any]:
    variables = {"type": "EMAIL", "value": value, "password": password, **more}
    return gateway.query(PASSWORD, variables)


def _code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


def test_each_action_answers_the_customer_it_identifies(gateway: Gateway) -> None:
    body = _password(gateway, EXAMPLE_EMAIL, EXAMPLE_PASSWORD)
    assert "errors" not in body, body
    customer = body["data"]["verifyCustomerCredentials"]["customer"]
    assert (customer["nativeId"], customer["email"]) == (EXAMPLE_ID, EXAMPLE_EMAIL)
    assert gateway.calls(Backend.CARECLOUD) == {VERIFY_PATH: 1, "GET /customers/{customer_id}": 1}
    social = gateway.query(SOCIAL, {"network": "twitter", "token": "38e123j1jedu12d1jnjqwd"})
    assert social["data"]["verifyCustomerSocialCredentials"]["customer"]["nativeId"]
    example = {
        "app": "self_order_kiosk",
        "token": "a78e11e774f7f",
        "request": "e11e7a7f7f610ea8e11e774",
    }
    found = gateway.query(AUTH_TOKEN, example)
    assert found["data"]["verifyCustomerAuthToken"]["customer"]["nativeId"] == EXAMPLE_ID


def test_a_wrong_secret_is_invalid_credentials_showing_nothing_of_it(gateway: Gateway) -> None:
    wrong = "Wrong-Secret-Value-0001"
    bodies = [
        _password(gateway, EXAMPLE_EMAIL, wrong),
        gateway.query(SOCIAL, {"network": "twitter", "token": wrong}),
        gateway.query(
            AUTH_TOKEN,
            {"app": "self_order_kiosk", "token": wrong, "request": "e11e7a7f7f610ea8e11e774"},
        ),
    ]
    for body in bodies:
        assert body["data"] is None
        (error,) = body["errors"]
        assert error["extensions"] == {"code": "INVALID_CREDENTIALS", "backend": "CARECLOUD"}
        assert wrong not in str(body) and EXAMPLE_EMAIL not in str(body)


def test_a_back_end_that_cannot_verify_is_unsupported_with_nothing_sent(gateway: Gateway) -> None:
    body = _password(gateway, EXAMPLE_EMAIL, EXAMPLE_PASSWORD, backend="CLUBMED")
    assert body["errors"][0]["extensions"] == {"code": "UNSUPPORTED", "backend": "CLUBMED"}
    assert gateway.calls(Backend.CLUBMED) == {} and gateway.calls(Backend.CARECLOUD) == {}


def test_blank_or_oversized_values_are_refused_by_argument_only(gateway: Gateway) -> None:
    for value, password, argument in (
        ("  ", "x", "loginValue"),
        (EXAMPLE_EMAIL, "", "password"),
        (EXAMPLE_EMAIL, "p" * 1025, "password"),
    ):
        body = _password(gateway, value, password)
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
    assert gateway.calls(Backend.CARECLOUD) == {}


def test_a_read_token_may_verify(gateway: Gateway) -> None:
    response = gateway.post(
        PASSWORD,
        {"type": "EMAIL", "value": EXAMPLE_EMAIL, "password": EXAMPLE_PASSWORD},
        headers={"authorization": f"Bearer {token(READ)}"},
    )
    assert "errors" not in response.json()


def test_wrong_passwords_are_limited_per_login_value_even_all_at_once(
    gateway_sandboxes: Any,
) -> None:
    """Ten wrong passwords sent at once for one login value: three reach CareCloud."""
    with custom_gateway(
        gateway_sandboxes, verify_max_failures=3, verify_window_seconds=2.0
    ) as gateway:
        gateway.reset()
        login = f"limited.{next(_serial)}@example.com"
        with ThreadPoolExecutor(10) as pool:
            bodies = list(pool.map(lambda n: _password(gateway, login, f"Wrong-{n}-pw"), range(10)))
        codes = sorted(_code(b) for b in bodies)
        assert codes == ["INVALID_CREDENTIALS"] * 3 + ["RATE_LIMITED"] * 7
        assert gateway.calls(Backend.CARECLOUD) == {VERIFY_PATH: 3}
        limited = next(b for b in bodies if _code(b) == "RATE_LIMITED")
        retry_after = limited["errors"][0]["extensions"]["retryAfter"]
        assert isinstance(retry_after, int) and 1 <= retry_after <= 2
        assert login not in str(limited)
        # Another login value is not held back, nor is the right password of another login.
        other = _password(gateway, f"other.{next(_serial)}@example.com", "Wrong-pw")
        assert _code(other) == "INVALID_CREDENTIALS"
        assert "errors" not in _password(gateway, EXAMPLE_EMAIL, EXAMPLE_PASSWORD)
        # The window passes: the login value may be tried again.
        time.sleep(retry_after + 0.1)
        assert _code(_password(gateway, login, "Wrong-again-pw")) == "INVALID_CREDENTIALS"


def test_a_right_password_does_not_use_up_the_limit(gateway_sandboxes: Any) -> None:
    with custom_gateway(gateway_sandboxes, verify_max_failures=2) as gateway:
        for _ in range(4):
            assert "errors" not in _password(gateway, EXAMPLE_EMAIL, EXAMPLE_PASSWORD)


def test_no_secret_reaches_any_log_line(gateway: Gateway) -> None:
    secrets = {
        "password": "Hidden-Passw0rd-Value-77",
        "login": f"secret.login.{next(_serial)}@example.com",
        "social": "Hidden-Social-Token-77",
        "token": "Hidden-Auth-Token-77",
        "request": "Hidden-Token-Request-77",
    }
    _password(gateway, secrets["login"], secrets["password"])
    _password(gateway, EXAMPLE_EMAIL, EXAMPLE_PASSWORD)
    gateway.query(SOCIAL, {"network": "twitter", "token": secrets["social"]})
    gateway.query(
        AUTH_TOKEN, {"app": "kiosk", "token": secrets["token"], "request": secrets["request"]}
    )
    # Inline literals too: the document is never logged either.
    gateway.query(
        f'mutation {{ verifyCustomerCredentials(loginType: CARD, loginValue: "{secrets["login"]}",'
        f' password: "{secrets["password"]}") {{ customer {{ id }} }} }}'
    )
    logs = "\n".join(CAPTURED_LOGS.lines)
    assert "request" in logs  # the access lines are there: the capture works
    assert [name for name, value in secrets.items() if value in logs] == []
    assert EXAMPLE_PASSWORD not in logs and EXAMPLE_EMAIL not in logs
