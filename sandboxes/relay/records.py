"""Relay customer records of generated people: a ccid per population person, and the record
Relay's GET answers for them."""

from __future__ import annotations

import re
from typing import Any, Final

from sandboxes.common import Person

Record = dict[str, Any]

_GENERATED_CCID: Final = re.compile(r"^RLY-(\d{7,})$")


def generated_ccid(index: int) -> str:
    """The ccid of population person `index`."""
    return f"RLY-{index:07d}"


def record_of(who: Person) -> Record:
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


def generated_index(ccid: str) -> int | None:
    """The population index a generated ccid names (`RLY-0000042` -> 42), else None."""
    found = _GENERATED_CCID.match(ccid)
    if found is None:
        return None
    index = int(found.group(1))
    return index if generated_ccid(index) == ccid else None
