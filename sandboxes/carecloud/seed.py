"""The example records of the CareCloud seed (its *Customers* page,
docs/backends/carecloud.md#sources).

Reconciled where the seed contradicts itself:
- The listed customer 8ea6abece4cd0a4ded0a29f093 (John Smith) has the birthdate "985-02-12",
  a typo (the CC-spec PersonalInformation example reads "1985-02-12"): stored as 1985-02-12.
- The seed's GET/PUT examples ask for id 83a2efb32defb80a487ff but answer 8ea6abece4cd...:
  the path id is a placeholder, the answered record is the one kept (83a2... is a 404).
- The created example 8bababca29337fcfc92eaad8ab was posted with the same email as
  8ea6abece4cd...; CareCloud refuses a taken email (400 already_exists,
  docs/backends/carecloud.md#errors), so its email here is happy_customer+mobile@crmcarecloud.com.
  Its last_change is the response's Date header (2019-07-22 11:51:36).
- The PUT example's social network credentials (twitter) are given to John Smith, so
  verify-social-network-credentials has a seed example.
- The verify-credentials and verify-auth-token examples answer 09359095c5da43c7a78e11e710eabce
  49418715a6a, a customer the seed shows nowhere else: it exists here with the example's email
  (happy_customer@cortex.cz) and password, and its auth token (application self_order_kiosk)
  is issued at start-up and never expires nor wears out, so the example always succeeds (a
  token from POST auth-token is one use, 10 minutes). Its name (Happy Customer, en) is the
  sandbox's choice. The verify-social-network-credentials example also answers it, but the
  same twitter credentials are the PUT example's, on John Smith: they stay his.
- The seed shows no sub-resource record. John Smith holds one of every route's, so each route
  has an example: cards, points and status records make his loyalty; the purchase, credit,
  property record and interest record take the CC-spec schema examples' values
  (`schemas/Purchase.yaml`, `Credit.yaml`, `PropertyRecord.yaml`, `InterestRecord.yaml`);
  the voucher, reward, segment and recommendation are the sandbox's. Happy Customer holds a
  status record of Staff, the catalog's status outside the tier ladder (statuses.py).
- The search-customers example (Jakub B, 1984-11-06, card 2001990000016) answers
  80c4d97a7136d98a90badb5128: that customer and card exist here; the rest of the record
  (language cs, gender 1, no email, no phone) is the sandbox's choice.
"""

from __future__ import annotations

from typing import Any, Final

from sandboxes.carecloud.records import CARD_TYPE_ID
from sandboxes.carecloud.statuses import GOLD, SILVER, STAFF

SEED_SOURCE_ID: Final = "8bd253a89059008f1d44aa"  # "mobile application", the POST example

SEED_CUSTOMERS: Final[tuple[dict[str, Any], ...]] = (
    {
        "customer_id": "8ea6abece4cd0a4ded0a29f093",
        "personal_information": {
            "gender": 1,
            "first_name": "John",
            "last_name": "Smith",
            "birthdate": "1985-02-12",
            "email": "happy_customer@crmcarecloud.com",
            "phone": "420523828931",
            "language_id": "en",
            "store_id": "8bed991c68a4",
            "address": {
                "address1": "Old Town Square",
                "address2": "34",
                "address3": "",
                "address4": "",
                "address5": "",
                "address6": "",
                "address7": "",
                "zip": "11000",
                "city": "Prague 1",
                "country_code": "cz",
            },
            "agreement": {
                "agreement_gtc": 1,
                "agreement_profiling": 1,
                "agreement_marketing_communication": 1,
                "custom_agreements": [
                    {"agreement_id": "custom_agreement_id", "agreement_value": 2}
                ],
            },
        },
        "last_change": "2019-06-23 11:47:22",
        "state": 1,
    },
    {
        "customer_id": "8bababca29337fcfc92eaad8ab",
        "personal_information": {
            "gender": 2,
            "first_name": "John",
            "last_name": "Smith",
            "email": "happy_customer+mobile@crmcarecloud.com",
            "language_id": "en",
            "store_id": "88dab5c7c6034ba59f886f4a",
            "birthdate": "1991-03-27",
            "phone": "420170134844",
            "address": {
                "address1": "Old Town Square",
                "address2": "34",
                "address3": "34",
                "zip": "11000",
                "city": "Prague 1",
                "country_code": "cz",
            },
            "agreement": {
                "agreement_gtc": 1,
                "agreement_profiling": 1,
                "agreement_marketing_communication": 1,
            },
        },
        "last_change": "2019-07-22 11:51:36",
        "state": 1,
    },
    {
        "customer_id": "80c4d97a7136d98a90badb5128",
        "personal_information": {
            "gender": 1,
            "first_name": "Jakub",
            "last_name": "B",
            "birthdate": "1984-11-06",
            "language_id": "cs",
        },
        "last_change": "2021-04-21 13:51:37",
        "state": 1,
    },
    {
        "customer_id": "09359095c5da43c7a78e11e710eabce49418715a6a",
        "personal_information": {
            "gender": None,
            "first_name": "Happy",
            "last_name": "Customer",
            "email": "happy_customer@cortex.cz",
            "language_id": "en",
        },
        "last_change": "2021-04-21 13:51:37",
        "state": 1,
    },
)

