"""Club Med's customer JSON <-> the customer model, both ways.

Read: a search item (docs/backends/clubmed.md#customer-record: id, gm_number, names, birthdate,
email, phones, and a loyalty status and points that are not a whole Loyalty) or the v2 profile
(docs/backends/clubmed.md#customer-record: every field; empty fields null,
docs/backends/clubmed.md#routes). Unknown fields and unknown enum values are tolerated
(docs/backends/clubmed.md#versions). Dates are read in any form (yyyymmdd, yyyy-mm-dd).

Mapping choices and what does not round-trip:
- address: line1 is `street`, prefixed with `number` when Club Med has one ("12 Rue X");
  line2 is `add_on`, line3 `additional_information_1`; city, zip_code -> postal_code,
  state_or_district -> region, country_code. A written line1 goes whole in `street` and
  clears `number`; a patched address sends only the keys it names (Club Med's PATCH takes
  the address key by key, CONTRACT.md), so `number` is cleared only with line1. `town`,
  `country` (the name) and `additional_information_2` are not in the model: kept in
  extra["address"], never written, so Club Med keeps them as they are;
- gender: M/F; any other value reads UNKNOWN. Writing UNKNOWN clears it, OTHER is refused
  (Club Med holds M or F only);
- phones: MOBILE, HOME, WORK; FAX and unknown types read OTHER (FAX written back as OTHER);
  a phone without a type is written OTHER;
- second_name is the middle name; third_name and civility (its code, MR...) are read and
  written (civility also on create, in `identity`; third_name on update only, Club Med's
  create has no place for it); unicode names,
  birth_country_code, language_code, customer_type/status, blacklisted... are in extra and
  never written;
- identity {number, type} is the identity number: a type the model does not know reads
  OTHER; written on PATCH as `identity` (whole: null clears) and on create as
  `identity_number` (the create's `identity` holds the names, CONTRACT.md); a type other
  than Club Med's six is refused (field identity.type), and so is a blank number;
- optins read as consents (channel, purpose MARKETING, granted = optin); optin_partners is
  in extra["optin_partners"]; consents are read-only here;
- loyalty is read-only (status, previous_status, points, is_platinum_for_life); the tier
  is the status through LOYALTY_TIERS (TURQUOISE is BASIC; unknown statuses OTHER);
- travelers and travel documents: see travel.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from adapters.dates import parse_date, yyyymmdd
from adapters.errors import UpstreamBadRequest, UpstreamMalformed
from adapters.model import (
    CUSTOMER_FIELDS,
    Address,
    AddressPatch,
    Backend,
    Consent,
    Customer,
    CustomerDraft,
    CustomerPatch,
    Gender,
    IdentityNumber,
    IdentityNumberType,
    Loyalty,
    LoyaltyTier,
    Phone,
    PhoneType,
)

BACKEND: Final = Backend.CLUBMED

# A search item carries these; loyalty (only status and points there) needs the profile.
SEARCH_FIELDS: Final = frozenset(
    {"membership_number", "first_name", "last_name", "birthdate", "email", "phones"}
)
PROFILE_FIELDS: Final = CUSTOMER_FIELDS

GENDER_FROM_CODE: Final = {"M": Gender.MALE, "F": Gender.FEMALE}
GENDER_TO_CODE: Final = {Gender.MALE: "M", Gender.FEMALE: "F", Gender.UNKNOWN: None}
PHONE_TYPES: Final = {t.value: t for t in (PhoneType.MOBILE, PhoneType.HOME, PhoneType.WORK)}
CONSENT_PURPOSE: Final = "MARKETING"
# loyalty_program.status (any case) -> the model's tier; any other status reads OTHER.
LOYALTY_TIERS: Final = {
    "NONE": LoyaltyTier.NONE,
    "TURQUOISE": LoyaltyTier.BASIC,
    "SILVER": LoyaltyTier.SILVER,
    "GOLD": LoyaltyTier.GOLD,
    "PLATINUM": LoyaltyTier.PLATINUM,
    "EXCLUDED": LoyaltyTier.EXCLUDED,
}
# identity.type (any case) -> the model's type; any other label reads OTHER
# (docs/backends/clubmed.md#customer-record).
IDENTITY_TYPES: Final = {
    t.value: t
    for t in (
        IdentityNumberType.CPF,
        IdentityNumberType.CUIL,
        IdentityNumberType.TAX_NUMBER,
        IdentityNumberType.SECURITY_NUMBER,
        IdentityNumberType.ID_NUMBER,
        IdentityNumberType.NATIONAL_REGISTER,
    )
}

# Profile fields the model has no place for, kept in Customer.extra.
EXTRA_KEYS: Final = (
    "unicode_civility",
    "unicode_first_name",
    "unicode_last_name",
    "health_pass_id",
    "birth_country_code",
    "language_code",
    "customer_type",
    "customer_status",
    "blacklisted",
    "personal_data_usage_allowed",
    "filiation_number",
)
ADDRESS_EXTRA_KEYS: Final = ("town", "country", "additional_information_2")


def text_of(value: object) -> str | None:
    """A string field; v1 wrote empty fields "", v2 null: both are None."""
    return value if isinstance(value, str) and value.strip() != "" else None


def object_of(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def list_of(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# --- read --------------------------------------------------------------------------------


def gender_from(code: object) -> Gender | None:
    if not isinstance(code, str) or not code:
        return None
    return GENDER_FROM_CODE.get(code.upper(), Gender.UNKNOWN)


def phones_from(raw: object) -> tuple[Phone, ...]:
    phones = []
    for item in list_of(raw):
        number = text_of(object_of(item).get("number"))
        if number is None:
            continue
        kind = object_of(item).get("type")
        phone_type = PHONE_TYPES.get(kind, PhoneType.OTHER) if isinstance(kind, str) else None
        phones.append(Phone(number, phone_type))
    return tuple(phones)


def address_from(raw: object) -> Address | None:
    fields = object_of(raw)
    street, number = text_of(fields.get("street")), text_of(fields.get("number"))
    line1 = f"{number} {street}" if number and street else street or number
    country = text_of(fields.get("country_code"))
    address = Address(
        line1=line1,
        line2=text_of(fields.get("add_on")),
        line3=text_of(fields.get("additional_information_1")),
        city=text_of(fields.get("city")),
        postal_code=text_of(fields.get("zip_code")),
        region=text_of(fields.get("state_or_district")),
        country_code=country.upper() if country else None,
    )
    return None if address == Address() else address


def identity_from(raw: object) -> IdentityNumber | None:
    """An identity {number, type}; None without a number."""
    fields = object_of(raw)
    number = text_of(fields.get("number"))
    if number is None:
        return None
    label = text_of(fields.get("type"))
    kind = IDENTITY_TYPES.get(label.strip().upper(), IdentityNumberType.OTHER) if label else None
    return IdentityNumber(number, kind)


def tier_from(status: str | None) -> LoyaltyTier | None:
    """The tier of a loyalty status, case-insensitive; an unknown one is OTHER."""
    if status is None:
        return None
    return LOYALTY_TIERS.get(status.strip().upper(), LoyaltyTier.OTHER)


def loyalty_from(raw: object) -> Loyalty | None:
    if not isinstance(raw, Mapping):
        return None
    points, platinum = raw.get("points"), raw.get("is_platinum_for_life")
    status = text_of(raw.get("status"))
    return Loyalty(
        tier=tier_from(status),
        status=status,
        previous_status=text_of(raw.get("previous_status")),
        points=points if isinstance(points, int) and not isinstance(points, bool) else None,
        platinum_for_life=platinum if isinstance(platinum, bool) else None,
    )


def consents_from(raw: object) -> tuple[Consent, ...]:
    consents = []
    for item in list_of(raw):
        fields = object_of(item)
        channel, optin = text_of(fields.get("channel")), fields.get("optin")
        if channel is not None and isinstance(optin, bool):
            consents.append(Consent(channel, CONSENT_PURPOSE, optin))
    return tuple(consents)


def _extra(raw: Mapping[str, object]) -> dict[str, object]:
    extra: dict[str, object] = {k: raw[k] for k in EXTRA_KEYS if raw.get(k) not in (None, "")}
    address = object_of(raw.get("address"))
    kept = {k: address[k] for k in ADDRESS_EXTRA_KEYS if text_of(address.get(k))}
    if kept:
        extra["address"] = kept
    partners = {
        str(o["channel"]): o["optin_partners"]
        for o in map(object_of, list_of(raw.get("optins")))
        if isinstance(o.get("channel"), str) and isinstance(o.get("optin_partners"), bool)
    }
    if partners:
        extra["optin_partners"] = partners
    return extra


def customer_from_search(raw: object) -> Customer:
    """An item of GET /v1/customers: the fields of SEARCH_FIELDS."""
    fields = object_of(raw)
    native_id = fields.get("id")
    if not isinstance(native_id, str | int) or isinstance(native_id, bool) or native_id == "":
        raise UpstreamMalformed(BACKEND, "a search item without an id")
    return Customer(
        backend=BACKEND,
        native_id=str(native_id),
        known_fields=SEARCH_FIELDS,
        membership_number=text_of(fields.get("gm_number")),
        first_name=text_of(fields.get("first_name")),
        last_name=text_of(fields.get("last_name")),
        birthdate=parse_date(fields.get("birthdate")),
        email=text_of(fields.get("email")),
        phones=phones_from(fields.get("phones")),
    )


def customer_from_profile(native_id: str, raw: object) -> Customer:
    """GET /v2/customers/{id}/profile (which holds no id: the one asked is used)."""
    if not isinstance(raw, Mapping):
        raise UpstreamMalformed(BACKEND, "a profile that is not an object")
    address = address_from(raw.get("address"))
    return Customer(
        backend=BACKEND,
        native_id=native_id,
        known_fields=PROFILE_FIELDS,
        membership_number=text_of(raw.get("gm_number")),
        first_name=text_of(raw.get("first_name")),
        middle_name=text_of(raw.get("second_name")),
        last_name=text_of(raw.get("last_name")),
        birthdate=parse_date(raw.get("birthdate")) or parse_date(raw.get("birthday")),
        birth_city=text_of(raw.get("birth_city")),
        gender=gender_from(raw.get("gender")),
        email=text_of(raw.get("email")),
        phones=phones_from(raw.get("phones")),
        addresses=(address,) if address else (),
        locale=text_of(raw.get("locale")),
        loyalty=loyalty_from(raw.get("loyalty_program")),
        consents=consents_from(raw.get("optins")),
        third_name=text_of(raw.get("third_name")),
        civility=text_of(raw.get("civility")),
        identity=identity_from(raw.get("identity")),
        extra=_extra(raw),
    )


# --- write -------------------------------------------------------------------------------


def gender_code(gender: Gender | None) -> str | None:
    """M or F; UNKNOWN (or None) is no gender; OTHER cannot be held by Club Med."""
    if gender is None:
        return None
    if gender not in GENDER_TO_CODE:
        raise UpstreamBadRequest(BACKEND, "Club Med holds gender M or F only", field="gender")
    return GENDER_TO_CODE[gender]


def phone_json(phone: Phone) -> dict[str, str]:
    """Separators other than spaces dropped: Club Med takes `^\\+?[0-9 ]{6,20}$`."""
    number = "".join(c for c in phone.number.strip() if c.isdigit() or c in " +")
    kind = phone.type.value if phone.type is not None else PhoneType.OTHER.value
    return {"number": number, "type": kind}


def identity_json(identity: IdentityNumber) -> dict[str, str]:
    """{number, type}: Club Med holds its six types only, and a number that is not blank."""
    number = identity.number.strip()
    if not number:
        raise UpstreamBadRequest(
            BACKEND, "an identity number cannot be blank", field="identity.number"
        )
    kind = identity.type
    if kind is None or kind not in IDENTITY_TYPES.values():
        raise UpstreamBadRequest(
            BACKEND,
            "Club Med holds identity types " + ", ".join(IDENTITY_TYPES) + " only",
            field="identity.type",
        )
    return {"number": number, "type": kind.value}


# Address (and AddressPatch) field -> Club Med address key.
ADDRESS_KEYS: Final = {
    "line1": "street",
    "line2": "add_on",
    "line3": "additional_information_1",
    "city": "city",
    "postal_code": "zip_code",
    "region": "state_or_district",
    "country_code": "country_code",
}


def address_json(address: Address) -> dict[str, str | None]:
    """Every mapped key of a new address, None for an empty one."""
    return address_patch_json(
        AddressPatch(**{name: getattr(address, name) for name in ADDRESS_KEYS})
    )


def address_patch_json(patch: AddressPatch) -> dict[str, str | None]:
    """The keys the patch names (None clears one); line1 goes whole in `street`, so naming
    it clears `number` (else "12" + "3 Rue X" would read "12 3 Rue X")."""
    body: dict[str, str | None] = {}
    for name, value in patch.changes().items():
        if name == "line1":
            body["number"] = None
        text = value if isinstance(value, str) else None
        body[ADDRESS_KEYS[name]] = text.upper() if text and name == "country_code" else text
    return body


def _present(body: Mapping[str, object]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


def create_body(draft: CustomerDraft) -> dict[str, Any]:
    """The POST /v1/customers body; the draft's native id is refused by the adapter."""
    if draft.customer_source:
        raise UpstreamBadRequest(
            BACKEND, "Club Med records no customer source", field="customerSource"
        )
    identity = {
        "first_name": draft.first_name,
        "last_name": draft.last_name,
        "birthdate": yyyymmdd(draft.birthdate) if draft.birthdate else None,
        "gender": gender_code(draft.gender),
        "civility": draft.civility,
    }
    body: dict[str, Any] = {
        "identity": _present(identity),
        "email": draft.email,
        "phones": [phone_json(p) for p in draft.phones] or None,
        "address": _present(address_json(draft.address)) if draft.address else None,
        "locale": draft.locale,
        # [INF] The create's `identity` holds the names: the number goes beside it
        # (CONTRACT.md).
        "identity_number": identity_json(draft.identity) if draft.identity else None,
    }
    return _present(body)


