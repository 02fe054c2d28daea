"""The questions bench.peers asks: each in this gateway's schema and in GraphQL Mesh's.

Mesh's schema is the one `mesh-compose` generates from the sandboxes' OpenAPI documents
(bench/peers/mesh.config.ts): Club Med's operations as `ClubMed_<operationId>` root fields,
with back-end field names, and two fields its additionalTypeDefs add to a search item
(`profile`, `travelers`, each resolved by the operation of that name). Both answers are
normalised to one shape (ids, names, travelers and the fields both select) before they are
compared: bench.peers refuses to measure two gateways that answer differently.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.operations import OPERATIONS, PROFILE
from gateway.ids import decode_id

Normalised = list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Question:
    """One question: its request body in each schema, how to read each answer, its floor."""

    name: str
    title: str
    ours: str  # the request body (JSON) for this gateway
    mesh: str  # the request body (JSON) for Hive Gateway serving Mesh's supergraph
    read_ours: Callable[[Any], Normalised]
    read_mesh: Callable[[Any], Normalised]
    minimal_calls: int
    bare: str  # the operation of bench.critical_path making the same calls by hand


def _digits(value: str | None) -> str | None:
    """A date as yyyymmdd: ours are ISO dates, Club Med's (and so Mesh's) yyyymmdd."""
    return None if value is None else value.replace("-", "")


# --- search 10 Club Med customers with their profile and travelers: 1 + 10 + 10 calls ----

# Club Med alone: merging two back ends' searches into one page is this gateway's own
# resolver, which Mesh has no declarative way to express (bench/operations.py's
# search_profile_travelers asks both back ends, 22 calls).
SEARCH_OURS = (
    '{ customers(filter: {lastName: "Smith"}, backends: [CLUBMED], first: 10) { edges { node { '
    + PROFILE
    + " travelers { id nativeId firstName lastName } } } } }"
)
SEARCH_MESH = (
    '{ ClubMed_searchCustomers(filter: "last_name==\\"Smith\\"", limit: 10, page: 1) { '
    "id first_name last_name "
    "profile { email birth_city locale address { city country_code } } "
    "travelers { id first_name last_name } } }"
)


def read_search_ours(answer: Any) -> Normalised:
    return [
        {
            "id": node["nativeId"],
            "first_name": node["firstName"],
            "last_name": node["lastName"],
            "email": node["email"],
            "birth_city": node["birthCity"],
            "locale": node["locale"],
            "cities": [[a["city"], a["countryCode"]] for a in node["addresses"]],
            "travelers": [
                [t["nativeId"], t["firstName"], t["lastName"]] for t in node["travelers"]
            ],
        }
        for node in (edge["node"] for edge in answer["data"]["customers"]["edges"])
    ]


def read_search_mesh(answer: Any) -> Normalised:
    found: Normalised = []
    for item in answer["data"]["ClubMed_searchCustomers"]:
        profile = item["profile"]
        address = profile["address"]
        found.append(
            {
                "id": item["id"],
                "first_name": item["first_name"],
                "last_name": item["last_name"],
                "email": profile["email"],
                "birth_city": profile["birth_city"],
                "locale": profile["locale"],
                "cities": [] if address is None else [[address["city"], address["country_code"]]],
                "travelers": [
                    [t["id"], t["first_name"], t["last_name"]] for t in item["travelers"]
                ],
            }
        )
    return found


# --- one customer by id with everything: profile, travelers, travel documents: 3 calls -----

# bench/operations.py's document, as bench.run measures it.
BY_ID_OURS = OPERATIONS["customer_everything"]
_BY_ID_MESH = (
    '{{ profile: ClubMed_getCustomerProfile(customer_id: "{id}", accept_language: "en-US") {{ '
    "gm_number first_name second_name last_name birthdate birth_city gender email "
    "phones {{ number type }} locale address {{ street city zip_code country_code }} "
    "loyalty_program {{ status previous_status points }} optins {{ channel optin }} }} "
    'travelers: ClubMed_listTravelers(customer_id: "{id}", accept_language: "en-US") {{ '
    "id first_name last_name birthdate }} "
    'documents: ClubMed_getTravelDocuments(customer_id: "{id}", accept_language: "en-US") {{ '
    "passport {{ document_number expiration_date }} "
    "id_card {{ document_number expiration_date }} "
    "driving_licence {{ document_number expiration_date }} "
    "visas {{ document_number expiration_date }} }} }}"
)


def by_id_mesh(native_id: str) -> str:
    return _BY_ID_MESH.format(id=native_id)


def read_by_id_ours(answer: Any) -> Normalised:
    customer = answer["data"]["customer"]
    return [
        {
            "id": customer["nativeId"],
            "first_name": customer["firstName"],
            "last_name": customer["lastName"],
            "birthdate": _digits(customer["birthdate"]),
            "email": customer["email"],
            "phones": sorted(p["number"] for p in customer["phones"]),
            "points": (customer["loyalty"] or {}).get("points"),
            "travelers": [
                [decode_id(t["id"]).parts[-1], t["firstName"], t["lastName"]]
                for t in customer["travelers"]
            ],
            "documents": sorted(
                [d["number"], _digits(d["expirationDate"])] for d in customer["travelDocuments"]
            ),
        }
    ]


def read_by_id_mesh(answer: Any) -> Normalised:
    data = answer["data"]
    profile, docs = data["profile"], data["documents"]
    held = [docs[kind] for kind in ("passport", "id_card", "driving_licence") if docs[kind]]
    return [
        {
            "id": profile["gm_number"],
            "first_name": profile["first_name"],
            "last_name": profile["last_name"],
            "birthdate": profile["birthdate"],
            "email": profile["email"],
            "phones": sorted(p["number"] for p in profile["phones"]),
            "points": (profile["loyalty_program"] or {}).get("points"),
            "travelers": [[t["id"], t["first_name"], t["last_name"]] for t in data["travelers"]],
            "documents": sorted(
                [d["document_number"], d["expiration_date"]] for d in [*held, *docs["visas"]]
            ),
        }
    ]


def questions(customer_id: str) -> list[Question]:
    """The two questions, the by-id one about `customer_id` (a Club Med customer's global id)."""
    native_id = decode_id(customer_id).parts[0]
    return [
        Question(
            name="search_clubmed_profile_travelers",
            title="search 10 + profile + travelers",
            ours=json.dumps({"query": SEARCH_OURS, "variables": {}}),
            mesh=json.dumps({"query": SEARCH_MESH}),
            read_ours=read_search_ours,
            read_mesh=read_search_mesh,
            minimal_calls=21,
            bare="search_clubmed_profile_travelers",
        ),
        Question(
            name="customer_everything",
            title="customer by id, everything",
            ours=json.dumps({"query": BY_ID_OURS, "variables": {"id": customer_id}}),
            mesh=json.dumps({"query": by_id_mesh(native_id)}),
            read_ours=read_by_id_ours,
            read_mesh=read_by_id_mesh,
            minimal_calls=3,
            bare="customer_everything",
        ),
    ]


def differences(ours: Normalised, mesh: Normalised) -> list[str]:
    """Where the two normalised answers differ (empty when they are equal)."""
    found = [f"{len(ours)} records here, {len(mesh)} from Mesh"] if len(ours) != len(mesh) else []
    for index, (a, b) in enumerate(zip(ours, mesh, strict=False)):
        for key in sorted(a.keys() | b.keys()):
            if a.get(key) != b.get(key):
                found.append(f"record {index}, {key}: {a.get(key)!r} here, {b.get(key)!r} Mesh")
    return found
