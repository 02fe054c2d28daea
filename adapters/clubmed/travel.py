"""Club Med's travelers and travel documents <-> the model, both ways.

Travelers ([DOC] docs/backends/clubmed.md#travelers): GET renders birthdate yyyymmdd, the seed's
POST example yyyy-mm-dd; both are read, and the POST writes yyyy-mm-dd as the seed does. A
traveler's email, phones, civility, address and identity read and write as the profile's do
(mapping.py); the POST sends the keys it has, as GET names them (CONTRACT.md).

Travel documents are read in both forms the docs show; object-form native ids are the keys
(`passport`, `id_card`, `driving_licence` as type OTHER) and `visa-<n>` (n from 1, the
position in `visas`). Writes use the object form (CONTRACT.md). A visa's id is its position:
removing a visa renumbers the ones after it. `nationality` (the holder's, upper case) is read
and written like `issuing_country`; a patch that leaves it out keeps it. Club Med holds one
passport, one id card and one licence: a new one (no id) where the customer has one is a
conflict naming it, since writing it would replace a document the caller did not name; a new
visa is added.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from adapters.clubmed.mapping import (
    BACKEND,
    address_from,
    address_json,
    identity_from,
    identity_json,
    list_of,
    object_of,
    phone_json,
    phones_from,
    text_of,
)
from adapters.dates import parse_date, yyyymmdd
from adapters.errors import (
    UpstreamBadRequest,
    UpstreamConflict,
    UpstreamMalformed,
    UpstreamNotFound,
)
from adapters.model import (
    TravelDocument,
    TravelDocumentPatch,
    TravelDocumentType,
    Traveler,
    TravelerDraft,
)


def traveler_from(customer_native_id: str, raw: object) -> Traveler:
    """A traveler of GET/POST /v1/customers/{id}/travelers (birthdate in either form)."""
    fields = object_of(raw)
    native_id = fields.get("id")
    if not isinstance(native_id, str) or not native_id:
        raise UpstreamMalformed(BACKEND, "a traveler without an id")
    return Traveler(
        backend=BACKEND,
        native_id=native_id,
        customer_native_id=customer_native_id,
        first_name=text_of(fields.get("first_name")),
        last_name=text_of(fields.get("last_name")),
        birthdate=parse_date(fields.get("birthdate")),
        email=text_of(fields.get("email")),
        phones=phones_from(fields.get("phones")),
        address=address_from(fields.get("address")),
        civility=text_of(fields.get("civility")),
        identity=identity_from(fields.get("identity")),
    )


def traveler_body(draft: TravelerDraft) -> dict[str, Any]:
    """POST travelers: the seed's example writes the birthdate yyyy-mm-dd (CONTRACT.md);
    the keys the draft leaves empty are not sent."""
    body: dict[str, Any] = {"first_name": draft.first_name, "last_name": draft.last_name}
    if draft.birthdate is not None:
        body["birthdate"] = draft.birthdate.isoformat()
    if draft.email is not None:
        body["email"] = draft.email
    if draft.phones:
        body["phones"] = [phone_json(p) for p in draft.phones]
    if draft.civility is not None:
        body["civility"] = draft.civility
    address = address_json(draft.address) if draft.address else {}
    if any(v is not None for v in address.values()):
        body["address"] = {k: v for k, v in address.items() if v is not None}
    if draft.identity is not None:
        body["identity"] = identity_json(draft.identity)
    return body


# --- travel documents --------------------------------------------------------------------
# [DOC] docs/backends/clubmed.md#travel-documents: an object keyed by type (passport, id_card,
# driving_licence, visas[]); the seed's array form [{id, type, number, expiration_date}] is read
# too.

DOCUMENT_KEYS: Final = {
    "passport": TravelDocumentType.PASSPORT,
    "id_card": TravelDocumentType.ID_CARD,
    "driving_licence": TravelDocumentType.OTHER,
}
KEY_OF_TYPE: Final = {kind: key for key, kind in DOCUMENT_KEYS.items()}
VISA_PREFIX: Final = "visa-"


def _document(
    customer_native_id: str, native_id: str, kind: TravelDocumentType, raw: Mapping[str, object]
) -> TravelDocument:
    country = text_of(raw.get("issuing_country"))
    nationality = text_of(raw.get("nationality"))
    return TravelDocument(
        backend=BACKEND,
        native_id=native_id,
        customer_native_id=customer_native_id,
        type=kind,
        number=text_of(raw.get("document_number")) or text_of(raw.get("number")),
        expiration_date=parse_date(raw.get("expiration_date")),
        issuing_country=country.upper() if country else None,
        nationality=nationality.upper() if nationality else None,
    )


def _listed_type(raw: object) -> TravelDocumentType:
    name = raw.upper() if isinstance(raw, str) else ""
    return TravelDocumentType.__members__.get(name, TravelDocumentType.OTHER)


def documents_from(customer_native_id: str, raw: object) -> list[TravelDocument]:
    """Both forms; object-form ids are the keys (`passport`...) and `visa-<n>` from 1."""
    if isinstance(raw, list):
        return [
            _document(customer_native_id, str(d["id"]), _listed_type(d.get("type")), d)
            for d in map(object_of, raw)
            if d.get("id") not in (None, "")
        ]
    if not isinstance(raw, Mapping):
        raise UpstreamMalformed(BACKEND, "travel documents that are neither object nor list")
    found = [
        _document(customer_native_id, key, kind, raw[key])
        for key, kind in DOCUMENT_KEYS.items()
        if isinstance(raw.get(key), Mapping)
    ]
    for n, visa in enumerate(list_of(raw.get("visas")), start=1):
        if isinstance(visa, Mapping):
            found.append(
                _document(customer_native_id, f"{VISA_PREFIX}{n}", TravelDocumentType.VISA, visa)
            )
    return found


def current_visas(raw: object) -> list[dict[str, Any]]:
    """The visas as the object form writes them, from either form of a GET."""
    if isinstance(raw, Mapping):
        return [dict(v) for v in list_of(raw.get("visas")) if isinstance(v, Mapping)]
    return [
        {
            "document_number": text_of(d.get("number")) or text_of(d.get("document_number")),
            "issuing_country": text_of(d.get("issuing_country")),
            "nationality": text_of(d.get("nationality")),
            "expiration_date": _compact(d.get("expiration_date")),
        }
        for d in map(object_of, list_of(raw))
        if _listed_type(d.get("type")) is TravelDocumentType.VISA
    ]


def _compact(value: object) -> str | None:
    day = parse_date(value)
    return yyyymmdd(day) if day else None


def document_fields(patch: TravelDocumentPatch, *, creating: bool) -> dict[str, Any]:
    """A document's keys from a patch: changes only, or (creating) every key, None = null."""
    changes = patch.changes()
    pairs = (
        ("document_number", "number"),
        ("expiration_date", "expiration_date"),
        ("issuing_country", "issuing_country"),
        ("nationality", "nationality"),
    )
    body: dict[str, Any] = {}
    for key, name in pairs:
        if name not in changes:
            if creating:
                body[key] = None
            continue
        value = changes[name]
        if isinstance(value, date):
            value = yyyymmdd(value)
        elif isinstance(value, str) and name in ("issuing_country", "nationality"):
            value = value.upper()
        body[key] = value
    return body


