"""The Relay seed's example: the customer of the "Retrieve Customer/Patient" page."""

from __future__ import annotations

from typing import Final

from sandboxes.relay.records import Record

SEED_CCID: Final = "BAK-11984-007"

# The example of the seed's "Retrieve Customer/Patient" page, field for field. Its country
# "USA" breaks the documented max length of 2 (docs/backends/relay.md#customer-record): the stored
# seed keeps it as the doc writes it, though `load-customer-record` refuses it.
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
