"""The one interface the gateway speaks to every back end through.

An adapter declares what it can do (`capabilities`, and which filters its search answers:
`search_criteria`, `search_criteria_needing`, read by `search_refusal`); whatever it cannot
do raises `Unsupported` before anything is sent upstream. `get_customers` is the batch
entry point of the dataloaders: each distinct id fetched once, all concurrently (the back
end's one bulkhead, in its `Upstream`, lets GATEWAY_UPSTREAM_MAX_CONCURRENCY requests out at
a time), and a failed id returns its exception in its place so one bad record does not fail
its neighbours.

The customer's related records (`adapters.relationships`: purchases, points, ..., property
and interest records; Capability.RELATIONSHIPS) and the checks of a customer's own
credentials (Capability.CREDENTIALS) follow the same shape: one method per record kind, a
`*_many` batch per list (keyed by `CustomerPage` where the list pages), and UNSUPPORTED
with nothing sent by default. `get_loyalties` reads the loyalty summary alone.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from adapters.errors import Unsupported, UpstreamError
from adapters.model import (
    Backend,
    Customer,
    CustomerDraft,
    CustomerFilter,
    CustomerPatch,
    Loyalty,
    Page,
    PageRequest,
    TravelDocument,
    TravelDocumentPatch,
    Traveler,
    TravelerDraft,
)
from adapters.relationships import (
    AuthTokenLogin,
    Credit,
    CustomerPage,
    CustomerProperty,
    CustomerSource,
    Interest,
    InterestDraft,
    InterestPatch,
    LoyaltyCard,
    LoyaltyRequest,
    PasswordLogin,
    PointRecord,
    PropertyDraft,
    PropertyPatch,
    Purchase,
    Recommendation,
    Reward,
    Segment,
    SocialLogin,
    StatusRecord,
    Voucher,
)

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


class Capability(enum.Enum):
    SEARCH = "SEARCH"
    READ = "READ"
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    TRAVELERS = "TRAVELERS"
    TRAVEL_DOCUMENTS = "TRAVEL_DOCUMENTS"
    LOYALTY = "LOYALTY"
    # The customer's related records (purchases, points, ..., property and interest records).
    RELATIONSHIPS = "RELATIONSHIPS"
    # Verifying a customer's own credentials (password, social network, auth token).
    CREDENTIALS = "CREDENTIALS"


@dataclass(frozen=True, slots=True)
class Created:
    """A created record; `recovered` when the create's answer was lost and it was found."""

    customer: Customer
    recovered: bool = False


def matches_draft(customer: Customer, draft: CustomerDraft) -> bool:
    """Whether a record holds what a create sent: names, email and birthdate (case aside)."""

    def same(held: str | None, sent: str | None) -> bool:
        return sent is None or (held or "").casefold() == sent.casefold()

    return (
        same(customer.first_name, draft.first_name)
        and same(customer.last_name, draft.last_name)
        and same(customer.email, draft.email)
        and (draft.birthdate is None or customer.birthdate == draft.birthdate)
    )


