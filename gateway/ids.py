"""Global ids: opaque, stable, and carrying the type, the back end and its own id(s).

An id is base64url (no padding) of "Type:backend:part[:part]", each part percent-encoded so
a native id may hold any character. Clients never build one by hand. Both are bounded before
any back end sees them: a global id at 512 characters, a native id at 128.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import quote, unquote

from adapters.model import Backend
from gateway.errors import BadUserInput

CUSTOMER = "Customer"
TRAVELER = "Traveler"
TRAVEL_DOCUMENT = "TravelDocument"
# A person (issue 16) lives in no one back end: "Person:<person id>", no back end part.
PERSON = "Person"
CUSTOMER_PROPERTY = "CustomerProperty"
INTEREST = "Interest"
_PARTS = {CUSTOMER: 1, TRAVELER: 2, TRAVEL_DOCUMENT: 2, CUSTOMER_PROPERTY: 2, INTEREST: 2}
# Relay documents its ccid at 100 characters at most; Club Med's and CareCloud's ids are
# short numbers. A global id of two such parts, percent-encoded, stays well under 512.
MAX_NATIVE_ID = 128
MAX_GLOBAL_ID = 512


@dataclass(frozen=True, slots=True)
class GlobalId:
    """A decoded id. `parts` is (customer id,) or (customer id, own id)."""

    type: str
    backend: Backend
    parts: tuple[str, ...]

    @property
    def customer_native_id(self) -> str:
        return self.parts[0]

    @property
    def native_id(self) -> str:
        return self.parts[-1]

    def encode(self) -> str:
        return encode_id(self.type, self.backend, *self.parts)


def encode_id(type_name: str, backend: Backend, *parts: str) -> str:
    raw = ":".join((type_name, backend.value, *(quote(p, safe="") for p in parts)))
    return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode()


def decode_id(value: str, expected: str | None = None) -> GlobalId:
    """Decode and validate; a malformed id, or one of another type, is BAD_USER_INPUT."""
    if len(value) > MAX_GLOBAL_ID:
        raise BadUserInput("malformed id")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        type_name, backend_name, *quoted = raw.split(":")
        backend = Backend(backend_name)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadUserInput("malformed id") from None
    parts = tuple(unquote(p) for p in quoted)
    if _PARTS.get(type_name) != len(parts) or not all(parts):
        raise BadUserInput("malformed id")
    if expected is not None and type_name != expected:
        raise BadUserInput(f"the id is not a {expected} id")
    return GlobalId(type_name, backend, parts)


def check_native_id(native_id: str, **where: str) -> None:
    """A native id over MAX_NATIVE_ID characters is BAD_USER_INPUT, naming where it was."""
    if len(native_id) > MAX_NATIVE_ID:
        raise BadUserInput(f"nativeId is over {MAX_NATIVE_ID} characters", **where)


def encode_person_id(person_id: str) -> str:
    raw = f"{PERSON}:{quote(person_id, safe='')}"
    return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode()


def person_id_of(value: str) -> str | None:
    """The stable person id a global Person id carries; None when it is not a Person id."""
    if len(value) > MAX_GLOBAL_ID:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    type_name, _, quoted = raw.partition(":")
    if type_name != PERSON or not quoted or ":" in quoted:
        return None
    return unquote(quoted)
