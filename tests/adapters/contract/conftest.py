"""The contract suite's one fixture: every test runs once on each back end's adapter.

`contract_adapter` yields an `AdapterUnderTest`: the adapter on its sandbox (counters, faults,
store) and what its back end's own rules decide (`BackendFacts`). A test of something a back
end cannot do still runs there: `lacks` asserts the capability is absent and the call is
refused with `Unsupported` before anything is sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from adapters.base import Capability, CustomerAdapter
from adapters.errors import Unsupported, UpstreamError
from adapters.model import Backend, Customer, CustomerDraft
from sandboxes.common.faults import FaultSettings
from tests.adapters.conftest import upstream_for
from tests.adapters.contract.backends import BACKENDS, BackendFacts, build_adapter, unique
from tests.conftest import RunningSandbox


@dataclass
class AdapterUnderTest:
    facts: BackendFacts
    adapter: CustomerAdapter
    sandbox: RunningSandbox

    @property
    def backend(self) -> Backend:
        return self.facts.backend

    @property
    def seed(self) -> Customer:
        return self.facts.seed

    def draft(self, *, first_name: str = "Zoé", last_name: str | None = None) -> CustomerDraft:
        """A fresh draft of every field the back end holds (a new last name unless given)."""
        return self.facts.draft(first_name, last_name or unique("Contract"))

    async def create(self, **names: str) -> Customer:
        """A record of the test's own, made as the back end makes them; counters reset after."""
        customer = await self.adapter.create_customer(self.draft(**names))
        self.sandbox.app.counter.reset()
        return customer

    def requests(self) -> dict[str, int]:
        """Requests counted per route since the last reset, credentials' fetches left out."""
        counted = self.sandbox.app.counter.snapshot()
        return {k: v for k, v in counted.items() if k not in self.facts.auth_routes}

    def writes(self) -> dict[str, int]:
        return {k: v for k, v in self.requests().items() if not k.startswith("GET ")}

    def assert_shows_nothing_of(self, error: UpstreamError, *values: str | None) -> None:
        """`error` is this back end's and shows none of `values` nor its credentials."""
        assert error.backend is self.backend
        assert error.extensions["backend"] == self.backend.name
        for value in (*values, *self.facts.secrets):
            assert value is None or value not in shown(error), "an error shows what it must not"

    def reset(self) -> None:
        self.sandbox.app.counter.reset()

    def fault(self, **settings: Any) -> None:
        """From now on, the sandbox does this to the requests it gets."""
        self.sandbox.app.faults.settings = FaultSettings(**settings)

    @asynccontextmanager
    async def elsewhere(
        self, url: str | None = None, *, timeouts: float = 5.0
    ) -> AsyncIterator[CustomerAdapter]:
        """The same adapter, at another URL or with other time-outs."""
        url = url or self.sandbox.url
        async with upstream_for(self.backend, url, timeouts=timeouts) as upstream:
            yield build_adapter(self.backend, upstream, url)

    async def lacks(self, capability: Capability, call: Callable[[], Awaitable[object]]) -> bool:
        """Whether the back end lacks `capability`; when it does, `call` is refused as
        Unsupported with nothing sent upstream (the contract for what it cannot do)."""
        if self.adapter.supports(capability):
            return False
        self.reset()
        with pytest.raises(Unsupported) as refused:
            await call()
        assert (refused.value.code, refused.value.backend) == ("UNSUPPORTED", self.backend)
        assert self.sandbox.app.counter.snapshot() == {}
        return True


def shown(error: UpstreamError) -> str:
    """Everything an error shows: its text, its repr, its extensions."""
    return f"{error} {error!r} {error.extensions}"


def personal_values(customer: Customer) -> list[str]:
    """What of `customer` no error may show: its id, names, email, phones and birthdate."""
    values = [customer.native_id, customer.first_name, customer.last_name, customer.email]
    values += [phone.number for phone in customer.phones]
    if customer.birthdate is not None:
        values += [customer.birthdate.isoformat(), customer.birthdate.strftime("%Y%m%d")]
    return [value for value in values if value]


@pytest.fixture(params=BACKENDS, ids=[facts.backend.value for facts in BACKENDS])
async def contract_adapter(request: pytest.FixtureRequest) -> AsyncIterator[AdapterUnderTest]:
    facts: BackendFacts = request.param
    sandbox: RunningSandbox = request.getfixturevalue(f"{facts.backend.value}_sandbox")
    async with upstream_for(facts.backend, sandbox.url) as upstream:
        yield AdapterUnderTest(facts, build_adapter(facts.backend, upstream, sandbox.url), sandbox)
