"""One value per Customer field from a person's records, each with where it came from.

Which record's value wins is per field, by a `MergePolicy`: the back end first in the
source priority, the most recently updated record, or the most complete value. The fields
on which the records disagree once normalised are listed as conflicts, every value with
its source, whatever won.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from typing import Final, Generic, TypeVar

from adapters.model import (
    Address,
    Backend,
    Consent,
    Customer,
    Gender,
    Loyalty,
    Phone,
)
from gateway.identity import normalise
from gateway.identity.records import RecordKey

__all__ = ["Conflict", "MergePolicy", "Merged", "Sourced", "WinBy", "conflicts", "merge"]

T = TypeVar("T")


class WinBy(enum.StrEnum):
    """Why a value won."""

    SOURCE_PRIORITY = "source_priority"
    MOST_RECENT = "most_recent"
    MOST_COMPLETE = "most_complete"


@dataclass(frozen=True, slots=True)
class Sourced(Generic[T]):
    """A value and the record it comes from; `won_by` says why it was chosen, if it was."""

    value: T = field(repr=False)
    source: RecordKey
    won_by: WinBy | None = None


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field whose records disagree: every value present, with its source."""

    field: str
    values: tuple[Sourced[object], ...]


_DEFAULT_WIN_BY: Final = {
    # Contact data changes: the latest record knows the current one.
    "email": WinBy.MOST_RECENT,
    "phones": WinBy.MOST_COMPLETE,
    "addresses": WinBy.MOST_RECENT,
    "consents": WinBy.MOST_RECENT,
    # "cs-CZ" says more than "cs"; "Tomáš" more than "Tomas".
    "locale": WinBy.MOST_COMPLETE,
    "first_name": WinBy.MOST_COMPLETE,
    "last_name": WinBy.MOST_COMPLETE,
}


@dataclass(frozen=True, slots=True)
class MergePolicy:
    """How each field's winner is chosen. Ties, and MOST_RECENT without dates, fall back
    to the source priority (and say so in `won_by`)."""

    source_priority: tuple[Backend, ...] = (Backend.CLUBMED, Backend.CARECLOUD, Backend.RELAY)
    by_field: Mapping[str, WinBy] = field(default_factory=lambda: dict(_DEFAULT_WIN_BY))
    default: WinBy = WinBy.SOURCE_PRIORITY

    def win_by(self, name: str) -> WinBy:
        return self.by_field.get(name, self.default)

    def rank(self, backend: Backend) -> int:
        order = self.source_priority
        return order.index(backend) if backend in order else len(order)


@dataclass(frozen=True, slots=True)
class Merged:
    """The person's value for each Customer field, where any record has one."""

    membership_number: Sourced[str] | None = None
    first_name: Sourced[str] | None = None
    middle_name: Sourced[str] | None = None
    last_name: Sourced[str] | None = None
    birthdate: Sourced[date] | None = None
    birth_city: Sourced[str] | None = None
    gender: Sourced[Gender] | None = None
    email: Sourced[str] | None = None
    phones: Sourced[tuple[Phone, ...]] | None = None
    addresses: Sourced[tuple[Address, ...]] | None = None
    locale: Sourced[str] | None = None
    loyalty: Sourced[Loyalty] | None = None
    consents: Sourced[tuple[Consent, ...]] | None = None


def merge(
    records: Sequence[Customer],
    policy: MergePolicy | None = None,
    updated_at: Mapping[RecordKey, datetime] | None = None,
) -> Merged:
    """The winning value of every field, by the policy (default: `MergePolicy()`)."""
    chooser = _Chooser(records, policy or MergePolicy(), updated_at or {})
    return Merged(
        membership_number=chooser.pick("membership_number", lambda c: c.membership_number),
        first_name=chooser.pick("first_name", lambda c: c.first_name),
        middle_name=chooser.pick("middle_name", lambda c: c.middle_name),
        last_name=chooser.pick("last_name", lambda c: c.last_name),
        birthdate=chooser.pick("birthdate", lambda c: c.birthdate),
        birth_city=chooser.pick("birth_city", lambda c: c.birth_city),
        gender=chooser.pick("gender", lambda c: None if c.gender is Gender.UNKNOWN else c.gender),
        email=chooser.pick("email", lambda c: c.email),
        phones=chooser.pick("phones", lambda c: c.phones or None),
        addresses=chooser.pick("addresses", lambda c: c.addresses or None),
        locale=chooser.pick("locale", lambda c: c.locale),
        loyalty=chooser.pick("loyalty", lambda c: c.loyalty),
        consents=chooser.pick("consents", lambda c: c.consents or None),
    )