class CustomerAdapter:
    """Base of the three adapters. Subclasses override what their back end supports."""

    backend: ClassVar[Backend]
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    # The CustomerFilter criteria this back end's search applies, in any combination.
    search_criteria: ClassVar[frozenset[str]] = frozenset()
    # Criteria it applies only alongside others: each one -> the criteria it needs with it.
    search_criteria_needing: ClassVar[Mapping[str, frozenset[str]]] = {}
    # Whether `create_customer` needs the caller's id (Relay's ccid) or refuses one.
    caller_assigns_id: ClassVar[bool] = False

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def _unsupported(self, operation: str) -> Unsupported:
        return Unsupported(self.backend, f"{self.backend.name} cannot {operation}")

    def search_refusal(self, filter: CustomerFilter) -> str | None:
        """Why this back end's search cannot answer `filter`, or None when it can."""
        name = self.backend.name
        if not self.supports(Capability.SEARCH):
            return f"{name} cannot search"
        criteria = filter.criteria()
        if not criteria:  # no criterion would list the whole back end
            return f"{name} searches by at least one criterion"
        needing = self.search_criteria_needing
        unknown = criteria - self.search_criteria - needing.keys()
        if unknown:
            return f"{name} cannot search by {', '.join(sorted(unknown))}"
        for criterion in sorted(criteria & needing.keys()):
            if not needing[criterion] <= criteria:
                others = ", ".join(sorted(needing[criterion]))
                return f"{name} searches by {criterion} only with {others}"
        return None

    async def search(self, filter: CustomerFilter, page: PageRequest) -> Page[Customer]:
        raise self._unsupported("search customers")

    async def get_customer(self, native_id: str) -> Customer:
        raise self._unsupported("read a customer")

    async def get_customers(self, native_ids: Sequence[str]) -> list[Customer | UpstreamError]:
        """One result per id, in order; each distinct id is fetched once."""
        return await self.gather_distinct(native_ids, self.get_customer)

    async def create_customer(self, draft: CustomerDraft) -> Customer:
        """Create, then return the record as read back."""
        raise self._unsupported("create customers")

    async def create_or_recover(self, draft: CustomerDraft) -> Created:
        """Create; when the answer was lost on its way back, find the record made.

        The create itself is never sent twice (it could make a duplicate): the record is
        looked up by its natural key (`find_created`) and returned only when exactly one
        record matches what was sent; otherwise the create's own error stands.
        """
        try:
            return Created(await self.create_customer(draft))
        except UpstreamError as error:
            if not error.answer_lost:
                raise
            try:
                found = await self.find_created(draft)
            except UpstreamError:
                raise error from None
            if found is None:
                raise
            return Created(found, recovered=True)

    async def find_created(self, draft: CustomerDraft) -> Customer | None:
        """The one record that matches `draft`, found by email; None unless exactly one."""
        if not draft.email or not self.supports(Capability.SEARCH):
            return None
        page = await self.search(CustomerFilter(email=draft.email), PageRequest(0, 10))
        matching = [c for c in page.items if matches_draft(c, draft)]
        if len(matching) != 1:
            return None
        return await self.get_customer(matching[0].native_id)

    async def update_customer(self, native_id: str, patch: CustomerPatch) -> Customer:
        """Patch (KEEP = unchanged, None = clear), then return the record as read back."""
        raise self._unsupported("update customers")

    async def get_loyalties(
        self, requests: Sequence[LoyaltyRequest]
    ) -> list[Loyalty | None | UpstreamError]:
        """Each customer's loyalty summary alone (None: the customer has none).

        By default read from the profiles (`get_customers`, one batch); a back end that
        holds loyalty apart from the profile reads only the records the fields need.
        """
        if not self.supports(Capability.LOYALTY):
            return [self._unsupported("read loyalty")] * len(requests)
        found = await self.get_customers([r.native_id for r in requests])
        return [f if isinstance(f, UpstreamError) else f.loyalty for f in found]

    async def list_travelers(self, customer_native_id: str) -> list[Traveler]:
        raise self._unsupported("list travelers")

    async def list_travelers_many(
        self, customer_native_ids: Sequence[str]
    ) -> list[list[Traveler] | UpstreamError]:
        return await self.gather_distinct(customer_native_ids, self.list_travelers)

    async def add_traveler(self, customer_native_id: str, draft: TravelerDraft) -> Traveler:
        raise self._unsupported("add travelers")

    async def list_travel_documents(self, customer_native_id: str) -> list[TravelDocument]:
        raise self._unsupported("list travel documents")

    async def list_travel_documents_many(
        self, customer_native_ids: Sequence[str]
    ) -> list[list[TravelDocument] | UpstreamError]:
        return await self.gather_distinct(customer_native_ids, self.list_travel_documents)

    async def update_travel_documents(
        self, customer_native_id: str, documents: Sequence[TravelDocumentPatch]
    ) -> list[TravelDocument]:
        """Apply the patches, then return all the customer's documents as read back."""
        raise self._unsupported("update travel documents")

    # --- the customer's related records (Capability.RELATIONSHIPS) ---------------------
    # Paged lists take a PageRequest and answer a Page (total = all the customer's records);
    # `*_many` are the loaders' batch entry points: one answer per key, in order.

    async def list_purchases(self, customer_native_id: str, page: PageRequest) -> Page[Purchase]:
        raise self._unsupported("list purchases")

    async def list_point_records(
        self, customer_native_id: str, page: PageRequest
    ) -> Page[PointRecord]:
        raise self._unsupported("list point records")

    async def list_credits(self, customer_native_id: str, page: PageRequest) -> Page[Credit]:
        raise self._unsupported("list credits")

    async def list_vouchers(self, customer_native_id: str, page: PageRequest) -> Page[Voucher]:
        raise self._unsupported("list vouchers")

    async def list_rewards(self, customer_native_id: str, page: PageRequest) -> Page[Reward]:
        raise self._unsupported("list rewards")

    async def list_cards(self, customer_native_id: str, page: PageRequest) -> Page[LoyaltyCard]:
        raise self._unsupported("list loyalty cards")

    async def list_status_records(
        self, customer_native_id: str, page: PageRequest
    ) -> Page[StatusRecord]:
        raise self._unsupported("list status records")

    async def list_recommendations(
        self, customer_native_id: str, page: PageRequest
    ) -> Page[Recommendation]:
        raise self._unsupported("list recommendations")

    async def list_customer_sources(
        self, customer_native_id: str, page: PageRequest
    ) -> Page[CustomerSource]:
        raise self._unsupported("list customer sources")

    async def list_segments(self, customer_native_id: str) -> list[Segment]:
        raise self._unsupported("list segments")

    async def list_properties(self, customer_native_id: str) -> list[CustomerProperty]:
        raise self._unsupported("list property records")

    async def list_interests(self, customer_native_id: str) -> list[Interest]:
        raise self._unsupported("list interest records")

    async def list_purchases_many(
        self, keys: Sequence[CustomerPage]
    ) -> list[Page[Purchase] | UpstreamError]:
        return await self.gather_distinct(keys, lambda k: self.list_purchases(*k))

    async def list_point_records_many(
        self, keys: Sequence[CustomerPage]
    ) -> list[Page[PointRecord] | UpstreamError]:
        return await self.gather_distinct(keys, lambda k: self.list_point_records(*k))

    async def list_credits_many(
        self, keys: Sequence[CustomerPage]
    ) -> list[Page[Credit] | UpstreamError]:
        return await self.gather_distinct(keys, lambda k: self.list_credits(*k))

    async def list_vouchers_many(
        self, keys: Sequence[CustomerPage]
    ) -> list[Page[Voucher] | UpstreamError]:
        return await self.gather_distinct(keys, lambda k: self.list_vouchers(*k))

    async def list_rewards_many(
        self, keys: Sequence[CustomerPage]
    ) -> list[Page[Reward] | UpstreamError]:
        return await self.gather_distinct(keys, lambda k: self.list_rewards(*k))

    async def list_cards_many(
        self, keys: Sequence[CustomerPage]
    ) -> list[Page[LoyaltyCard] | UpstreamError]:
        return await self.gather_distinct(keys, lambda k: self.list_cards(*k))

    async def list_status_records_many(
        self, keys: Sequence[CustomerPage]
    ) -> list[Page[StatusRecord] | UpstreamError]:
        return await self.gather_distinct(keys, lambda k: self.list_status_records(*k))

    async def list_recommendations_many(
        self, keys: Sequence[CustomerPage]
    ) -> list[Page[Recommendation] | UpstreamError]:
        return await self.gather_distinct(keys, lambda k: self.list_recommendations(*k))

    async def list_customer_sources_many(
        self, keys: Sequence[CustomerPage]
    ) -> list[Page[CustomerSource] | UpstreamError]:
        return await self.gather_distinct(keys, lambda k: self.list_customer_sources(*k))

    async def list_segments_many(
        self, customer_native_ids: Sequence[str]
    ) -> list[list[Segment] | UpstreamError]:
        return await self.gather_distinct(customer_native_ids, self.list_segments)

    async def list_properties_many(
        self, customer_native_ids: Sequence[str]
    ) -> list[list[CustomerProperty] | UpstreamError]:
        return await self.gather_distinct(customer_native_ids, self.list_properties)

    async def list_interests_many(
        self, customer_native_ids: Sequence[str]
    ) -> list[list[Interest] | UpstreamError]:
        return await self.gather_distinct(customer_native_ids, self.list_interests)

    async def add_property(self, customer_native_id: str, draft: PropertyDraft) -> CustomerProperty:
        """Add a property record, then return it as read back."""
        raise self._unsupported("add property records")

    async def update_property(
        self, customer_native_id: str, property_native_id: str, patch: PropertyPatch
    ) -> CustomerProperty:
        """Patch (KEEP = unchanged, None = clear); NOT_FOUND for an unknown record."""
        raise self._unsupported("update property records")

    async def delete_property(self, customer_native_id: str, property_native_id: str) -> None:
        raise self._unsupported("delete property records")

    async def add_interest(self, customer_native_id: str, draft: InterestDraft) -> Interest:
        """Add an interest record, then return it as read back."""
        raise self._unsupported("add interest records")

    async def update_interest(
        self, customer_native_id: str, interest_native_id: str, patch: InterestPatch
    ) -> Interest:
        """Patch (KEEP = unchanged); NOT_FOUND for an unknown record."""
        raise self._unsupported("update interest records")

    async def delete_interest(self, customer_native_id: str, interest_native_id: str) -> None:
        raise self._unsupported("delete interest records")

    # --- a customer's own credentials (Capability.CREDENTIALS) ---------------------------
    # Each answers the customer the credentials identify, or raises InvalidCredentials.

    async def verify_credentials(self, login: PasswordLogin) -> Customer:
        raise self._unsupported("verify customer credentials")

    async def verify_social_credentials(self, login: SocialLogin) -> Customer:
        raise self._unsupported("verify social network credentials")

    async def verify_auth_token(self, login: AuthTokenLogin) -> Customer:
        raise self._unsupported("verify authentication tokens")

    async def ping(self) -> None:
        """Raise an UpstreamError when the back end cannot be reached (for /readyz)."""
        raise self._unsupported("be checked")

    async def gather_distinct(
        self, keys: Sequence[K], fetch: Callable[[K], Awaitable[T]]
    ) -> list[T | UpstreamError]:
        """`fetch` each distinct key once, all concurrently: one result (or error) per key.

        No limit of its own: the back end's bulkhead (its `Upstream`'s policy) bounds the
        requests in flight, so a fan-out of any size goes out as fast as it allows.
        """

        async def one(key: K) -> T | UpstreamError:
            try:
                return await fetch(key)
            except UpstreamError as error:
                return error

        distinct = list(dict.fromkeys(keys))
        results = await asyncio.gather(*(one(key) for key in distinct))
        by_key = dict(zip(distinct, results, strict=True))
        return [by_key[key] for key in keys]
