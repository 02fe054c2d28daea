"""The back ends' customer actions that verify a customer's own credentials.

Each answers the Customer the credentials identify, or INVALID_CREDENTIALS (the adapter's
`InvalidCredentials`): not UNAUTHENTICATED, which is the gateway's own 401 for its caller.
They are mutations, so that a secret never travels in a GET's query string (which proxies
log), and need only `customers:read`: they write nothing, and a front-end that logs its
customers in reads them.

Secrets stay out of everything the gateway writes: no log line, span or error holds an
argument's value (logs and spans record codes and paths only, errors.md), and a value
refused here is named by its argument alone. A login value may be tried with a wrong secret
at most GATEWAY_VERIFY_MAX_FAILURES times per GATEWAY_VERIFY_WINDOW_SECONDS, then
RATE_LIMITED with `retryAfter` (gateway/ratelimit.py), nothing sent. The key per kind:
the login value (password), the token request (auth token), the token itself (social: no
login value is sent, and a network's tokens are not guessable anyway).
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from adapters.base import Capability
from adapters.errors import InvalidCredentials
from adapters.model import Backend, Customer
from adapters.relationships import AuthTokenLogin, LoginType, PasswordLogin, SocialLogin
from gateway.auth import CanRead
from gateway.errors import BadUserInput, RateLimited, Unsupported
from gateway.ratelimit import failure_key
from gateway.schema.enums import described_enum
from gateway.schema.types import GatewayInfo

LoginTypeEnum = described_enum(
    LoginType,
    "What the customer logs in with, besides the password.",
    {
        LoginType.EMAIL: "The customer's email address.",
        LoginType.CARD: "The number of one of the customer's loyalty cards.",
    },
)
# Longer than any email, card number or token a back end issues: refused, never sent.
MAX_SECRET = 1024

BackendArgument = Annotated[
    Backend,
    strawberry.argument(
        description="The back end that checks the credentials (only CareCloud can today; "
        "the others are UNSUPPORTED with nothing sent)."
    ),
]


def _text(value: str, argument: str) -> str:
    """A value as sent, checked without ever being repeated in a message."""
    if not value.strip():
        raise BadUserInput(f"{argument} cannot be blank", argument=argument)
    if len(value) > MAX_SECRET:
        raise BadUserInput(f"{argument} is over {MAX_SECRET} characters", argument=argument)
    return value


@strawberry.type(description="The customer the credentials identify.")
class VerifiedCustomerPayload:
    customer: Customer = strawberry.field(description="The customer, as the back end holds it.")


async def _verify(
    info: GatewayInfo,
    backend: Backend,
    key: str,
    check: Callable[[], Awaitable[Customer]],
) -> VerifiedCustomerPayload:
    """Check the capability, reserve an attempt, verify; the attempt counts only if refused."""
    context = info.context
    adapter = context.adapter(backend)
    if not adapter.supports(Capability.CREDENTIALS):
        raise Unsupported(f"{backend.name} cannot verify credentials", backend=backend.name)
    limit = context.verify_failures
    assert limit is not None, "the app gives every request the verify limit"
    reservation = await limit.acquire(key)
    if isinstance(reservation, float):
        raise RateLimited(
            "too many wrong credentials for this login; try again later",
            retryAfter=math.ceil(reservation),
        )
    try:
        customer = await check()
    except InvalidCredentials:
        raise  # the attempt stays counted
    except BaseException:
        await limit.forgive(key, reservation)
        raise
    await limit.forgive(key, reservation)
    return VerifiedCustomerPayload(customer=customer)


@strawberry.type
class CredentialActions:
    @strawberry.mutation(
        description=(
            "Checks a customer's password, by email or card number: the customer it "
            "identifies, or INVALID_CREDENTIALS. RATE_LIMITED (with `retryAfter`) after "
            "too many wrong passwords for one login value."
        ),
        permission_classes=[CanRead],
    )
    async def verify_customer_credentials(
        self,
        info: GatewayInfo,
        login_type: Annotated[LoginType, strawberry.argument(description="EMAIL or CARD.")],
        login_value: Annotated[
            str, strawberry.argument(description="The email or card number. Never logged.")
        ],
        password: Annotated[str, strawberry.argument(description="Never logged.")],
        backend: BackendArgument = Backend.CARECLOUD,
    ) -> VerifiedCustomerPayload:
        login = PasswordLogin(
            login_type, _text(login_value, "loginValue"), _text(password, "password")
        )
        value = login.login_value.strip().casefold()
        key = failure_key(backend, "password", login_type.value, value)
        adapter = info.context.adapter(backend)
        return await _verify(info, backend, key, lambda: adapter.verify_credentials(login))

    @strawberry.mutation(
        description=(
            "Checks a social network's token for a customer: the customer it identifies, or "
            "INVALID_CREDENTIALS (RATE_LIMITED after too many tries of one token)."
        ),
        permission_classes=[CanRead],
    )
    async def verify_customer_social_credentials(
        self,
        info: GatewayInfo,
        network: Annotated[
            str, strawberry.argument(description="The network's id at the back end (twitter).")
        ],
        token: Annotated[
            str, strawberry.argument(description="The network's token. Never logged.")
        ],
        backend: BackendArgument = Backend.CARECLOUD,
    ) -> VerifiedCustomerPayload:
        login = SocialLogin(_text(network, "network").strip(), _text(token, "token"))
        key = failure_key(backend, "social", login.network, login.token)
        adapter = info.context.adapter(backend)
        return await _verify(info, backend, key, lambda: adapter.verify_social_credentials(login))

    @strawberry.mutation(
        description=(
            "Checks the one-time token an application (a kiosk, an app) got for a customer: "
            "the customer it identifies, or INVALID_CREDENTIALS (RATE_LIMITED after too "
            "many wrong tokens for one token request)."
        ),
        permission_classes=[CanRead],
    )
    async def verify_customer_auth_token(
        self,
        info: GatewayInfo,
        application_id: Annotated[
            str, strawberry.argument(description="The application the token was issued to.")
        ],
        token: Annotated[str, strawberry.argument(description="The token. Never logged.")],
        token_request_id: Annotated[
            str, strawberry.argument(description="The token request's id. Never logged.")
        ],
        backend: BackendArgument = Backend.CARECLOUD,
    ) -> VerifiedCustomerPayload:
        login = AuthTokenLogin(
            _text(application_id, "applicationId").strip(),
            _text(token, "token"),
            _text(token_request_id, "tokenRequestId"),
        )
        key = failure_key(backend, "auth-token", login.application_id, login.token_request_id)
        adapter = info.context.adapter(backend)
        return await _verify(info, backend, key, lambda: adapter.verify_auth_token(login))
