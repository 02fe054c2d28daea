"""CareCloud's loyalty sub-resources -> the model's membership number and Loyalty.

[DOC] docs/backends/carecloud.md#sub-resources: cards (state 0 blocked / 1 active), points
(available_points per record, state 0 deleted / 1 active / 2 non active) and status records
(status_id, valid_from, valid_to, state), whose tier name comes from `GET /statuses`. Datetimes are
project-local without offset; they are compared with `now` in the same (naive) terms.

- membership_number: the number of the first active card;
- points: the sum of the available points of the active point records (rounded down);
- status: the current status record (active and valid now); previous_status: the latest
  one that ended before now; renewal_date: the current record's valid_to;
- member_since: the earliest valid_from of the customer's cards (ISO date).

A summary asked for alone (`CareCloudAdapter.get_loyalties`) reads only the lists its fields
need (`LISTS_OF`), and not the customer record.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from adapters.dates import parse_date
from adapters.model import Loyalty

Records = Sequence[Mapping[str, object]]

CARDS: Final = ("cards", "cards")  # (route segment, list key)
POINTS: Final = ("points", "points")
STATUS_RECORDS: Final = ("status-records", "status_records")
# The lists each Loyalty field is read from; platinum_for_life is not CareCloud's.
LISTS_OF: Final = {
    "status": (STATUS_RECORDS,),
    "previous_status": (STATUS_RECORDS,),
    "renewal_date": (STATUS_RECORDS,),
    "points": (POINTS,),
    "member_since": (CARDS,),
}
ALL_LISTS: Final = frozenset({CARDS, POINTS, STATUS_RECORDS})


@dataclass(frozen=True, slots=True)
class LoyaltyRecords:
    """One customer's cards, point records and status records, as CareCloud lists them."""

    cards: Records
    points: Records
    status_records: Records

    def status_ids(self) -> set[str]:
        return {
            str(r["status_id"]) for r in self.status_records if isinstance(r.get("status_id"), str)
        }


def _when(value: object, *, end: bool) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.strptime(value.replace("T", " ")[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        day = parse_date(value)
        if day is None:
            return None
        return datetime.combine(day, datetime.max.time() if end else datetime.min.time())


def _valid_now(record: Mapping[str, object], now: datetime) -> bool:
    start = _when(record.get("valid_from"), end=False)
    stop = _when(record.get("valid_to"), end=True)
    return (start is None or start <= now) and (stop is None or now <= stop)


def membership_number(cards: Records) -> str | None:
    for card in cards:
        if card.get("state") == 1 and isinstance(card.get("card_number"), str):
            return str(card["card_number"])
    return None


def _points(points: Records) -> int | None:
    if not points:
        return None
    total = sum(
        float(available)
        for p in points
        if p.get("state") == 1 and isinstance(available := p.get("available_points"), int | float)
    )
    return math.floor(total)


def loyalty_from(
    records: LoyaltyRecords, status_names: Mapping[str, str], now: datetime
) -> Loyalty | None:
    """The customer's Loyalty; None when CareCloud holds no card, point or status for them."""
    if not (records.cards or records.points or records.status_records):
        return None
    current = next(
        (r for r in records.status_records if r.get("state") == 1 and _valid_now(r, now)),
        None,
    )
    ended = [
        (stop, r)
        for r in records.status_records
        if (stop := _when(r.get("valid_to"), end=True)) is not None and stop < now
    ]
    previous = max(ended, key=lambda pair: pair[0])[1] if ended else None
    since = sorted(d for c in records.cards if (d := parse_date(c.get("valid_from"))) is not None)
    return Loyalty(
        status=status_names.get(str(current.get("status_id"))) if current else None,
        previous_status=status_names.get(str(previous.get("status_id"))) if previous else None,
        points=_points(records.points),
        member_since=since[0].isoformat() if since else None,
        renewal_date=parse_date(current.get("valid_to")) if current else None,
    )
