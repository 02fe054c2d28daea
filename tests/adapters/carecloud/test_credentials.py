"""The CareCloud adapter's verification of a customer's own credentials (the seed's three
verify actions): the customer they identify, or INVALID_CREDENTIALS showing no secret."""

from __future__ import annotations

import httpx
import pytest

from adapters.carecloud.adapter import CareCloudAdapter
from adapters.errors import InvalidCredentials
from adapters.relationships import AuthTokenLogin, LoginType, PasswordLogin, SocialLogin
from tests.conftest import RunningSandbox
from tests.sandboxes.carecloud.conftest import SEED_ID

pytestmark = pytest.mark.anyio
EXAMPLE_ID = "09359095c5da43c7a78e11e710eabce49418715a6a"  # the actions' example answer
EXAMPLE_PASSWORD = "password123_is_not_a_good_idea"


def shows(error: InvalidCredentials, secret: str) -> bool:
    return secret in f"{error} {error!r} {error.extensions} {error.args}"


async def test_the_seeds_password_example(
    adapter: CareCloudAdapter, carecloud_sandbox: RunningSandbox
) -> None:
    carecloud_sandbox.app.counter.reset()
    login = PasswordLogin(LoginType.EMAIL, "happy_customer@cortex.cz", EXAMPLE_PASSWORD)
    customer = await adapter.verify_credentials(login)
    assert (customer.native_id, customer.email) == (EXAMPLE_ID, "happy_customer@cortex.cz")
    assert EXAMPLE_PASSWORD not in repr(login) and "cortex" not in repr(login)
    counted = carecloud_sandbox.app.counter.snapshot()
    assert {k: v for k, v in counted.items() if "/login" not in k} == {
        "POST /customers/actions/verify-credentials": 1,
        "GET /customers/{customer_id}": 1,
    }


async def test_a_wrong_password_is_invalid_credentials_and_never_shown(
    adapter: CareCloudAdapter,
) -> None:
    wrong = "Wrong-Passw0rd-" + "x" * 8
    for login in (
        PasswordLogin(LoginType.EMAIL, "happy_customer@cortex.cz", wrong),
        PasswordLogin(LoginType.EMAIL, "nobody@cortex.cz", wrong),
        PasswordLogin(LoginType.CARD, "2001990000016", wrong),
    ):
        with pytest.raises(InvalidCredentials) as refused:
            await adapter.verify_credentials(login)
        assert refused.value.code == "INVALID_CREDENTIALS" and not refused.value.retryable
        assert not shows(refused.value, wrong) and not shows(refused.value, login.login_value)


async def test_by_card(
    adapter: CareCloudAdapter,
    carecloud_sandbox: RunningSandbox,
    http: httpx.AsyncClient,
    carecloud_token: str,
) -> None:
    """A generated customer given a password by CareCloud's PUT logs in with its card."""
    store = carecloud_sandbox.app.state.store
    customer_id, person = store.generated_id(5), store.people[5]
    auth = {"Authorization": f"Bearer {carecloud_token}"}
    info = (await http.get(f"/customers/{customer_id}", headers=auth)).json()["data"]
    body = {"customer": {"personal_information": info["personal_information"]}}
    put = await http.put(
        f"/customers/{customer_id}", json={**body, "password": "Card-Passw0rd"}, headers=auth
    )
    assert put.status_code == 204
    login = PasswordLogin(LoginType.CARD, f"2001{person.index:09d}", "Card-Passw0rd")
    assert (await adapter.verify_credentials(login)).native_id == customer_id


async def test_social_network_credentials(adapter: CareCloudAdapter) -> None:
    found = await adapter.verify_social_credentials(
        SocialLogin("twitter", "38e123j1jedu12d1jnjqwd")
    )
    assert found.native_id == SEED_ID
    with pytest.raises(InvalidCredentials) as refused:
        await adapter.verify_social_credentials(SocialLogin("twitter", "not-the-token-123"))
    assert not shows(refused.value, "not-the-token-123")


async def test_the_seeds_auth_token_example_and_a_wrong_token(adapter: CareCloudAdapter) -> None:
    example = AuthTokenLogin("self_order_kiosk", "a78e11e774f7f", "e11e7a7f7f610ea8e11e774")
    assert (await adapter.verify_auth_token(example)).native_id == EXAMPLE_ID
    assert (await adapter.verify_auth_token(example)).native_id == EXAMPLE_ID  # lasting
    assert "a78e11e774f7f" not in repr(example)
    wrong = AuthTokenLogin("self_order_kiosk", "b99e11e774f7f", "e11e7a7f7f610ea8e11e774")
    with pytest.raises(InvalidCredentials) as refused:
        await adapter.verify_auth_token(wrong)
    assert not shows(refused.value, "b99e11e774f7f")
    assert not shows(refused.value, "e11e7a7f7f610ea8e11e774")
