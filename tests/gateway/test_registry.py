"""A back end is a folder and one line in adapters/registry.py: the gateway reads its settings
and builds its adapter from its spec alone.

The fourth back end here, "Ledger", has a prefix, settings type, secret, credentials, choice
and factory of its own, and the gateway has never heard of it. `Backend` is a closed enum
(and GraphQL's `Backend`, so schema.graphql grows with it): a real fourth back end adds one
member there too. This test cannot add one, so Ledger stands on Relay's member, and on Relay's
sandbox: it speaks Relay's API under names of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters import carecloud, clubmed, relay
from adapters.base import CustomerAdapter
from adapters.model import Backend
from adapters.registry import BACKENDS
from adapters.relay import RelayAdapter, RelayClient, RelaySettings
from adapters.spec import BackendSpec, Resources, required
from adapters.upstream import NO_OBSERVER, Upstream
from gateway.app import create_adapters, create_app, create_upstream
from gateway.config import ConfigError, Settings, backend_variables, load_settings
from sandboxes.common import credentials
from sandboxes.common.server import BackgroundServer
from tests.conftest import RunningSandbox
from tests.gateway.conftest import TEST_JWT_SECRET, sandbox_backends, token


@dataclass(frozen=True, slots=True)
class LedgerSettings:
    base_url: str | None = None
    account: str | None = None
    token: str | None = field(default=None, repr=False)
    region: str = "eu"
    page_size: int = 50
    cache_ttl: float = 0.0
    refresh_margin_seconds: float = 60.0  # tuning: no variable


def create_ledger(
    settings: LedgerSettings, upstream: Upstream, resources: Resources
) -> CustomerAdapter:
    relay_settings = RelaySettings(
        client_id=required(settings.account, "account"),
        api_key=required(settings.token, "token"),
    )
    return RelayAdapter(RelayClient(upstream, relay_settings))


LEDGER = BackendSpec(
    Backend.RELAY,
    prefix="LEDGER",
    settings=LedgerSettings,
    adapter=create_ledger,
    secrets=frozenset({"token"}),
    credentials=("account", "token"),
    choices={"region": ("eu", "us")},
    tuning=frozenset({"refresh_margin_seconds"}),
)
REGISTRY = (clubmed.SPEC, carecloud.SPEC, LEDGER)
LEDGER_AT = {
    "LEDGER_BASE_URL": "https://ledger.example/api",
    "LEDGER_ACCOUNT": "acme",
    "LEDGER_TOKEN": "t0ken",
}


def test_the_default_registry_reads_exactly_the_documented_variables() -> None:
    """README's configuration table: no tuning field of a client leaks into the environment."""
    assert {name for spec in BACKENDS for name in backend_variables(spec)} == {
        "CLUBMED_BASE_URL",
        "CLUBMED_TOKEN_URL",
        "CLUBMED_CLIENT_ID",
        "CLUBMED_CLIENT_SECRET",
        "CLUBMED_API_KEY",
        "CLUBMED_SCOPE",
        "CLUBMED_CACHE_TTL",
        "CARECLOUD_BASE_URL",
        "CARECLOUD_APPLICATION_ID",
        "CARECLOUD_LOGIN",
        "CARECLOUD_PASSWORD",
        "CARECLOUD_AUTH_SCHEME",
        "CARECLOUD_CACHE_TTL",
        "RELAY_BASE_URL",
        "RELAY_CLIENT_ID",
        "RELAY_API_KEY",
        "RELAY_PRODUCT_GROUP_ID",
        "RELAY_CACHE_TTL",
    }
    assert [spec.backend for spec in BACKENDS] == list(Backend)


@pytest.mark.parametrize("spec", [*BACKENDS, LEDGER], ids=lambda spec: spec.prefix)
def test_a_spec_names_fields_of_its_settings(spec: BackendSpec[Any]) -> None:
    names = {setting.name for setting in fields(spec.settings)}
    named = {*spec.secrets, *spec.credentials, *spec.urls, *spec.choices, *spec.tuning}
    assert "base_url" in names and named <= names, named - names
    defaults = spec.settings()  # every field has a default: an unconfigured back end
    assert defaults.base_url is None
    for name in spec.credentials:
        assert getattr(defaults, name) is None, f"{name}: a credential has no default"
    for name in spec.secrets:
        assert "s3cret" not in repr(spec.settings(**{name: "s3cret"})), f"{name} in a repr"