# Sub-resources of the seed customers, by customer id and route name.
SEED_RECORDS: Final[dict[str, dict[str, list[dict[str, Any]]]]] = {
    "8ea6abece4cd0a4ded0a29f093": {
        "cards": [
            {
                "card_id": "81a94c48474bc45c03d41f7016",
                "card_type_id": CARD_TYPE_ID,
                "card_number": "200120000290",
                "secondary_card_number": None,
                "valid_from": "2015-03-01",
                "valid_to": None,
                "store_id": "8bed991c68a4",
                "state": 1,
            }
        ],
        "points": [
            {
                "point_id": "8bcd4f6d0e1432afc472632e1d",
                "assigned_points": 1500.0,
                "available_points": 1250.5,
                "point_type_id": "86e05affc7a7abefcd513ab400",
                "partner_id": None,
                "valid_to": "2031-12-31",
                "state": 1,
                "created_at": "2019-06-23 11:47:22",
                "note": "Welcome bonus",
            }
        ],
        "status-records": [
            {
                "status_record_id": "8cc1e66b44796af5cd377910e1",
                "status_id": SILVER,
                "valid_from": "2018-01-01 00:00:00",
                "valid_to": "2019-12-31 23:59:59",
                "purchase_conditions": None,
                "state": 2,
            },
            {
                "status_record_id": "8cc1e66b44796af5cd377910e2",
                "status_id": GOLD,
                "valid_from": "2020-01-01 00:00:00",
                "valid_to": "2031-12-31 23:59:59",
                "purchase_conditions": None,
                "state": 1,
            },
        ],
        "purchases": [
            {
                "purchase_id": "85c763ebcec2fa488f8857bee",
                "store_id": "8fd7316732d06899c4c015320",
                "external_purchase_id": "2364",
                "payment_time": "2012-11-22 20:57:04",
                "items_count": 10,
                "type_id": "86e05affc7a7abefd513ab400",
                "total_price": 60.51,
                "currency_id": "86e05affc77abefcd513ab400",
                "card_number": "200120000290",
                "cashdesk_number": "2",
                "purchase_items": [],
                "property_records": [],
            }
        ],
        "credits": [
            {
                "credit_id": "84cae7e5cbba16e31b0fc5ef1c",
                "assigned_credits": 1208.0,
                "available_credits": 700.0,
                "credit_type_id": "86e05affc7a7abefcd513ab400",
                "partner_id": "86e05affc7a7abefcd513ab400",
                "valid_to": None,
                "currency_id": "86e05affc77abefcd513ab400",
                "state": 1,
                "note": None,
            }
        ],
        "rewards": [
            {
                "reward_id": "8fd73167342d06899c4c015330",
                "code": "RW-COFFEE",
                "name": "Free coffee",
                "points_cost": 100,
                "reward_group": 1,
                "priority": 5,
                "valid_from": "2019-01-01",
                "valid_to": "2031-12-31",
                "is_automated": False,
            }
        ],
        "vouchers": [
            {
                "voucher_id": "8fd73167342d06899c4c015331",
                "code": "V200120000290",
                "value": 5.0,
                "applied_date": None,
                "valid_from": "2019-06-23",
                "valid_to": "2031-12-31",
                "reward_group": 1,
                "reward": {"reward_id": "8fd73167342d06899c4c015330", "name": "Free coffee"},
                "reward_id": "8fd73167342d06899c4c015330",
                "created_at": "2019-06-23 11:47:22",
                "state": 1,
            }
        ],
        "segment-records": [
            {
                "segment_id": "8fd73167342d06899c4c015332",
                "customer_id": "8ea6abece4cd0a4ded0a29f093",
                "created_at": "2019-06-23 11:47:22",
                "last_change": "2019-06-23 11:47:22",
            }
        ],
        "recommendation-records": [
            {
                "recommendation_id": "8fd73167342d06899c4c015333",
                "name": "Weekend in Prague",
                "brief_description": "A short stay nearby",
                "detailed_description": None,
                "content": None,
                "picture_urls": [],
                "web_url": None,
                "state": 1,
            }
        ],
        "property-records": [
            {
                "property_record_id": "contact_person:8ea6abece4cd0a4ded0a29f093",
                "property_id": "contact_person",
                "property_name": "Project contact person",
                "property_value": [],
                "last_change": "2019-06-23 11:47:22",
            }
        ],
        "interest-records": [
            {
                "interest_record_id": "87d934c86a6303f5fb4d1214fb",
                "interest_id": "81eaeea13b8984a169c490a325",
                "customer_id": "8ea6abece4cd0a4ded0a29f093",
                "last_change": "2020-08-06 10:31:09",
            }
        ],
        "customer-source-records": [
            {
                "customer_source_record_id": "8fd73167342d06899c4c015321",
                "customer_source_id": "8fd73167342d06899c4c015320",
                "external_id": "A798274529",
                "last_change": "2019-06-23 11:47:22",
            }
        ],
    },
    "8bababca29337fcfc92eaad8ab": {
        "customer-source-records": [
            {
                "customer_source_record_id": "8fd73167342d06899c4c015322",
                "customer_source_id": SEED_SOURCE_ID,
                "external_id": None,
                "last_change": "2019-07-22 11:51:36",
            }
        ],
    },
    # Happy Customer holds the catalog's Staff status (statuses.py), a name no tier has.
    "09359095c5da43c7a78e11e710eabce49418715a6a": {
        "status-records": [
            {
                "status_record_id": "8cc1e66b44796af5cd377910e4",
                "status_id": STAFF,
                "valid_from": "2021-04-21 00:00:00",
                "valid_to": None,
                "purchase_conditions": None,
                "state": 1,
            }
        ],
    },
    "80c4d97a7136d98a90badb5128": {
        "cards": [
            {
                "card_id": "81a94c48474bc45c03d41f7017",
                "card_type_id": CARD_TYPE_ID,
                "card_number": "2001990000016",
                "secondary_card_number": None,
                "valid_from": "2021-04-21",
                "valid_to": None,
                "store_id": "8bed991c68a4",
                "state": 1,
            }
        ],
        "status-records": [
            {
                "status_record_id": "8cc1e66b44796af5cd377910e3",
                "status_id": SILVER,
                "valid_from": "2021-04-21 00:00:00",
                "valid_to": None,
                "purchase_conditions": None,
                "state": 1,
            }
        ],
    },
}

# The verify-credentials example's password, by customer id.
SEED_PASSWORDS: Final = {
    "09359095c5da43c7a78e11e710eabce49418715a6a": "password123_is_not_a_good_idea"
}

# The verify-auth-token example: (application_id, token, token_request_id) -> customer id.
SEED_AUTH_TOKENS: Final = {
    ("self_order_kiosk", "a78e11e774f7f", "e11e7a7f7f610ea8e11e774"): (
        "09359095c5da43c7a78e11e710eabce49418715a6a"
    )
}

# The PUT example's credentials ([seed] "Update a customer").
SEED_SOCIAL_CREDENTIALS: Final = {
    ("twitter", "38e123j1jedu12d1jnjqwd"): "8ea6abece4cd0a4ded0a29f093"
}
