"""The development credentials the sandboxes accept. Not secrets: they open only sandboxes.

The CLI's development path (gateway/cli.py) gives them, as `BY_BACKEND` offers them, to each
back end it points at the embedded sandboxes; a real deployment takes its back ends'
credentials from the environment (gateway/config.py, where they have no default).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from adapters.model import Backend

CLUBMED_CLIENT_ID: Final = "sandbox-client"
CLUBMED_CLIENT_SECRET: Final = "sandbox-client-secret"
CLUBMED_API_KEY: Final = "202601010000.sandbox.clubmed.com"
# A second OAuth2 client, of another issuer: its tokens may read only the customers it
# created (Club Med's 403 "customer mismatch or issuer mismatch",
# [DOC] docs/backends/clubmed.md#auth).
CLUBMED_PARTNER_CLIENT_ID: Final = "sandbox-partner"
CLUBMED_PARTNER_CLIENT_SECRET: Final = "sandbox-partner-secret"

CARECLOUD_USER_EXTERNAL_APPLICATION_ID: Final = "sandbox-application"
CARECLOUD_LOGIN: Final = "sandbox-user"
CARECLOUD_PASSWORD: Final = "Sandbox-Passw0rd"

RELAY_API_KEY: Final = "sandbox-relay-api-key"
RELAY_CLIENT_ID: Final = "sandbox-client"
RELAY_PRODUCT_GROUP_ID: Final = "default"

# What each sandbox accepts, by the field of its back end's settings it fills.
BY_BACKEND: Final[Mapping[Backend, Mapping[str, str]]] = {
    Backend.CLUBMED: {
        "client_id": CLUBMED_CLIENT_ID,
        "client_secret": CLUBMED_CLIENT_SECRET,
        "api_key": CLUBMED_API_KEY,
    },
    Backend.CARECLOUD: {
        "application_id": CARECLOUD_USER_EXTERNAL_APPLICATION_ID,
        "login": CARECLOUD_LOGIN,
        "password": CARECLOUD_PASSWORD,
    },
    Backend.RELAY: {"client_id": RELAY_CLIENT_ID, "api_key": RELAY_API_KEY},
}