def test_a_new_back_end_is_read_from_its_own_variables(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("from-a-file\n")
    settings = load_settings(
        {
            "LEDGER_BASE_URL": "https://ledger.example/api",
            "LEDGER_ACCOUNT": "acme",
            "LEDGER_TOKEN_FILE": str(tmp_path / "token"),
            "LEDGER_REGION": "us",
            "LEDGER_PAGE_SIZE": "20",
            "RELAY_CLIENT_ID": "not read: Relay is not in this registry",
        },
        registry=REGISTRY,
    )
    assert settings.backend(LEDGER) == LedgerSettings(
        base_url="https://ledger.example/api",
        account="acme",
        token="from-a-file",
        region="us",
        page_size=20,
    )
    assert settings.backend(clubmed.SPEC).base_url is None
    assert set(settings.backends) == {Backend.CLUBMED, Backend.CARECLOUD, Backend.RELAY}
    with pytest.raises(TypeError):
        settings.backend(relay.SPEC)  # Relay's member holds Ledger's settings here


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"LEDGER_REGION": "mars"}, "LEDGER_REGION must be eu or us"),
        ({"LEDGER_PAGE_SIZE": "many"}, "LEDGER_PAGE_SIZE must be a number, not 'many'"),
        ({"LEDGER_BASE_URL": "ledger.example"}, "LEDGER_BASE_URL must be an absolute http"),
        (
            {"LEDGER_BASE_URL": "https://ledger.example/api", "LEDGER_TOKEN": "t"},
            "LEDGER_BASE_URL is set: LEDGER_ACCOUNT must be set too",
        ),
        (
            {"LEDGER_TOKEN": "t", "LEDGER_TOKEN_FILE": "/run/secrets/ledger"},
            "set LEDGER_TOKEN or LEDGER_TOKEN_FILE, not both",
        ),
        ({"LEDGER_REFRESH_MARGIN_SECONDS": "1"}, None),  # tuning: not a variable, ignored
    ],
)
def test_a_new_back_end_is_checked_by_its_spec(
    environment: dict[str, str], message: str | None
) -> None:
    if message is None:
        assert load_settings(environment, registry=REGISTRY).backend(LEDGER) == LedgerSettings()
        return
    with pytest.raises(ConfigError) as refused:
        load_settings(environment, registry=REGISTRY)
    assert str(refused.value).startswith(message)


def test_production_needs_a_new_back_ends_url_and_credentials() -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings({"GATEWAY_MODE": "production"}, registry=REGISTRY)
    named = str(refused.value)
    assert "LEDGER_ACCOUNT" in named and "LEDGER_BASE_URL" in named and "LEDGER_TOKEN" in named
    assert "RELAY_" not in named


def test_a_toml_file_takes_a_new_back_ends_keys(tmp_path: Path) -> None:
    config = tmp_path / "gateway.toml"
    config.write_text('[customer-gateway]\nLEDGER_ACCOUNT = "acme"\nLEDGER_PAGE_SIZE = 7\n')
    settings = load_settings({"CUSTOMER_GATEWAY_CONFIG": str(config)}, registry=REGISTRY)
    assert (settings.backend(LEDGER).account, settings.backend(LEDGER).page_size) == ("acme", 7)
    with pytest.raises(ConfigError, match="unknown settings"):
        load_settings({"CUSTOMER_GATEWAY_CONFIG": str(config)})  # the default registry's


@pytest.mark.anyio
async def test_a_missing_credential_names_its_variable_when_the_adapter_is_built(
    tmp_path: Path,
) -> None:
    settings = Settings(
        write_lock_dir=str(tmp_path / "locks"),
        backends={
            **Settings().backends,
            Backend.RELAY: LedgerSettings(base_url="http://127.0.0.1:9", token="t"),
        },
    )
    upstream = create_upstream(settings, Backend.RELAY, "http://127.0.0.1:9", NO_OBSERVER)
    try:
        with pytest.raises(ConfigError, match="^LEDGER_ACCOUNT is not set$"):
            create_adapters(settings, {Backend.RELAY: upstream}, (LEDGER,))
    finally:
        await upstream.aclose()


def test_the_app_serves_a_new_back_end_from_its_spec(
    gateway_sandboxes: dict[Backend, RunningSandbox], tmp_path: Path
) -> None:
    backends = sandbox_backends(gateway_sandboxes)
    backends[Backend.RELAY] = LedgerSettings(
        base_url=gateway_sandboxes[Backend.RELAY].url,
        account=credentials.RELAY_CLIENT_ID,
        token=credentials.RELAY_API_KEY,
    )
    settings = Settings(
        jwt_secret=TEST_JWT_SECRET, write_lock_dir=str(tmp_path / "locks"), backends=backends
    )
    app = create_app(settings, registry=REGISTRY)
    headers = {"authorization": f"Bearer {token()}"}
    with BackgroundServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        body = http.post(
            "/graphql",
            json={
                "query": '{ customerByNativeId(backend: RELAY, nativeId: "BAK-11984-007")'
                " { lastName } }"
            },
            headers=headers,
        ).json()
        ready = http.get("/readyz")
    assert body == {"data": {"customerByNativeId": {"lastName": "Moore"}}}
    assert ready.status_code == 200, ready.text
    assert ready.json()["backends"] == {"CLUBMED": "ok", "CARECLOUD": "ok", "RELAY": "ok"}
