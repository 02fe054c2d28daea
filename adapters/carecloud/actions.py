"""CareCloud's customer actions that verify a customer's own credentials ([DOC]
docs/backends/carecloud.md#actions, Enterprise interface only): a password (by email or card), a
social network token, or an application's one-time auth token. Each answers the customer_id they
identify.

search-customers, the fourth action of the seed, serves the adapter's search by card
(`CareCloudAdapter._search_by_card`). What is sent here is a secret: it goes in the request
body only, and no error, log line or repr made here holds it.
"""

from __future__ import annotations

from typing import Any

from adapters.carecloud import mapping
from adapters.carecloud.client import CareCloudClient
from adapters.errors import InvalidCredentials, UpstreamNotFound
from adapters.model import Backend, Customer
from adapters.relationships import AuthTokenLogin, LoginType, PasswordLogin, SocialLogin

_LOGIN_TYPES = {LoginType.EMAIL: "email", LoginType.CARD: "card"}


class CustomerActions:
    def __init__(self, client: CareCloudClient) -> None:
        self._client = client

    async def verify_credentials(self, login: PasswordLogin) -> Customer:
        body = {
            "login_type": _LOGIN_TYPES[login.login_type],
            "login_value": login.login_value,
            "password": login.password,
        }
        return await self._verified("verify-credentials", body)

    async def verify_social_credentials(self, login: SocialLogin) -> Customer:
        credentials = {"social_network_id": login.network, "social_network_token": login.token}
        return await self._verified(
            "verify-social-network-credentials", {"social_network_credentials": credentials}
        )

    async def verify_auth_token(self, login: AuthTokenLogin) -> Customer:
        body = {
            "application_id": login.application_id,
            "token": login.token,
            "token_request_id": login.token_request_id,
        }
        return await self._verified("verify-auth-token", body)

    async def _verified(self, action: str, body: dict[str, Any]) -> Customer:
        """The customer the action identifies (its record as GET /customers/{id} has it).

        CareCloud answers credentials that identify nobody with a 404 (the sandbox's reading
        of the spec, which lists 400/404 and no body): InvalidCredentials, saying nothing of
        which part was wrong. A 400 (a login type it does not know) stays BAD_USER_INPUT.
        """
        try:
            customer_id = await self._client.verify(action, body)
        except UpstreamNotFound:
            raise InvalidCredentials(Backend.CARECLOUD, status=404) from None
        return mapping.customer_from_json(await self._client.get_customer(customer_id))