def touches_visas(patches: Sequence[TravelDocumentPatch]) -> bool:
    """Whether the PATCH body needs the current visas (the list is replaced whole)."""
    return any(
        (p.native_id or "").startswith(VISA_PREFIX)
        or (p.native_id is None and p.type is TravelDocumentType.VISA)
        for p in patches
    )


def _new_single_kinds(patches: Sequence[TravelDocumentPatch]) -> list[TravelDocumentType]:
    """The kinds of the new documents (no id) of which Club Med holds one per customer."""
    return [
        p.type
        for p in patches
        if p.native_id is None and isinstance(p.type, TravelDocumentType) and p.type in KEY_OF_TYPE
    ]


def check_new_documents(patches: Sequence[TravelDocumentPatch]) -> None:
    """Refuse, before anything is sent, two new documents of a kind Club Med holds one of."""
    kinds = _new_single_kinds(patches)
    if len(kinds) != len(set(kinds)):
        raise UpstreamBadRequest(
            BACKEND, "two new documents of a kind Club Med holds one of", field="documents"
        )


def adds_single_documents(patches: Sequence[TravelDocumentPatch]) -> bool:
    """Whether a new passport, id card or licence is sent (the current ones are read first)."""
    return bool(_new_single_kinds(patches))


def refuse_replacing(
    customer_native_id: str, patches: Sequence[TravelDocumentPatch], current: object
) -> None:
    """A new document of a kind the customer holds would replace it unnamed: CONFLICT, with
    the native id of the one held (`current` is the GET travel_documents body)."""
    held = {d.type: d.native_id for d in documents_from(customer_native_id, current)}
    for kind in _new_single_kinds(patches):
        if kind in held:
            raise UpstreamConflict(
                BACKEND,
                f"the customer's {KEY_OF_TYPE[kind].replace('_', ' ')} exists already: "
                "send its id to replace it",
                field="documents",
                existing=held[kind],
            )


