"""Per-request state: the caller's language and deadline, the adapters, fresh DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import GraphQLError
from starlette.requests import Request

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


@dataclass
class Context:
    request: Request
    request_id: str
    settings: Settings
    adapters: dict[Backend, CustomerAdapter]
    call: CallContext
    loaders: Loaders
    caller: Caller | None  # None only for the GraphiQL page, which runs no operation
    # Errors to report beside data (a back end that failed during a federated search).
    partial_errors: list[GraphQLError] = field(default_factory=list)
    # The executed operation's name, for logs and metrics (set by OperationMetrics).
    operation_name: str | None = None
    # Entries of the response's top-level `extensions`, by key (ResponseExtensions adds them).
    extensions: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    # The verify actions' limit of wrong secrets per login value (process-wide, app.py).
    verify_failures: FailureLimit | None = None

    def add_extension(self, key: str, entry: dict[str, object]) -> None:
        self.extensions.setdefault(key, []).append(entry)

    def adapter(self, backend: Backend) -> CustomerAdapter:
        return self.adapters[backend]
