"""The searches that find a record's other records: what `Customer.person` asks each back end.

One filter per key the record has, so a request's searches de-duplicate by filter: its
e-mail; each phone, written as the target back end stores numbers; its last name with its
birthdate; and, only when it has no birthdate, its first and last name. Back ends compare
names and e-mails case-insensitively but not accents, so a name is sent as written.
`bench/identity.py` blocks on exactly these keys, so its recall is what these searches reach.
"""

from __future__ import annotations

from adapters.model import Backend, Customer, CustomerFilter
from gateway.identity import normalise

__all__ = ["candidate_filters", "index_keys", "search_keys"]


def candidate_filters(record: Customer, target: Backend) -> tuple[CustomerFilter, ...]:
    """The filters to search `target` with for the other records of `record`'s person."""
    found: list[CustomerFilter] = []
    if email := normalise.email(record.email):
        found.append(CustomerFilter(email=email))
    for phone in _phones(record):
        found.append(CustomerFilter(phone=normalise.phone_as_stored(phone, target)))
    if record.last_name and record.birthdate:
        found.append(CustomerFilter(last_name=record.last_name, birthdate=record.birthdate))
    elif record.last_name and record.first_name:
        found.append(CustomerFilter(first_name=record.first_name, last_name=record.last_name))
    return tuple(dict.fromkeys(found))


def search_keys(record: Customer) -> frozenset[str]:
    """The keys of the searches `candidate_filters` makes, as the back ends compare them."""
    keys = index_keys(record)
    if record.birthdate:
        return frozenset(k for k in keys if not k.startswith("name:"))
    return keys


def index_keys(record: Customer) -> frozenset[str]:
    """The keys under which a search finds `record`."""
    keys = {f"phone:{p}" for p in _phones(record)}
    if email := normalise.email(record.email):
        keys.add(f"email:{email}")
    last = record.last_name.strip().casefold() if record.last_name else None
    first = record.first_name.strip().casefold() if record.first_name else None
    if last and record.birthdate:
        keys.add(f"last_name:{last}|{record.birthdate.isoformat()}")
    if last and first:
        keys.add(f"name:{first}|{last}")
    return frozenset(keys)


def _phones(record: Customer) -> list[str]:
    numbers = (normalise.phone(p.number, record.backend) for p in record.phones)
    return list(dict.fromkeys(n for n in numbers if n))