def documents_patch_body(
    patches: Sequence[TravelDocumentPatch], visas: Sequence[Mapping[str, object]] = ()
) -> dict[str, Any]:
    """PATCH travel_documents in object form; `visas` is the current list when touched.

    A patch without native_id creates a document of its `type`; one with a native id patches
    that document key by key; `type` None (with a native id) removes the document.
    """
    body: dict[str, Any] = {}
    new_visas: list[dict[str, Any] | None] = [dict(v) for v in visas]
    for patch in patches:
        if patch.native_id is None:
            _create_document(body, new_visas, patch)
        elif patch.native_id.startswith(VISA_PREFIX):
            _patch_visa(new_visas, patch)
        else:
            _patch_keyed(body, patch)
    if touches_visas(patches):
        body["visas"] = [v for v in new_visas if v is not None]
    return body


def _create_document(
    body: dict[str, Any], visas: list[dict[str, Any] | None], patch: TravelDocumentPatch
) -> None:
    if not isinstance(patch.type, TravelDocumentType):
        raise UpstreamBadRequest(BACKEND, "a new travel document needs a type", field="type")
    fields = document_fields(patch, creating=True)
    if patch.type is TravelDocumentType.VISA:
        visas.append(fields)
    else:
        body[KEY_OF_TYPE[patch.type]] = fields


def _patch_keyed(body: dict[str, Any], patch: TravelDocumentPatch) -> None:
    key = str(patch.native_id)
    if key not in DOCUMENT_KEYS:
        raise UpstreamNotFound(BACKEND, "no such travel document", status=404)
    if patch.type is None:
        body[key] = None
        return
    if isinstance(patch.type, TravelDocumentType) and patch.type is not DOCUMENT_KEYS[key]:
        raise UpstreamBadRequest(BACKEND, "a document's type cannot change", field="type")
    current = body.get(key)
    body[key] = {**(current or {}), **document_fields(patch, creating=False)}


def _patch_visa(visas: list[dict[str, Any] | None], patch: TravelDocumentPatch) -> None:
    position = str(patch.native_id).removeprefix(VISA_PREFIX)
    index = int(position) - 1 if position.isascii() and position.isdigit() else -1
    if not 0 <= index < len(visas) or visas[index] is None:
        raise UpstreamNotFound(BACKEND, "no such travel document", status=404)
    if patch.type is None:
        visas[index] = None  # removed; positions of the others hold until the PATCH
        return
    if isinstance(patch.type, TravelDocumentType) and patch.type is not TravelDocumentType.VISA:
        raise UpstreamBadRequest(BACKEND, "a document's type cannot change", field="type")
    visas[index] = {**(visas[index] or {}), **document_fields(patch, creating=False)}
