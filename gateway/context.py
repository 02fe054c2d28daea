"""Per-request state: the caller, the request's id, language and deadline, the adapters,
fresh DataLoaders. Nothing of HTTP: a benchmark or a test builds one in a line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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
    from gateway.people import People


@dataclass
class Loaders:
    """One set per request: a loader's cache must never outlive its request."""

    customer: CustomerByNativeIdLoader
    travelers: TravelersByCustomerLoader
    travel_documents: TravelDocumentsByCustomerLoader
    loyalty: LoyaltyByCustomerLoader
    related: RelatedLoaders

    @classmethod
    def create(cls, adapters: dict[Backend, CustomerAdapter]) -> Loaders:
        customer = CustomerByNativeIdLoader(adapters)
        return cls(
            customer,
            TravelersByCustomerLoader(adapters),
            TravelDocumentsByCustomerLoader(adapters),
            LoyaltyByCustomerLoader(adapters, customer),
            RelatedLoaders(adapters),
        )


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
    # The request's persons (issue 16), where the app has an identity store.
    people: People | None = None
    # The verify actions' limit of wrong secrets per login value (the GatewayState's).
    verify_failures: FailureLimit | None = None

    def __post_init__(self) -> None:
        self.loaders = Loaders.create(self.adapters)

    def add_extension(self, key: str, entry: dict[str, object]) -> None:
        self.extensions.setdefault(key, []).append(entry)

    def adapter(self, backend: Backend) -> CustomerAdapter:
        return self.adapters[backend]
