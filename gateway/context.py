"""Per-request state: the caller, the request's id, language and deadline, the adapters,
fresh DataLoaders. Nothing of HTTP: a benchmark or a test builds one in a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from graphql import GraphQLError

from adapters.base import CustomerAdapter
from adapters.model import Backend
from adapters.upstream import CallContext
from gateway.auth import Caller
from gateway.config import Settings
from gateway.loaders import (
    CustomerByNativeIdLoader,
    LoyaltyByCustomerLoader,
    RelatedLoaders,
    TravelDocumentsByCustomerLoader,
    TravelersByCustomerLoader,
)
from gateway.ratelimit import FailureLimit

if TYPE_CHECKING:
    from gateway.people import Identity, People


class BatchCounted(Protocol):
    """A loader that keeps the size of each batch it sent."""

    @property
    def batch_sizes(self) -> list[int]: ...


class Loaders:
    """One set per request: a loader's cache must never outlive its request. Each is made
    when first used: most operations use one or two of them (a DataLoader is not free)."""

    def __init__(self, adapters: dict[Backend, CustomerAdapter]) -> None:
        self._adapters = adapters

    def used(self) -> dict[str, BatchCounted]:
        """The loaders this request made, by name (for the batch-size metric)."""
        return {name: loader for name, loader in vars(self).items() if name != "_adapters"}

    @cached_property
    def customer(self) -> CustomerByNativeIdLoader:
        return CustomerByNativeIdLoader(self._adapters)

    @cached_property
    def travelers(self) -> TravelersByCustomerLoader:
        return TravelersByCustomerLoader(self._adapters)

    @cached_property
    def travel_documents(self) -> TravelDocumentsByCustomerLoader:
        return TravelDocumentsByCustomerLoader(self._adapters)

    @cached_property
    def loyalty(self) -> LoyaltyByCustomerLoader:
        return LoyaltyByCustomerLoader(self._adapters, self.customer)

    @cached_property
    def related(self) -> RelatedLoaders:
        return RelatedLoaders(self._adapters)


@dataclass(slots=True)
class Context:
    settings: Settings
    adapters: dict[Backend, CustomerAdapter]
    caller: Caller | None  # None only for the GraphiQL page, which runs no operation
    request_id: str = "-"
    # The language and deadline of every upstream call, and their count (for the access log).
    # Upstream reads it from a context variable (adapters/upstream/send.py: adapters know
    # nothing of this Context); the view sets that variable to this very object.
    call: CallContext = field(default_factory=CallContext)
    loaders: Loaders = field(init=False)
    # Errors to report beside data (a back end that failed during a federated search).
    partial_errors: list[GraphQLError] = field(default_factory=list)
    # The executed operation's name, for logs and metrics (set by OperationMetrics).
    operation_name: str | None = None
    # Entries of the response's top-level `extensions`, by key (ResponseExtensions adds them).
    extensions: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    # The app's identity store (issue 16), and the request's persons, made from it when a
    # resolver first asks (`gateway.people.people_of`).
    identity: Identity | None = None
    people: People | None = None
    # The verify actions' limit of wrong secrets per login value (the GatewayState's).
    verify_failures: FailureLimit | None = None

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.adapters)

    def add_extension(self, key: str, entry: dict[str, object]) -> None:
        self.extensions.setdefault(key, []).append(entry)

    def adapter(self, backend: Backend) -> CustomerAdapter:
        return self.adapters[backend]
