"""A phone with the back end of its record, which says how to read it: `Phone.e164`.

Club Med writes French numbers nationally ("0623456789"), CareCloud international digits
without "+", Relay ten US digits: a number alone does not say its country.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field

from adapters.model import Backend, Phone
from gateway.identity import normalise

__all__ = ["RecordPhone", "e164", "with_backend", "with_backend_later"]


@dataclass(frozen=True, slots=True)
class RecordPhone(Phone):
    """A phone as a record holds it, and that record's back end."""

    backend: Backend | None = field(default=None, compare=False)


def with_backend(phones: Iterable[Phone], backend: Backend) -> list[Phone]:
    return [RecordPhone(p.number, p.type, backend) for p in phones]


async def with_backend_later(phones: Awaitable[object], backend: Backend) -> list[Phone]:
    value = await phones
    return with_backend(value if isinstance(value, tuple | list) else (), backend)


def e164(root: Phone, context: object = None) -> str | None:
    """The number in E.164, read in its record's back end's region; None when unreadable."""
    backend = getattr(root, "backend", None)
    if backend is None:  # a number without its record: only an international one reads
        return (
            normalise.phone(root.number, Backend.CLUBMED) if root.number.startswith("+") else None
        )
    return normalise.phone(root.number, backend)