# CustomerPatch field -> Club Med profile field.
PATCH_FIELDS: Final = {
    "first_name": "first_name",
    "middle_name": "second_name",
    "last_name": "last_name",
    "email": "email",
    "birthdate": "birthdate",
    "gender": "gender",
    "phones": "phones",
    "address": "address",
    "locale": "locale",
    "third_name": "third_name",
    "civility": "civility",
    "identity": "identity",
}


def patch_value(name: str, value: object) -> object:
    """One changed model value as the PATCH body writes it (None clears)."""
    if value is None:
        return None
    if name == "birthdate" and isinstance(value, date):
        return yyyymmdd(value)
    if name == "gender" and isinstance(value, Gender):
        return gender_code(value)
    if name == "phones" and isinstance(value, tuple):
        return [phone_json(p) for p in value]
    if name == "address" and isinstance(value, AddressPatch):
        return address_patch_json(value)
    if name == "identity" and isinstance(value, IdentityNumber):
        return identity_json(value)
    return value


def patch_body(patch: CustomerPatch) -> dict[str, Any]:
    """PATCH /v1/customers/{id}/profile: only what the patch changes; None -> null."""
    body = {PATCH_FIELDS[name]: patch_value(name, v) for name, v in patch.changes().items()}
    if body.get("address") == {}:
        del body["address"]  # an address patch naming no key changes nothing
    return body
