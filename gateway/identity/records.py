"""A record's key, and its values normalised once for the comparisons it takes part in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from adapters.model import Backend, Customer
from gateway.identity import normalise

__all__ = ["Comparable", "RecordKey", "comparable"]


@dataclass(frozen=True, slots=True, order=True)
class RecordKey:
    """Which record: its back end and its id there. Ordered, so a cluster has a smallest."""

    backend: Backend
    native_id: str

    def __str__(self) -> str:
        return f"{self.backend.value}:{self.native_id}"

    @classmethod
    def of(cls, customer: Customer) -> RecordKey:
        return cls(customer.backend, customer.native_id)

    @classmethod
    def parse(cls, text: str) -> RecordKey:
        """The key `str(key)` wrote: "clubmed:123"."""
        backend, _, native_id = text.partition(":")
        return cls(Backend(backend), native_id)


@dataclass(frozen=True, slots=True)
class Comparable:
    """A record's values as the matcher compares them: folded, E.164, a date."""

    key: RecordKey
    email: str | None = field(default=None, repr=False)
    phones: frozenset[str] = field(default=frozenset(), repr=False)
    first_name: str | None = field(default=None, repr=False)
    last_name: str | None = field(default=None, repr=False)
    birthdate: date | None = field(default=None, repr=False)
    postal_addresses: frozenset[str] = field(default=frozenset(), repr=False)


def comparable(customer: Customer) -> Comparable:
    """The normalised values of a record."""
    phones = (normalise.phone(p.number, customer.backend) for p in customer.phones)
    places = (normalise.postal_address(a.postal_code, a.country_code) for a in customer.addresses)
    return Comparable(
        RecordKey.of(customer),
        normalise.email(customer.email),
        frozenset(p for p in phones if p),
        normalise.name(customer.first_name),
        normalise.name(customer.last_name),
        customer.birthdate,
        frozenset(p for p in places if p),
    )
