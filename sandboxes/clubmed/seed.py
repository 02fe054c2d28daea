"""The Club Med seed's examples (the portal pages of docs/backends/clubmed.md#sources): John Smith,
his traveler and his passport, as the sandbox stores them besides the generated people."""

from __future__ import annotations

from typing import Final

from sandboxes.clubmed.records import Record, empty_address

SEED_ID: Final = "123456789"


def seed_record() -> Record:
    """John Smith: the seeds' search and profile examples merged (CONTRACT.md, seed records)."""
    return {
        "id": SEED_ID,
        "gm_number": "123456789",
        "email": "john@h.fr",
        "gender": "M",
        "civility": "MR",
        "first_name": "John",
        "second_name": "James",
        "third_name": "Edward",
        "last_name": "Smith",
        "birth_city": "Paris",
        "birth_country_code": None,
        "birthdate": "19800117",
        "phones": [{"number": "0623456789", "type": "MOBILE"}],
        "address": empty_address()
        | {"city": "Aix-en-Provence", "zip_code": "75000", "country_code": "FR"},
        "identity": None,
        "loyalty_program": {
            "status": "EXCLUDED",
            "previous_status": None,
            "is_platinum_for_life": False,
            "points": 1200,
        },
        "locale": "fr-FR",
        "optins": [],
        "customer_type": "CLIENT",
        "customer_status": "CUSTOMER",
        "blacklisted": False,
    }


SEED_TRAVELERS: Final = ({"id": "traveler-1", "first_name": "Jane", "last_name": "Doe"},)
SEED_PASSPORT: Final = {
    "document_number": "XX123456",
    "issuing_country": "FR",
    "nationality": "FR",
    "expiration_date": "20300701",
}
