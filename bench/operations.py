"""The benchmark's mix of operations, as GraphQL request bodies."""

from __future__ import annotations

import json
from typing import Any

import httpx

PROFILE = (
    "id backend nativeId firstName lastName email birthCity locale addresses { city countryCode }"
)

OPERATIONS: dict[str, str] = {
    # Federated search of 20 customers with profile fields and travelers.
    "search_profile_travelers": (
        '{ customers(filter: {lastName: "Smith"}, first: 20) { edges { node { '
        + PROFILE
        + " travelers { id firstName lastName } } } } }"
    ),
    # One customer by id with everything.
    "customer_everything": (
        "query ($id: ID!) { customer(id: $id) { id backend nativeId membershipNumber firstName "
        "middleName lastName birthdate birthCity gender email phones { number type } locale "
        "addresses { line1 city postalCode countryCode } loyalty { status previousStatus points } "
        "consents { channel purpose granted } travelers { id firstName lastName birthdate } "
        "travelDocuments { id type number expirationDate } } }"
    ),
    # nodes with 50 ids.
    "nodes_50": "query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Customer { firstName lastName birthCity } } }",
    # A search selecting only search fields.
    "search_fields_only": (
        '{ customers(filter: {lastName: "Smith"}, first: 20) { edges { node { '
        "id backend nativeId firstName lastName email birthdate phones { number } } } } }"
    ),
    "create_customer": (
        # No email: Club Med refuses an email already taken, and every run creates anew.
        'mutation { createCustomer(input: {backend: CLUBMED, firstName: "Bench", '
        'lastName: "Mark", birthdate: "1990-03-12"}) '
        "{ customer { id firstName lastName } } }"
    ),
    "update_customer": (
        'mutation ($id: ID!) { updateCustomer(input: {id: $id, firstName: "Benchy"}) '
        "{ customer { id firstName } } }"
    ),
}


def _post(url: str, token: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    response = httpx.post(
        f"{url}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"authorization": f"Bearer {token}"},
        timeout=60,
    )
    response.raise_for_status()
    return response.json()


def prepare(url: str, token: str) -> dict[str, str]:
    """Request bodies (JSON text) of every operation, with ids found through the gateway."""
    found = _post(
        url,
        token,
        '{ customers(filter: {lastName: "Smith"}, backends: [CLUBMED], first: 50) '
        "{ edges { node { id } } } }",
    )
    ids = [edge["node"]["id"] for edge in found["data"]["customers"]["edges"]]
    variables: dict[str, dict[str, Any]] = {
        "customer_everything": {"id": ids[0]},
        "nodes_50": {"ids": ids[:50]},
        "update_customer": {"id": ids[1]},
    }
    return {
        name: json.dumps({"query": query, "variables": variables.get(name, {})})
        for name, query in OPERATIONS.items()
    }
