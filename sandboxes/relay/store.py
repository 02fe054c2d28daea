"""The Relay sandbox's customers: the seed's example, generated people, and loaded records.

Generated people are not built at start-up: a ccid `RLY-<index:07d>` names population person
`index` (adapters/sandbox/people.py), whose record is rendered when it is read. So a sandbox
of 100,000 customers starts as fast as one of ten, and person `i` is the same whatever the
size. Records loaded through `load-customer-record` are kept as they came (validated).
"""

from __future__ import annotations

import copy
import re
from typing import Any, Final

from adapters.model import Backend
from sandboxes.common.config import SandboxConfig
from sandboxes.common.people import Person, person, slice_range

Record = dict[str, Any]

SEED_CCID: Final = "BAK-11984-007"

# The example of the seed's "Retrieve Customer/Patient" page, field for field. Its country
# "USA" breaks the documented max length of 2 (BACKENDS.md §3.3): the stored seed keeps it
# as the doc writes it, though `load-customer-record` refuses it.
SEED_RECORD: Final[Record] = {
    "ccid": SEED_CCID,
    "secondary_account_id": "ABC123",
    "first_name": "Roger",
    "middle_name": "Harold",
    "last_name": "Moore",
    "date_of_birth": "1954-12-01",
    "ssn_last4": "1234",
    "gender": "M",
    "addresses": [
        {
            "address1": "201 King of Prussia Road",
            "address2": "Suite 161",
            "city": "Radnor",
            "state_province": "PA",
            "postal_code": "19087",
            "country": "USA",
        }
    ],
    "notification_channels": [
        {
            "channel_type": "sms",
            "channel_addr": "6105551212",
            "consent_type": "written",
            "phone_type": "mobile",
        }
    ],
    "ext": {"member_since": "1999", "membership_level": "gold", "renewal_date": "05/01/2024"},
}

_GENERATED_CCID: Final = re.compile(r"^RLY-(\d{7,})$")


def generated_ccid(index: int) -> str:
    """The ccid of population person `index`."""
    return f"RLY-{index:07d}"


def render(who: Person) -> Record:
    """A generated person as Relay's GET returns it; fields it has no value for are omitted."""
    place = who.place
    address: Record = {
        "address1": f"{who.street_number} {who.street}",
        "city": place.city,
        "postal_code": place.postal_code,
        "country": place.country_code,
    }
    if place.region is not None and len(place.region) == 2:
        address["state_province"] = place.region
    record: Record = {
        "ccid": generated_ccid(who.index),
        "secondary_account_id": f"M{who.index:07d}",
        "first_name": who.first_name,
        **({"middle_name": who.middle_name} if who.middle_name is not None else {}),
        "last_name": who.last_name,
        "date_of_birth": who.birthdate.isoformat(),
        "gender": who.gender,
        "addresses": [address],
        "notification_channels": [
            {
                "channel_type": "sms",
                "channel_addr": "1" + who.phone_national,
                "consent_type": "written" if who.marketing_consent else "stop",
                "phone_type": "mobile",
            }
        ],
        "ext": {
            "member_since": str(who.member_since),
            "membership_level": who.loyalty_tier.lower(),
            "renewal_date": who.renewal_date.strftime("%m/%d/%Y"),
        },
    }
    return record


class CustomerStore:
    """Every customer of the one sandbox client, by ccid."""

    def __init__(self, config: SandboxConfig) -> None:
        self.seed = config.seed
        self.generated = slice_range(Backend.RELAY, config.customers)
        self._loaded: dict[str, Record] = {SEED_CCID: copy.deepcopy(SEED_RECORD)}

    def generated_ccid(self, position: int) -> str:
        """The ccid of the `position`-th generated customer (0-based)."""
        return generated_ccid(self.generated[position])

    def _generated_index(self, ccid: str) -> int | None:
        found = _GENERATED_CCID.match(ccid)
        if found is None:
            return None
        index = int(found.group(1))
        if index not in self.generated or generated_ccid(index) != ccid:
            return None
        return index

    def get(self, ccid: str) -> Record | None:
        """A copy of the record, or None when no customer has this ccid."""
        if ccid in self._loaded:
            return copy.deepcopy(self._loaded[ccid])
        index = self._generated_index(ccid)
        return None if index is None else render(person(self.seed, index))

    def exists(self, ccid: str) -> bool:
        return ccid in self._loaded or self._generated_index(ccid) is not None

    def add(self, record: Record) -> bool:
        """Keep a new record; False (and nothing changed) when its ccid is taken."""
        ccid = record["ccid"]
        if self.exists(ccid):
            return False
        self._loaded[ccid] = copy.deepcopy(record)
        return True