class _Chooser:
    def __init__(
        self,
        records: Sequence[Customer],
        policy: MergePolicy,
        updated_at: Mapping[RecordKey, datetime],
    ) -> None:
        self._policy = policy
        self._updated_at = updated_at
        # Source priority orders every candidate list, so it is the tie-breaker.
        self._records = sorted(records, key=lambda c: (policy.rank(c.backend), c.native_id))

    def pick(self, name: str, value_of: Callable[[Customer], T | None]) -> Sourced[T] | None:
        present = [(c, v) for c in self._records if (v := value_of(c)) is not None]
        if not present:
            return None
        rule = self._policy.win_by(name)
        if len(present) > 1 and rule is WinBy.MOST_RECENT:
            dated = [
                (self._updated_at[RecordKey.of(c)], c, v)
                for c, v in present
                if RecordKey.of(c) in self._updated_at
            ]
            if dated:
                newest = max(d for d, _, _ in dated)
                latest = [(c, v) for d, c, v in dated if d == newest]
                if len(latest) == 1 or len({_completeness(v) for _, v in latest}) == 1:
                    return Sourced(latest[0][1], RecordKey.of(latest[0][0]), rule)
        if len(present) > 1 and rule is WinBy.MOST_COMPLETE:
            best = max(_completeness(v) for _, v in present)
            fullest = [(c, v) for c, v in present if _completeness(v) == best]
            if len(fullest) < len(present):
                return Sourced(fullest[0][1], RecordKey.of(fullest[0][0]), rule)
        customer, value = present[0]
        return Sourced(value, RecordKey.of(customer), WinBy.SOURCE_PRIORITY)


def _completeness(value: object) -> int:
    """How much a value says: items of a tuple, set fields of a record, non-ASCII letters
    and length of a text (an accent dropped is information lost)."""
    if isinstance(value, tuple):
        return sum(1 + _completeness(item) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        return sum(getattr(value, f.name) not in (None, "", ()) for f in fields(value))
    if isinstance(value, str):
        return len(value.strip()) * 2 + sum(not c.isascii() for c in value)
    return 1


def conflicts(records: Sequence[Customer]) -> tuple[Conflict, ...]:
    """The fields whose present values differ once normalised, each value with its source.

    Membership numbers and consents are each back end's own, so never in conflict.
    """
    found: list[Conflict] = []
    for name, key_of in _CONFLICT_KEYS.items():
        values = [(_sourced(c, name), key) for c in records if (key := key_of(c)) is not None]
        if _disagree(name, [key for _, key in values]):
            found.append(Conflict(name, tuple(v for v, _ in values)))
    return tuple(found)


def _sourced(customer: Customer, name: str) -> Sourced[object]:
    value: object = getattr(customer, name)
    return Sourced(value, RecordKey.of(customer))


def _disagree(name: str, keys: list[Hashable]) -> bool:
    distinct = set(keys)
    if name != "locale":
        return len(distinct) > 1
    # "cs" and "cs-cz" agree: one only says less.
    texts = sorted(str(k) for k in distinct)
    return any(
        not (b == a or b.startswith(a + "-")) for i, a in enumerate(texts) for b in texts[i + 1 :]
    )


def _phones(c: Customer) -> Hashable | None:
    numbers = frozenset(normalise.phone(p.number, c.backend) or p.number for p in c.phones)
    return numbers or None


def _addresses(c: Customer) -> Hashable | None:
    places = frozenset(
        (normalise.postal_address(a.postal_code, a.country_code), normalise.name(a.line1))
        for a in c.addresses
    )
    return places or None


_CONFLICT_KEYS: Final[Mapping[str, Callable[[Customer], Hashable | None]]] = {
    "first_name": lambda c: normalise.name(c.first_name),
    "middle_name": lambda c: normalise.name(c.middle_name),
    "last_name": lambda c: normalise.name(c.last_name),
    "birthdate": lambda c: c.birthdate,
    "birth_city": lambda c: normalise.name(c.birth_city),
    "gender": lambda c: None if c.gender in (None, Gender.UNKNOWN) else c.gender,
    "email": lambda c: normalise.email(c.email),
    "phones": _phones,
    "addresses": _addresses,
    "locale": lambda c: c.locale.casefold() if c.locale else None,
    "loyalty": lambda c: c.loyalty.status.casefold() if c.loyalty and c.loyalty.status else None,
}
