"""The gateway on a real uvicorn, on the three sandboxes, talked to over HTTP."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest

from adapters.model import Backend
from adapters.registry import BACKENDS
from adapters.spec import BackendSettings
from gateway.app import create_app
from gateway.config import Settings
from sandboxes.common import credentials
from sandboxes.common.config import SandboxConfig
from sandboxes.common.server import BackgroundServer
from tests.conftest import RunningSandbox, serve_sandbox
from tests.gateway_process import TEST_JWT_SECRET, token


@dataclass
class Gateway:
    """A running gateway, its HTTP client and the sandboxes behind it."""

    url: str
    http: httpx.Client
    sandboxes: dict[Backend, RunningSandbox]

    def query(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """POST a GraphQL request and return the decoded body (asserting HTTP 200)."""
        response = self.post(document, variables, headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        remember_personal_values(body)
        return body

    def post(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        payload: dict[str, Any] = {"query": document}
        if variables is not None:
            payload["variables"] = variables
        return self.http.post("/graphql", json=payload, headers=headers)

    def calls(self, backend: Backend) -> dict[str, int]:
        """Requests each route of a back end's sandbox received since the last reset."""
        counts = self.sandboxes[backend].app.counter.snapshot()
        return {k: v for k, v in counts.items() if "/token" not in k and "/login" not in k}

    def reset(self) -> None:
        for sandbox in self.sandboxes.values():
            sandbox.reset()

    def reset_counters(self) -> None:
        """Counters only: the faults set stay."""
        for sandbox in self.sandboxes.values():
            sandbox.app.counter.reset()


def _client(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=30, headers={"authorization": f"Bearer {token()}"})


# Personal values the suite has seen in responses, searched for in the logs at the end.
PERSONAL_KEYS = frozenset(
    {
        "firstName",
        "middleName",
        "lastName",
        "email",
        "number",
        "birthdate",
        "line1",
        "expirationDate",
    }
)
SEEN_PERSONAL_VALUES: set[str] = set()


def remember_personal_values(value: Any, key: str | None = None) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            # A person's merged value keeps its field's name: {"firstName": {"value": ...}}.
            remember_personal_values(v, key if k == "value" else k)
    elif isinstance(value, list):
        for item in value:
            remember_personal_values(item, key)
    elif isinstance(value, str) and key in PERSONAL_KEYS and len(value) >= 5:
        SEEN_PERSONAL_VALUES.add(value)


def sandbox_backends(sandboxes: dict[Backend, RunningSandbox]) -> dict[Backend, BackendSettings]:
    """Every back end at its sandbox, with the credentials the sandbox accepts."""
    return {
        spec.backend: spec.settings(
            base_url=sandboxes[spec.backend].url, **credentials.BY_BACKEND[spec.backend]
        )
        for spec in BACKENDS
    }


def gateway_settings(sandboxes: dict[Backend, RunningSandbox], **overrides: Any) -> Settings:
    settings = Settings(jwt_secret=TEST_JWT_SECRET, backends=sandbox_backends(sandboxes))
    return replace(settings, **overrides)


# The gateway's own sandboxes: enough people that a common last name fills a page of 20
# from two back ends (the generated names are uniform over ~110 last names).
GATEWAY_SANDBOX_CONFIG = SandboxConfig(customers=3000, seed=42)


@pytest.fixture(scope="session")
def gateway_sandboxes() -> Iterator[dict[Backend, RunningSandbox]]:
    with ExitStack() as stack:
        yield {
            backend: stack.enter_context(
                contextmanager(serve_sandbox)(backend, GATEWAY_SANDBOX_CONFIG)
            )
            for backend in Backend
        }


@pytest.fixture(scope="session")
def gateway_server(
    gateway_sandboxes: dict[Backend, RunningSandbox], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    sandboxes = gateway_sandboxes
    # The session's own identity store: no decision of an earlier run is in play.
    store = tmp_path_factory.mktemp("identity") / "identity.sqlite"
    app = create_app(gateway_settings(sandboxes, identity_store=str(store)))
    with BackgroundServer(app) as server, _client(server.url) as http:
        yield Gateway(server.url, http, sandboxes)


@pytest.fixture
def gateway(gateway_server: Gateway) -> Iterator[Gateway]:
    gateway_server.reset()
    yield gateway_server
    gateway_server.reset()


@contextmanager
def custom_gateway(sandboxes: dict[Backend, RunningSandbox], **overrides: Any) -> Iterator[Gateway]:
    """A gateway of its own, with settings changed for one test (time-outs, breaker...)."""
    app = create_app(gateway_settings(sandboxes, **overrides))
    with BackgroundServer(app) as server, _client(server.url) as http:
        yield Gateway(server.url, http, sandboxes)


_created = itertools.count()


def create_customer(
    gateway: Gateway, backend: str, fields: str = "id", *, last_name: str = "Made", **given: object
) -> Any:
    """createCustomer on `backend` (Ada, `last_name` and a serial); the answer's customer with
    `fields`, or the whole body when it has errors."""
    base: dict[str, object] = {
        "backend": backend,
        "firstName": "Ada",
        "lastName": f"{last_name}{next(_created)}",
    }
    base.update(given)
    body = gateway.query(
        "mutation ($input: CreateCustomerInput!) { createCustomer(input: $input)"
        f" {{ customer {{ {fields} }} }} }}",
        {"input": base},
    )
    return body if "errors" in body else body["data"]["createCustomer"]["customer"]
