"""Relay's customer JSON <-> the customer model, both ways.

Read ([DOC] docs/backends/relay.md#customer-record): ccid is the native id, secondary_account_id the
membership number; names; date_of_birth (yyyy-mm-dd, other forms read too); gender, one character
(M, F, U; any other character reads OTHER); addresses (state_province is the region; country upper
case, and an alpha-3 code such as the seed's "USA" read as its alpha-2 when it is a common one, else
kept as written); notification_channels are the phones (mobile -> MOBILE, landline -> HOME, anything
else OTHER) and, for each channel with a consent_type, one SMS/MESSAGING consent (granted when
written or express); `ext` gives the loyalty (membership_level, member_since, renewal_date as
MM/DD/YYYY). Relay asks consumers to be tolerant readers: unknown fields are ignored, values of the
wrong type read as absent.

What does not round-trip:
- consent is per phone number in Relay ([DOC] docs/backends/relay.md#consent, TCPA), one flag per
  channel in the model; and written/express both read `granted`. The per-number consent types are
  kept in extra["consent_types"] ({channel_addr: consent_type}); phone types as written in
  extra["phone_types"];
- gender: the model's OTHER is written "O" and UNKNOWN "U" (Relay enumerates no values:
  [INF] one character); "O" reads back OTHER, so it round-trips, but other letters a Relay
  client wrote read OTHER too;
- phone type WORK and OTHER are written "unknown" (add_phone enumerates mobile, landline
  and unknown), which reads back OTHER; HOME is written "landline";
- phones are written as digits only ("+1 610 555 0100" -> "16105550100");
- a country the small alpha-3 table does not know stays as written (three letters);
- ssn_last4 (extra["ssn_last4"]) and unknown ext keys (extra["ext"]) have no model field;
- email, locale, birth city, address line 3, civility and identity number do not exist in
  Relay: always None on read, refused on create.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from adapters.dates import parse_date
from adapters.errors import UpstreamBadRequest, UpstreamMalformed
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

BACKEND: Final = Backend.RELAY

# A GET returns every field Relay holds: each model field is known (email, locale and
# birth_city are known to be absent).
KNOWN_FIELDS: Final = CUSTOMER_FIELDS

GENDER_FROM_CODE: Final = {"M": Gender.MALE, "F": Gender.FEMALE, "U": Gender.UNKNOWN}
GENDER_TO_CODE: Final = {
    Gender.MALE: "M",
    Gender.FEMALE: "F",
    Gender.UNKNOWN: "U",
    Gender.OTHER: "O",
}
PHONE_TYPE_FROM: Final = {"mobile": PhoneType.MOBILE, "landline": PhoneType.HOME}
PHONE_TYPE_TO: Final = {
    PhoneType.MOBILE: "mobile",
    PhoneType.HOME: "landline",
    PhoneType.WORK: "unknown",
    PhoneType.OTHER: "unknown",
}
GRANTING_CONSENTS: Final = frozenset({"written", "express"})
CONSENT_CHANNEL: Final = "SMS"
CONSENT_PURPOSE: Final = "MESSAGING"
LOYALTY_KEYS: Final = ("membership_level", "member_since", "renewal_date")
# ext.membership_level (any case: the seed writes "gold") -> the tier; others read OTHER.
LOYALTY_TIERS: Final = {
    "none": LoyaltyTier.NONE,
    "basic": LoyaltyTier.BASIC,
    "turquoise": LoyaltyTier.BASIC,
    "silver": LoyaltyTier.SILVER,
    "gold": LoyaltyTier.GOLD,
    "platinum": LoyaltyTier.PLATINUM,
    "excluded": LoyaltyTier.EXCLUDED,
}

# Common ISO 3166-1 alpha-3 codes -> alpha-2, for countries written as the seed's "USA".
ALPHA3_TO_ALPHA2: Final = {
    "USA": "US",
    "CAN": "CA",
    "MEX": "MX",
    "PRI": "PR",
    "BRA": "BR",
    "ARG": "AR",
    "GBR": "GB",
    "IRL": "IE",
    "FRA": "FR",
    "DEU": "DE",
    "ITA": "IT",
    "ESP": "ES",
    "PRT": "PT",
    "NLD": "NL",
    "BEL": "BE",
    "CHE": "CH",
    "AUT": "AT",
    "CZE": "CZ",
    "POL": "PL",
    "SWE": "SE",
    "AUS": "AU",
    "NZL": "NZ",
    "JPN": "JP",
    "CHN": "CN",
    "IND": "IN",
}

# Relay's dotted error fields -> the gateway's input names; Relay's names stay in here.
_CUSTOMER_INPUTS: Final = {
    "ccid": "nativeId",
    "first_name": "firstName",
    "last_name": "lastName",
    "date_of_birth": "birthdate",
    "gender": "gender",
    "addresses": "address",
}
_ADDRESS_INPUTS: Final = {
    "address1": "address.line1",
    "address2": "address.line2",
    "city": "address.city",
    "state_province": "address.region",
    "postal_code": "address.postalCode",
    "country": "address.countryCode",
}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _objects(value: object) -> list[Mapping[str, object]]:
    """The objects of a JSON array; anything else reads as none."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def country_code(value: object) -> str | None:
    """Upper case alpha-2; a common alpha-3 ("USA") as its alpha-2, others as written."""
    text = _text(value)
    if text is None:
        return None
    code = text.strip().upper()
    return ALPHA3_TO_ALPHA2.get(code, code)


