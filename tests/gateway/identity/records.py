"""Customer records for the identity tests, built as the adapters map them."""

from __future__ import annotations

from datetime import date
from typing import Any

from adapters.model import Backend, Customer, Phone

_FIELDS = frozenset({"first_name", "last_name", "email", "phones", "birthdate"})


def record(backend: Backend, native_id: str, **values: Any) -> Customer:
    """A record with the values given; `phone="..."` for one phone."""
    phone = values.pop("phone", None)
    if phone is not None and "phones" not in values:
        values["phones"] = (Phone(phone),)
    return Customer(backend, native_id, _FIELDS | frozenset(values), **values)


def jan(backend: Backend = Backend.CLUBMED, native_id: str = "1", **values: Any) -> Customer:
    """Jan Novák, born 1984-11-06, as a back end holds him (override any value)."""
    base: dict[str, Any] = {
        "first_name": "Jan",
        "last_name": "Novák",
        "birthdate": date(1984, 11, 6),
        "email": "jan.novak@example.com",
        "phone": {
            Backend.CLUBMED: "+420 623 456 789",
            Backend.CARECLOUD: "420623456789",
            Backend.RELAY: "011420623456789",
        }[backend],
    }
    base.update(values)
    return record(backend, native_id, **base)
