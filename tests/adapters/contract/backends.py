"""What the contract suite needs to know of each back end that its adapter does not say.

One `BackendFacts` per back end: its seed record as the adapter must read it, a well-formed
id it does not know, a fresh draft it holds whole (in the form it reads back), and the
routes the suite counts or breaks. `build_adapter` builds each by its spec (adapters/registry.py).
A fourth back end is one more entry in BACKENDS.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from adapters.base import CustomerAdapter
from adapters.locks import ProcessLocks
from adapters.model import (
    CUSTOMER_FIELDS,
    Address,
    Backend,
    Consent,
    Customer,
    CustomerDraft,
    Gender,
    Loyalty,
    LoyaltyTier,
    Phone,
    PhoneType,
)
from adapters.registry import BACKENDS as REGISTRY
from adapters.spec import Resources
from adapters.upstream import Upstream
from sandboxes.common import credentials


def build_adapter(backend: Backend, upstream: Upstream, url: str) -> CustomerAdapter:
    """`backend`'s adapter on the sandbox at `url`, sending through `upstream`: built by its
    spec, as the gateway builds it, with the credentials the sandbox accepts."""
    [spec] = [spec for spec in REGISTRY if spec.backend is backend]
    settings = spec.settings(base_url=url, **credentials.BY_BACKEND[backend])
    return spec.adapter(settings, upstream, Resources(locks=ProcessLocks()))


_serial = itertools.count()


def unique(prefix: str) -> str:
    """`prefix` and four letters no other draft of the session has (names take no digits;
    one width, so no name is the start of another)."""
    n, letters = next(_serial), ""
    for _ in range(4):
        n, rest = divmod(n, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
    return f"{prefix}{letters}"


@dataclass(frozen=True)
class BackendFacts:
    backend: Backend
    # The seed record, every field as the adapter must read it.
    seed: Customer
    # A well-formed id the back end does not know.
    missing_id: str
    # A fresh draft of everything the back end holds, as it reads it back; shared last name
    # and first name when given.
    draft: Callable[[str, str], CustomerDraft]
    # Counted requests that fetch credentials, not data.
    auth_routes: frozenset[str]
    # What no error may show.
    secrets: tuple[str, ...]
    # Where a create goes: the path prefix a fault takes, and the route as counted.
    create_prefix: str
    create_route: str
    # The path prefix of every read of one record (but not of its neighbours').
    record_prefix: Callable[[str], str]


def _clubmed_draft(first_name: str, last_name: str) -> CustomerDraft:
    return CustomerDraft(
        first_name=first_name,
        last_name=last_name,
        email=f"{unique('contract.')}@example.com",
        birthdate=date(1990, 3, 12),
        gender=Gender.FEMALE,
        phones=(Phone("+33 6 23 45 67 89", PhoneType.MOBILE), Phone("0123456789", PhoneType.HOME)),
        address=Address("1 Rue de Rivoli", "Bât. B", "3e étage", "Paris", "75001", "IDF", "FR"),
        locale="fr-FR",
    )


def _carecloud_draft(first_name: str, last_name: str) -> CustomerDraft:
    # One phone, typed MOBILE or not at all, in international digits; no address region;
    # a locale that is a bare language ([DOC] docs/backends/carecloud.md#customer-record).
    return CustomerDraft(
        first_name=first_name,
        last_name=last_name,
        email=f"{unique('contract.')}@example.com",
        birthdate=date(1990, 3, 12),
        gender=Gender.FEMALE,
        phones=(Phone("+33623456789", PhoneType.MOBILE),),
        address=Address("1 Rue de Rivoli", "Bât. B", "3e étage", "Paris", "75001", None, "FR"),
        locale="fr",
    )


def _relay_draft(first_name: str, last_name: str) -> CustomerDraft:
    # The caller's ccid; no email, no locale, two address lines; phones as digits.
    return CustomerDraft(
        first_name=first_name,
        last_name=last_name,
        native_id=unique("CONTRACT-").upper(),
        birthdate=date(1990, 3, 12),
        gender=Gender.FEMALE,
        phones=(Phone("6175550100", PhoneType.MOBILE), Phone("6175550101", PhoneType.HOME)),
        address=Address("1 Main Street", "Apt 2", None, "Boston", "02108", "MA", "US"),
    )


CLUBMED = BackendFacts(
    backend=Backend.CLUBMED,
    seed=Customer(
        Backend.CLUBMED,
        "123456789",  # John Smith, the seeds' search and profile examples merged
        known_fields=CUSTOMER_FIELDS,
        membership_number="123456789",
        first_name="John",
        middle_name="James",
        last_name="Smith",
        birthdate=date(1980, 1, 17),
        birth_city="Paris",
        gender=Gender.MALE,
        email="john@h.fr",
        phones=(Phone("0623456789", PhoneType.MOBILE),),
        addresses=(Address(city="Aix-en-Provence", postal_code="75000", country_code="FR"),),
        locale="fr-FR",
        loyalty=Loyalty("EXCLUDED", None, 1200, False, tier=LoyaltyTier.EXCLUDED),
        third_name="Edward",
        civility="MR",
    ),
    missing_id="999999999999",
    draft=_clubmed_draft,
    auth_routes=frozenset({"POST /token"}),
    secrets=(credentials.CLUBMED_CLIENT_SECRET, credentials.CLUBMED_API_KEY),
    create_prefix="/v1/customers",
    create_route="POST /v1/customers",
    record_prefix=lambda native_id: f"/v2/customers/{native_id}/",
)

CARECLOUD = BackendFacts(
    backend=Backend.CARECLOUD,
    seed=Customer(
        Backend.CARECLOUD,
        "8ea6abece4cd0a4ded0a29f093",  # John Smith, the seed's listed customer
        known_fields=CUSTOMER_FIELDS,
        membership_number="200120000290",
        first_name="John",
        last_name="Smith",
        birthdate=date(1985, 2, 12),
        gender=Gender.MALE,
        email="happy_customer@crmcarecloud.com",
        phones=(Phone("+420523828931", PhoneType.MOBILE),),
        addresses=(Address("Old Town Square", "34", None, "Prague 1", "11000", None, "CZ"),),
        locale="en",
        loyalty=Loyalty(
            "Gold", "Silver", 1250, None, "2015-03-01", date(2031, 12, 31), LoyaltyTier.GOLD
        ),
        consents=(
            Consent("ANY", "GTC", True),
            Consent("ANY", "PROFILING", True),
            Consent("ANY", "MARKETING", True),
        ),
    ),
    missing_id="ffffffffffffffffffffffffff",
    draft=_carecloud_draft,
    auth_routes=frozenset({"POST /users/actions/login"}),
    secrets=(credentials.CARECLOUD_LOGIN, credentials.CARECLOUD_PASSWORD),
    create_prefix="/customers",
    create_route="POST /customers",
    # Its cards, points and status records: a batch reads the records themselves in one call.
    record_prefix=lambda native_id: f"/customers/{native_id}/",
)

RELAY = BackendFacts(
    backend=Backend.RELAY,
    seed=Customer(
        Backend.RELAY,
        "BAK-11984-007",  # Roger Harold Moore, the seed's example
        known_fields=CUSTOMER_FIELDS,
        membership_number="ABC123",
        first_name="Roger",
        middle_name="Harold",
        last_name="Moore",
        birthdate=date(1954, 12, 1),
        gender=Gender.MALE,
        phones=(Phone("6105551212", PhoneType.MOBILE),),
        addresses=(
            Address("201 King of Prussia Road", "Suite 161", None, "Radnor", "19087", "PA", "US"),
        ),
        loyalty=Loyalty(
            status="gold",
            member_since="1999",
            renewal_date=date(2024, 5, 1),
            tier=LoyaltyTier.GOLD,
        ),
        consents=(Consent("SMS", "MESSAGING", True),),
    ),
    missing_id="NOPE-0",
    draft=_relay_draft,
    auth_routes=frozenset(),
    secrets=(credentials.RELAY_API_KEY,),
    create_prefix="/cdm/client/",
    create_route="POST /cdm/client/{client_id}/load-customer-record",
    record_prefix=lambda ccid: f"/cdm/client/{credentials.RELAY_CLIENT_ID}/customer/{ccid}",
)

BACKENDS = (CLUBMED, CARECLOUD, RELAY)
