"""The CareCloud adapter: search, read (with loyalty), create and update customers, their
related records (`related.py`), and the customer credentials CareCloud verifies.

CareCloud has no travelers and no travel documents. A search returns every personal field;
the membership number and loyalty need the customer's cards, points and status records,
which `get_customer(s)` fetch concurrently. Updates read, merge and PUT (CareCloud's PUT
replaces the whole record), one at a time per record under a write lock.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

from adapters.base import Capability, CustomerAdapter
from adapters.carecloud import mapping
from adapters.carecloud import records as routes
from adapters.carecloud.actions import CustomerActions
from adapters.carecloud.client import CareCloudClient, CareCloudSettings
from adapters.carecloud.loyalty import (
    ALL_LISTS,
    CARDS,
    LISTS_OF,
    POINTS,
    STATUS_RECORDS,
    LoyaltyRecords,
    loyalty_from,
    membership_number,
)
from adapters.carecloud.related import RelatedRecords
from adapters.carecloud.statuses import StatusCatalog
from adapters.errors import (
    Unsupported,
    UpstreamBadRequest,
    UpstreamConflict,
    UpstreamError,
    UpstreamNotFound,
)
from adapters.locks import LockBusy, ProcessLocks, RecordLocks
from adapters.model import (
    Backend,
    Customer,
    CustomerDraft,
    CustomerFilter,
    CustomerPatch,
    Loyalty,
    Page,
    PageRequest,
)
from adapters.relationships import (
    AuthTokenLogin,
    Credit,
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
from adapters.spec import BackendSpec, Resources
from adapters.upstream import Upstream


class CareCloudAdapter(CustomerAdapter):
    backend = Backend.CARECLOUD
    capabilities = frozenset(
        {
            Capability.SEARCH,
            Capability.READ,
            Capability.CREATE,
            Capability.UPDATE,
            Capability.LOYALTY,
            Capability.RELATIONSHIPS,
            Capability.CREDENTIALS,
        }
    )
    search_criteria = frozenset({"first_name", "last_name", "email", "phone", "birthdate"})
    # The card is searched by the search-customers action, whose strict mode (the only one
    # it has) needs first name, last name and birthdate with it
    # ([DOC] docs/backends/carecloud.md#actions).
    search_criteria_needing = {
        "membership_number": frozenset({"first_name", "last_name", "birthdate"})
    }
    caller_assigns_id = False

    def __init__(
        self,
        client: CareCloudClient,
        *,
        status_ttl_seconds: float = 300.0,
        locks: RecordLocks | None = None,
    ) -> None:
        self._settings = client.settings
        self._client = client
        self._statuses = StatusCatalog(self._client.statuses, ttl_seconds=status_ttl_seconds)
        # Read-merge-PUT turns per record; the app passes locks every worker shares.
        self._locks = locks if locks is not None else ProcessLocks()
        self._related = RelatedRecords(client, self._statuses)
        self._actions = CustomerActions(client)

    async def ping(self) -> None:
        await self._client.ping()

    # --- search --------------------------------------------------------------------------

    async def search(self, filter: CustomerFilter, page: PageRequest) -> Page[Customer]:
        refusal = self.search_refusal(filter)
        if refusal is not None:
            raise Unsupported(self.backend, refusal)
        if filter.membership_number:
            return await self._search_by_card(filter, page)
        params: dict[str, Any] = mapping.search_params(filter)
        params.update(count=max(page.limit, 1), offset=page.offset)
        found, total = await self._client.list_customers(params)
        items = tuple(mapping.customer_from_json(raw) for raw in found[: page.limit])
        return Page(items, page.offset, total, page.offset + len(items) < total)

    async def _search_by_card(self, filter: CustomerFilter, page: PageRequest) -> Page[Customer]:
        """search-customers (strict), each match with its score; email and phone after."""
        assert filter.first_name and filter.last_name and filter.birthdate
        assert filter.membership_number is not None
        matches = await self._client.search_strict(
            first_name=filter.first_name,
            last_name=filter.last_name,
            birthdate=filter.birthdate.isoformat(),
            card_number=filter.membership_number,
        )
        scores: dict[str, float | None] = {}
        for native_id, match in matches:  # CareCloud's match is a percentage
            scores.setdefault(native_id, None if match is None else match / 100)
        found: dict[str, dict[str, Any]] = {}
        for native_id, raw in (await self._base_records(list(scores))).items():
            if isinstance(raw, UpstreamError):
                raise raw
            found[native_id] = raw
        email = filter.email.casefold() if filter.email else None
        phone = mapping.phone_digits(filter.phone) if filter.phone else None
        kept = [i for i in scores if i in found and _has_contact(found[i], email, phone)]
        window = kept[page.offset : page.offset + page.limit]
        return Page(
            tuple(mapping.customer_from_json(found[i]) for i in window),
            page.offset,
            len(kept),
            page.offset + len(window) < len(kept),
            scores=tuple(scores[i] for i in window),
        )

    # --- reads ---------------------------------------------------------------------------

    async def get_customer(self, native_id: str) -> Customer:
        raw, records = await asyncio.gather(
            self._client.get_customer(native_id),
            self._loyalty_records(native_id),
            return_exceptions=True,
        )
        for result in (raw, records):  # the customer's own error first (its 404, say)
            if isinstance(result, BaseException):
                raise result
        assert isinstance(raw, dict) and isinstance(records, LoyaltyRecords)
        return await self._full(raw, records)

    async def get_customers(self, native_ids: Sequence[str]) -> list[Customer | UpstreamError]:
        """One GET /customers?customer_ids[]=... per 100 ids, then each one's loyalty.

        A failed call fails only the ids it asked for; an id it did not return is NOT_FOUND.
        """
        distinct = list(dict.fromkeys(native_ids))
        found = await self._base_records(distinct)
        present = [i for i in distinct if isinstance(found.get(i), dict)]
        loyalty = await self.gather_distinct(present, self._loyalty_records)
        results: dict[str, Customer | UpstreamError] = {
            i: UpstreamNotFound(self.backend, "customer not found", status=404) for i in distinct
        }
        results.update({i: e for i, e in found.items() if isinstance(e, UpstreamError)})
        for native_id, records in zip(present, loyalty, strict=True):
            raw = found[native_id]
            assert isinstance(raw, dict)
            try:
                if isinstance(records, UpstreamError):
                    raise records
                results[native_id] = await self._full(raw, records)
            except UpstreamError as error:
                results[native_id] = error
        return [results[i] for i in native_ids]

    async def _base_records(self, ids: Sequence[str]) -> dict[str, dict[str, Any] | UpstreamError]:
        """The customers CareCloud returns for `ids`, or the error of the call that asked."""
        return await self._client.customers(ids)

    async def _loyalty_records(
        self, native_id: str, lists: frozenset[tuple[str, str]] = ALL_LISTS
    ) -> LoyaltyRecords:
        """The customer's cards, points and status records, those of `lists` only."""

        async def read(wanted: tuple[str, str]) -> list[dict[str, Any]]:
            return await self._client.list_all(native_id, *wanted) if wanted in lists else []

        cards, points, statuses = await asyncio.gather(
            read(CARDS), read(POINTS), read(STATUS_RECORDS)
        )
        return LoyaltyRecords(cards, points, statuses)

    async def get_loyalties(
        self, requests: Sequence[LoyaltyRequest]
    ) -> list[Loyalty | None | UpstreamError]:
        """The summaries alone: no customer record read, only the lists the fields need."""
        return await self.gather_distinct(requests, self._loyalty)

    async def _loyalty(self, request: LoyaltyRequest) -> Loyalty | None:
        lists = frozenset(found for name in request.fields for found in LISTS_OF.get(name, ()))
        records = await self._loyalty_records(request.native_id, lists)
        names = await self._statuses.names(records.status_ids())
        loyalty = loyalty_from(records, names, datetime.now(UTC).replace(tzinfo=None))
        # None says "no loyalty record at all", known only when every list was read.
        return loyalty if loyalty is not None or lists == ALL_LISTS else Loyalty()

    async def _full(self, raw: dict[str, Any], records: LoyaltyRecords) -> Customer:
        """The customer with its membership number and loyalty: every field known."""
        names = await self._statuses.names(records.status_ids())
        # Status validity is project-local time without offset; the sandbox's project is UTC.
        now = datetime.now(UTC).replace(tzinfo=None)
        return dataclasses.replace(
            mapping.customer_from_json(raw),
            known_fields=mapping.FULL_FIELDS,
            membership_number=membership_number(records.cards),
            loyalty=loyalty_from(records, names, now),
        )

    # --- writes --------------------------------------------------------------------------

    async def create_customer(self, draft: CustomerDraft) -> Customer:
        if draft.native_id is not None:
            raise UpstreamBadRequest(
                self.backend, "CareCloud assigns customer ids", field="nativeId"
            )
        body = mapping.new_customer_body(
            draft,
            customer_source_id=self._settings.customer_source_id,
            default_language_id=self._settings.default_language_id,
        )
        customer_id = await self._client.create_customer(body)
        return await self.get_customer(customer_id)

    async def update_customer(self, native_id: str, patch: CustomerPatch) -> Customer:
        """Read, merge, check nothing moved, PUT the whole record, in the record's turn.

        CareCloud has no ETag or If-Match ([DOC] docs/backends/carecloud.md#updates), so two updates
        of one record that interleave would each PUT what the other did not see. The write lock
        (shared by every worker of the host) makes each update read the record only once the
        previous one has written it; the re-read right before the PUT catches a writer outside the
        gateway, which no lock of ours can stop.
        """
        mapping.check_patch(patch)
        try:
            async with self._locks.hold(self._lock_key(native_id)):
                seen = await self._client.get_customer(native_id, fresh=True)
                merged = mapping.merge_patch(seen["personal_information"], patch)
                if merged != mapping.writable(seen["personal_information"]):
                    await self._confirm_unchanged(native_id, seen)
                    await self._client.replace_customer(
                        native_id, {"customer": {"personal_information": merged}}
                    )
        except LockBusy:
            raise UpstreamConflict(
                self.backend,
                "another update of this customer is still being written; try again",
                reason="UPDATE_IN_PROGRESS",
            ) from None
        return await self.get_customer(native_id)

    def _lock_key(self, native_id: str) -> str:
        """One lock per record of this CareCloud project (a host may serve several)."""
        return f"{self.backend.value}|{self._client.base_url}|{native_id}"

    async def _confirm_unchanged(self, native_id: str, seen: dict[str, Any]) -> None:
        """Read again right before the PUT; last_change has one-second resolution, so the
        record itself is compared too."""
        now = await self._client.get_customer(native_id, fresh=True)
        if now.get("last_change") != seen.get("last_change") or now.get(
            "personal_information"
        ) != seen.get("personal_information"):
            raise UpstreamConflict(self.backend, "the customer changed while it was being updated")

    # --- related records ---------------------------------------------------------------

    async def list_purchases(self, customer_native_id: str, page: PageRequest) -> Page[Purchase]:
        return await self._related.page(routes.PURCHASES, customer_native_id, page)

    async def list_point_records(
        self, customer_native_id: str, page: PageRequest
    ) -> Page[PointRecord]:
        return await self._related.page(routes.POINTS, customer_native_id, page)

    async def list_credits(self, customer_native_id: str, page: PageRequest) -> Page[Credit]:
        return await self._related.page(routes.CREDITS, customer_native_id, page)

    async def list_vouchers(self, customer_native_id: str, page: PageRequest) -> Page[Voucher]:
        return await self._related.page(routes.VOUCHERS, customer_native_id, page)

    async def list_rewards(self, customer_native_id: str, page: PageRequest) -> Page[Reward]:
        return await self._related.page(routes.REWARDS, customer_native_id, page)

    async def list_cards(self, customer_native_id: str, page: PageRequest) -> Page[LoyaltyCard]:
        return await self._related.page(routes.CARDS, customer_native_id, page)

    async def list_status_records(
        self, customer_native_id: str, page: PageRequest
    ) -> Page[StatusRecord]:
        return await self._related.status_records(customer_native_id, page)

    async def list_recommendations(
        self, customer_native_id: str, page: PageRequest
    ) -> Page[Recommendation]:
        return await self._related.page(routes.RECOMMENDATIONS, customer_native_id, page)

    async def list_customer_sources(
        self, customer_native_id: str, page: PageRequest
    ) -> Page[CustomerSource]:
        return await self._related.page(routes.CUSTOMER_SOURCES, customer_native_id, page)

    async def list_segments(self, customer_native_id: str) -> list[Segment]:
        return await self._related.whole(routes.SEGMENTS, customer_native_id)

    async def list_properties(self, customer_native_id: str) -> list[CustomerProperty]:
        return await self._related.whole(routes.PROPERTIES, customer_native_id)

    async def list_interests(self, customer_native_id: str) -> list[Interest]:
        return await self._related.whole(routes.INTERESTS, customer_native_id)

    async def add_property(self, customer_native_id: str, draft: PropertyDraft) -> CustomerProperty:
        return await self._related.add_property(customer_native_id, draft)

    async def update_property(
        self, customer_native_id: str, property_native_id: str, patch: PropertyPatch
    ) -> CustomerProperty:
        return await self._related.update_property(customer_native_id, property_native_id, patch)

    async def delete_property(self, customer_native_id: str, property_native_id: str) -> None:
        await self._related.delete_property(customer_native_id, property_native_id)

    async def add_interest(self, customer_native_id: str, draft: InterestDraft) -> Interest:
        return await self._related.add_interest(customer_native_id, draft)

    async def update_interest(
        self, customer_native_id: str, interest_native_id: str, patch: InterestPatch
    ) -> Interest:
        return await self._related.update_interest(customer_native_id, interest_native_id, patch)

    async def delete_interest(self, customer_native_id: str, interest_native_id: str) -> None:
        await self._related.delete_interest(customer_native_id, interest_native_id)

    # --- a customer's credentials (Enterprise actions, [DOC] docs/backends/carecloud.md#actions)

    async def verify_credentials(self, login: PasswordLogin) -> Customer:
        return await self._actions.verify_credentials(login)

    async def verify_social_credentials(self, login: SocialLogin) -> Customer:
        return await self._actions.verify_social_credentials(login)

    async def verify_auth_token(self, login: AuthTokenLogin) -> Customer:
        return await self._actions.verify_auth_token(login)


def _has_contact(raw: dict[str, Any], email: str | None, phone: str | None) -> bool:
    """Whether a record has the email and phone a filter asks for, compared as CareCloud does."""
    info = raw.get("personal_information") or {}
    if email is not None and str(info.get("email", "")).casefold() != email:
        return False
    return phone is None or info.get("phone") == phone


def create_adapter(
    settings: CareCloudSettings, upstream: Upstream, resources: Resources
) -> CareCloudAdapter:
    client = CareCloudClient(
        upstream, settings, tokens=resources.tokens, cache=resources.caches.get(Backend.CARECLOUD)
    )
    return CareCloudAdapter(client, locks=resources.locks)


# How the gateway configures and builds CareCloud (adapters/registry.py lists it).
SPEC: Final = BackendSpec(
    Backend.CARECLOUD,
    prefix="CARECLOUD",
    settings=CareCloudSettings,
    adapter=create_adapter,
    secrets=frozenset({"password"}),
    credentials=("application_id", "login", "password"),
    choices={"auth_scheme": ("bearer", "basic")},
    tuning=frozenset({"refresh_margin_seconds", "customer_source_id", "default_language_id"}),
)
