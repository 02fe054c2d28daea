"""A faithful simulator of CareCloud's Enterprise REST API, over an in-memory store.

Its base URL stands for `https://{project}/webservice/rest-api/enterprise-interface/v1.0`
([DOC] docs/backends/carecloud.md#conventions): the routes are served at its root
(`/customers`, `/users/actions/login`, ...). Auth in `auth.py`, customers in `customers.py`,
their sub-resources in `subresources.py`, the status catalog in `statuses.py`, actions in
`actions.py`, the error body in `errors.py`, the OpenAPI document (`/openapi.json`) in
`openapi.py`. Where the seed and the [DOC] facts of docs/backends/carecloud.md disagree, this
follows [DOC] (docs/README.md#evidence-tags):

- PUT /customers/{id} takes `{"customer": {"personal_information": ...}}` (the seed's
  example omits `customer`: refused with 400 `required`), answers 204, replaces the whole
  personal_information (omitted fields are deleted, except `store_id` and the password)
  and bumps `last_change` (seconds: two PUTs in one second keep the same value).
- An email already taken is a 400 with reason `already_exists`, never a 409.
- There is no DELETE /customers/{id}: 405 with `error_data.http_method`.
- gender is 1..5 or null; `consents[]` wins over the deprecated `agreement` when both come,
  but for `agreement.custom_agreements`, which `consents[]` has no place for: kept [INF].
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from adapters.model import Backend
from sandboxes.carecloud import actions, statuses, subresources
from sandboxes.carecloud.actions import CustomerLogins
from sandboxes.carecloud.auth import Sessions, login, require_credentials
from sandboxes.carecloud.customers import (
    create_customer,
    get_customer,
    list_customers,
    replace_customer,
)
from sandboxes.carecloud.errors import unrouted
from sandboxes.carecloud.openapi import openapi_document
from sandboxes.carecloud.seed import (
    SEED_AUTH_TOKENS,
    SEED_CUSTOMERS,
    SEED_PASSWORDS,
    SEED_RECORDS,
    SEED_SOCIAL_CREDENTIALS,
)
from sandboxes.carecloud.store import CustomerStore, RecordStore
from sandboxes.common import SandboxApp, SandboxConfig


def _routes() -> list[BaseRoute]:
    return [
        Route("/users/actions/login", login, methods=["POST"]),
        *actions.routes(),
        Route("/customers", list_customers, methods=["GET"]),
        Route("/customers", create_customer, methods=["POST"]),
        Route("/customers/{customer_id}", get_customer, methods=["GET"]),
        Route("/customers/{customer_id}", replace_customer, methods=["PUT"]),
        *subresources.routes(),
        *statuses.routes(),
    ]


def _load_seed(store: CustomerStore, records: RecordStore, logins: CustomerLogins) -> None:
    for customer in SEED_CUSTOMERS:
        info = dict(customer["personal_information"])
        slot, customer_id = store.add(customer["customer_id"], info, customer["last_change"])
        for segment, items in SEED_RECORDS.get(customer_id, {}).items():
            records.set_items(slot, segment, items)
    for credentials, customer_id in SEED_SOCIAL_CREDENTIALS.items():
        owner = store.slot_of(customer_id)
        assert owner is not None
        logins.social[credentials] = owner
    for customer_id, password in SEED_PASSWORDS.items():
        owner = store.slot_of(customer_id)
        assert owner is not None
        logins.set_password(owner, password)
    for token, customer_id in SEED_AUTH_TOKENS.items():
        owner = store.slot_of(customer_id)
        assert owner is not None
        logins.lasting_tokens[token] = owner


def create_app(config: SandboxConfig | None = None) -> SandboxApp:
    """The sandbox with the seed's examples and `config.customers` generated people."""
    config = config or SandboxConfig()
    store = CustomerStore(config)
    records = RecordStore(store)
    logins = CustomerLogins()
    _load_seed(store, records, logins)
    sessions = Sessions(config.token_ttl_seconds)
    sandbox = SandboxApp(
        Backend.CARECLOUD,
        _routes(),
        unrouted=unrouted,
        openapi=openapi_document,
        middleware=[require_credentials(sessions)],
    )
    sandbox.state.store = store
    sandbox.state.records = records
    sandbox.state.logins = logins
    sandbox.state.sessions = sessions
    return sandbox
