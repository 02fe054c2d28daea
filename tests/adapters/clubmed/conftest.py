"""Fixtures of the Club Med adapter tests: the adapter on the sandbox, new customers."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from adapters.clubmed.adapter import ClubMedAdapter
from adapters.clubmed.client import ClubMedClient, ClubMedSettings
from adapters.model import Address, Backend, Customer, CustomerDraft, Gender, Phone, PhoneType
from adapters.upstream import Upstream
from sandboxes.common import credentials
from tests.adapters.conftest import upstream_for
from tests.conftest import RunningSandbox

SEED_ID = "123456789"  # John Smith, the seeds' search and profile examples merged
TOKEN = "POST /token"
PROFILE = "GET /v2/customers/{customer_id}/profile"
SEARCH = "GET /v1/customers"

_serial = itertools.count()


def unique(prefix: str) -> str:
    """A name no other test (nor the generated people) uses: letters only."""
    n = next(_serial)
    letters = ""
    while True:
        letters = "abcdefghijklmnopqrstuvwxyz"[n % 26] + letters
        n //= 26
        if not n:
            return f"{prefix}{letters}"


def new_email() -> str:
    return f"{unique('clubmed.adapter.')}@example.com"


def settings(url: str, **overrides: Any) -> ClubMedSettings:
    values: dict[str, Any] = {
        "token_url": f"{url}/token",
        "client_id": credentials.CLUBMED_CLIENT_ID,
        "client_secret": credentials.CLUBMED_CLIENT_SECRET,
        "api_key": credentials.CLUBMED_API_KEY,
    }
    values.update(overrides)
    return ClubMedSettings(**values)


def partner_settings(url: str) -> ClubMedSettings:
    """The other issuer's client: it may touch only the customers it created."""
    return settings(
        url,
        client_id=credentials.CLUBMED_PARTNER_CLIENT_ID,
        client_secret=credentials.CLUBMED_PARTNER_CLIENT_SECRET,
    )


def draft(**fields: Any) -> CustomerDraft:
    """A draft with every field the model can create, a fresh last name and email."""
    values: dict[str, Any] = {
        "first_name": "Zoé",
        "last_name": unique("Adapter"),
        "email": new_email(),
        "birthdate": date(1990, 3, 12),
        "gender": Gender.FEMALE,
        "phones": (
            Phone("+33 6 23 45 67 89", PhoneType.MOBILE),
            Phone("0123456789", PhoneType.HOME),
        ),
        "address": Address("1 Rue de Rivoli", "Bât. B", "3e étage", "Paris", "75001", "IDF", "FR"),
        "locale": "fr-FR",
    }
    values.update(fields)
    return CustomerDraft(**values)


def calls(sandbox: RunningSandbox) -> dict[str, int]:
    """Requests per route, the token requests left out."""
    return {k: v for k, v in sandbox.app.counter.snapshot().items() if k != TOKEN}


@pytest.fixture
async def upstream(clubmed_sandbox: RunningSandbox) -> AsyncIterator[Upstream]:
    async with upstream_for(Backend.CLUBMED, clubmed_sandbox.url) as upstream:
        yield upstream


@pytest.fixture
def adapter(upstream: Upstream, clubmed_sandbox: RunningSandbox) -> ClubMedAdapter:
    return ClubMedAdapter(ClubMedClient(upstream, settings(clubmed_sandbox.url)))


@pytest.fixture
async def created(adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox) -> Customer:
    """A customer of its own for a test that writes; the counters start after it."""
    customer = await adapter.create_customer(draft())
    clubmed_sandbox.app.counter.reset()
    return customer