def _address(raw: Mapping[str, object]) -> Address | None:
    address = Address(
        line1=_text(raw.get("address1")),
        line2=_text(raw.get("address2")),
        city=_text(raw.get("city")),
        postal_code=_text(raw.get("postal_code")),
        region=_text(raw.get("state_province")),
        country_code=country_code(raw.get("country")),
    )
    return None if address == Address() else address


def _gender(value: object) -> Gender | None:
    code = _text(value)
    if code is None:
        return None
    return GENDER_FROM_CODE.get(code.upper(), Gender.OTHER)


def _channels(
    raw: Mapping[str, object],
) -> tuple[tuple[Phone, ...], tuple[Consent, ...], dict[str, object]]:
    """(phones, consents, extra) of the notification channels."""
    phones: list[Phone] = []
    consents: list[Consent] = []
    consent_types: dict[str, str] = {}
    phone_types: dict[str, str] = {}
    for channel in _objects(raw.get("notification_channels")):
        number = _text(channel.get("channel_addr"))
        if number is None:
            continue
        written_type = _text(channel.get("phone_type"))
        kind = PHONE_TYPE_FROM.get(written_type.lower(), PhoneType.OTHER) if written_type else None
        phones.append(Phone(number, kind))
        if written_type is not None:
            phone_types[number] = written_type
        consent = _text(channel.get("consent_type"))
        if consent is not None:
            consent_types[number] = consent
            consents.append(
                Consent(CONSENT_CHANNEL, CONSENT_PURPOSE, consent.lower() in GRANTING_CONSENTS)
            )
    extra: dict[str, object] = {}
    if consent_types:
        extra["consent_types"] = consent_types
    if phone_types:
        extra["phone_types"] = phone_types
    return tuple(phones), tuple(consents), extra


def tier_from(level: str | None) -> LoyaltyTier | None:
    """The tier of a membership level, case-insensitive; an unknown one is OTHER."""
    if level is None:
        return None
    return LOYALTY_TIERS.get(level.strip().casefold(), LoyaltyTier.OTHER)


def _loyalty(raw: Mapping[str, object]) -> tuple[Loyalty | None, dict[str, object]]:
    """(loyalty, the ext keys it does not hold) of the free-form `ext`
    ([INF] docs/backends/relay.md#customer-record)."""
    ext = raw.get("ext")
    if not isinstance(ext, Mapping):
        return None, {}
    rest = {key: value for key, value in ext.items() if key not in LOYALTY_KEYS}
    renewal_text = _text(ext.get("renewal_date"))
    renewal = parse_date(renewal_text)
    if renewal_text is not None and renewal is None:
        rest["renewal_date"] = renewal_text  # unreadable: kept as written
    status = _text(ext.get("membership_level"))
    loyalty = Loyalty(
        status=status,
        tier=tier_from(status),
        member_since=_text(ext.get("member_since")),
        renewal_date=renewal,
    )
    return (None if loyalty == Loyalty() else loyalty), rest


