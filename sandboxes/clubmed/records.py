"""Club Med customer records: built from generated people, rendered as JSON.

A stored record is a dict close to the v2 profile (docs/backends/clubmed.md#customer-record), empty
fields `None`, dates `yyyymmdd` strings (the seed's are in `seed.py`). Renderers shape it for each
route: the search item, the v2 profile, the traveler and the travel-document object.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import date
from typing import Any, Final

from sandboxes.common import FEMALE_FIRST_NAMES, Person
from sandboxes.common.people import Companion, NationalId

Record = dict[str, Any]

ADDRESS_FIELDS: Final = (
    "number",
    "street",
    "add_on",
    "town",
    "city",
    "zip_code",
    "state_or_district",
    "country",
    "country_code",
    "additional_information_1",
    "additional_information_2",
)
DOCUMENT_KEYS: Final = ("passport", "id_card", "driving_licence")
DOCUMENT_FIELDS: Final = ("document_number", "issuing_country", "nationality", "expiration_date")
GENERATED_ID_BASE: Final = 200_000_000
GENERATED_GM_BASE: Final = 500_000_000
# [INF] Civility codes: "MR" is in the docs (docs/backends/clubmed.md#customer-record); "MRS" is our
# guess.
CIVILITY: Final = {"M": "MR", "F": "MRS"}


def yyyymmdd(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"  # strftime is slower, at 100k


def empty_address() -> dict[str, Any]:
    return dict.fromkeys(ADDRESS_FIELDS)


def no_documents() -> Record:
    return {"passport": None, "id_card": None, "driving_licence": None, "visas": []}


def _platinum_for_life(person: Person) -> bool:
    """[INF] Platinum members since before 2000 keep the tier for life."""
    return person.loyalty_tier == "PLATINUM" and person.member_since < 2000


def _address_of(person: Person) -> Record:
    place = person.place
    return empty_address() | {
        "number": str(person.street_number),
        "street": person.street,
        "city": place.city,
        "zip_code": place.postal_code,
        "state_or_district": place.region,
        "country": place.country_name,
        "country_code": place.country_code,
    }


def _identity_of(national_id: NationalId | None) -> Record | None:
    """identity {number, type} (docs/backends/clubmed.md#customer-record)."""
    if national_id is None:
        return None
    return {"number": national_id.number, "type": national_id.kind}


def record_of(person: Person, customer_id: str, gm_number: str) -> Record:
    """The stored record of a generated person (phones in national format,
    docs/backends/clubmed.md#customer-record)."""
    return {
        "id": customer_id,
        "gm_number": gm_number,
        "email": person.email,
        "gender": person.gender,
        "civility": CIVILITY[person.gender],
        "first_name": person.first_name,
        "second_name": person.middle_name,
        "third_name": None,
        "last_name": person.last_name,
        "birth_city": None,
        "birth_country_code": person.place.country_code,
        "birthdate": yyyymmdd(person.birthdate),
        "phones": [{"number": "0" + person.phone_national, "type": "MOBILE"}],
        "address": _address_of(person),
        "identity": _identity_of(person.national_id()),
        "loyalty_program": {
            "status": person.loyalty_tier,
            "previous_status": None,
            "is_platinum_for_life": _platinum_for_life(person),
            "points": person.loyalty_points,
        },
        "locale": person.place.locale,
        "optins": [
            {"channel": "EMAIL", "optin": person.marketing_consent, "optin_partners": False},
            {"channel": "MAIL", "optin": False, "optin_partners": False},
        ],
        # [INF] "CLIENT" is documented (docs/backends/clubmed.md#customer-record); "CUSTOMER" as the
        # status of an existing client is ours (only "PROSPECT" is documented, which created
        # customers get).
        "customer_type": "CLIENT",
        "customer_status": "CUSTOMER",
        "blacklisted": False,
    }


def _traveler_of(person: Person, n: int, c: Companion) -> Record:
    phone = c.phone_national
    return {
        "id": f"traveler-{n}",
        "first_name": c.first_name,
        "last_name": c.last_name,
        "birthdate": yyyymmdd(c.birthdate),
        "civility": "MRS" if c.first_name in FEMALE_FIRST_NAMES else "MR",
        "email": c.email,
        "phones": [{"number": "0" + phone, "type": "MOBILE"}] if phone else [],
        "address": _address_of(person) if c.lives_with_holder else None,
        "identity": _identity_of(c.national_id),
    }


def travelers_of(person: Person) -> list[Record]:
    """The person's companions as stored travelers `traveler-1`, `traveler-2`, ...: their
    contact details the generator's, the address the person's where they live with them."""
    return [_traveler_of(person, n, c) for n, c in enumerate(person.companions(), start=1)]


def documents_of(person: Person) -> Record:
    """The person's travel documents: a passport of their country, or none."""
    documents = no_documents()
    passport = person.passport()
    if passport is not None:
        documents["passport"] = {
            "document_number": passport.number,
            "issuing_country": passport.issuing_country,
            "nationality": passport.issuing_country,
            "expiration_date": yyyymmdd(passport.expiration_date),
        }
    return documents


# --- rendering -------------------------------------------------------------------------


def _null_if_empty(value: Any) -> Any:
    """v2 emits null, never "", for an empty field (docs/backends/clubmed.md#routes)."""
    return None if value == "" else value


def _dashed(value: str | None) -> str | None:
    return f"{value[:4]}-{value[4:6]}-{value[6:]}" if value else None


def search_item(record: Record) -> Record:
    """An item of GET /v1/customers (the seed's example keys, only those)."""
    loyalty = record["loyalty_program"]
    return {
        "id": record["id"],
        "gm_number": record["gm_number"],
        "first_name": record["first_name"],
        "last_name": record["last_name"],
        "birthdate": record["birthdate"],
        "email": record["email"],
        "phones": deepcopy(record["phones"]),
        "loyalty_program": {"status": loyalty["status"], "points": loyalty["points"]},
    }


def profile(record: Record, dashed_dates: bool) -> Record:
    """GET /v2/customers/{id}/profile: every empty field null; dates yyyymmdd or yyyy-mm-dd."""
    body = {k: _null_if_empty(deepcopy(v)) for k, v in record.items() if k != "id"}
    if body["address"] is not None:
        body["address"] = {k: _null_if_empty(v) for k, v in body["address"].items()}
    birthdate = _dashed(record["birthdate"]) if dashed_dates else record["birthdate"]
    body["birthdate"] = body["birthday"] = birthdate
    locale = record["locale"]
    # [INF] language_code is the locale's language, upper case
    # (docs/backends/clubmed.md#customer-record shows "FR").
    body["language_code"] = locale.split("-")[0].upper() if locale else None
    body["_links"] = [
        {"rel": "self", "method": "GET", "href": f"/v2/customers/{record['id']}/profile"},
    ]
    return body


def traveler(stored: Record) -> Record:
    """A traveler as GET renders it (docs/backends/clubmed.md#travelers; birthdate yyyymmdd);
    a key the stored traveler lacks (the seed's shows three) is null, or [] for lists."""
    address = stored.get("address")
    return {
        "id": stored["id"],
        "first_name": stored["first_name"],
        "last_name": stored["last_name"],
        "birthdate": stored.get("birthdate"),
        "civility": stored.get("civility"),
        "email": stored.get("email"),
        "phones": deepcopy(stored.get("phones") or []),
        "optins": [],
        "birth_country_code": None,
        "identity": deepcopy(stored.get("identity")),
        "address": None if address is None else {k: _null_if_empty(v) for k, v in address.items()},
    }