def customer_from_json(raw: Mapping[str, object]) -> Customer:
    """A customer from GET /cdm/client/{client_id}/customer/{ccid}: every field Relay has."""
    ccid = _text(raw.get("ccid"))
    if ccid is None:
        raise UpstreamMalformed(BACKEND, "a customer without ccid")
    phones, consents, extra = _channels(raw)
    loyalty, rest = _loyalty(raw)
    if rest:
        extra["ext"] = rest
    if (ssn := _text(raw.get("ssn_last4"))) is not None:
        extra["ssn_last4"] = ssn
    return Customer(
        backend=BACKEND,
        native_id=ccid,
        known_fields=KNOWN_FIELDS,
        membership_number=_text(raw.get("secondary_account_id")),
        first_name=_text(raw.get("first_name")),
        middle_name=_text(raw.get("middle_name")),
        last_name=_text(raw.get("last_name")),
        birthdate=parse_date(raw.get("date_of_birth")),
        gender=_gender(raw.get("gender")),
        phones=phones,
        addresses=tuple(
            a for item in _objects(raw.get("addresses")) if (a := _address(item)) is not None
        ),
        loyalty=loyalty,
        consents=consents,
        extra=extra,
    )


# --- writes ----------------------------------------------------------------------------


def phone_digits(number: str) -> str:
    """A phone as Relay's channel_addr: digits only ("+1 610-555-0100" -> "16105550100")."""
    return re.sub(r"\D", "", number)


def _refuse(field: str, message: str) -> UpstreamBadRequest:
    return UpstreamBadRequest(BACKEND, message, field=field)


def check_draft(draft: CustomerDraft) -> str:
    """The draft's ccid, or a refusal of what Relay cannot hold (nothing is sent)."""
    if not draft.native_id:
        raise _refuse("nativeId", "RELAY needs the caller's ccid as nativeId")
    if draft.email:
        raise _refuse("email", "RELAY holds no email")
    if draft.locale:
        raise _refuse("locale", "RELAY holds no locale")
    if draft.civility:
        raise _refuse("civility", "RELAY holds no civility")
    if draft.identity is not None:
        raise _refuse("identity", "RELAY holds no identity number")
    if draft.customer_source:
        raise _refuse("customerSource", "RELAY records no customer source")
    if draft.force_address:
        raise _refuse("forceAddress", "RELAY has no address validation to skip")
    if draft.address is not None and draft.address.line3:
        raise _refuse("address.line3", "RELAY addresses have two lines")
    return draft.native_id


def _address_body(address: Address) -> dict[str, str]:
    values = {
        "address1": address.line1,
        "address2": address.line2,
        "city": address.city,
        "state_province": address.region,
        "postal_code": address.postal_code,
        "country": address.country_code.upper() if address.country_code else None,
    }
    return {key: value for key, value in values.items() if value}


def _channel_body(phone: Phone) -> dict[str, str]:
    # No consent_type: the draft says nothing about consent, and Relay must not assume one.
    channel = {"channel_type": "sms", "channel_addr": phone_digits(phone.number)}
    if phone.type is not None:
        channel["phone_type"] = PHONE_TYPE_TO[phone.type]
    return channel


def customer_body(draft: CustomerDraft) -> dict[str, Any]:
    """The `customer` of a load-customer-record body; refuses what Relay cannot hold."""
    body: dict[str, Any] = {"ccid": check_draft(draft), "first_name": draft.first_name}
    body["last_name"] = draft.last_name
    if draft.birthdate is not None:
        body["date_of_birth"] = draft.birthdate.isoformat()
    if draft.gender is not None:
        body["gender"] = GENDER_TO_CODE[draft.gender]
    if draft.address is not None and (address := _address_body(draft.address)):
        body["addresses"] = [address]
    if draft.phones:
        body["notification_channels"] = [_channel_body(p) for p in draft.phones]
    return body


def input_field(relay_field: str | None) -> str | None:
    """The gateway input an error's Relay field names ("customer.first_name" -> "firstName").

    Every notification channel rule (a channel's address, type or consent, their number) is
    `phones`, as the other back ends name a phone. None when it names nothing the caller
    sent, so Relay's names never leave the adapter.
    """
    if relay_field is None:
        return None
    path = re.sub(r"\[\d+\]", "", relay_field).removeprefix("customer.")
    head, _, inner = path.partition(".")
    if head == "notification_channels":
        return "phones"
    if head == "addresses" and inner:
        return _ADDRESS_INPUTS.get(inner)
    return _CUSTOMER_INPUTS.get(path)
