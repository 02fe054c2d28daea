"""The scalars the gateway defines itself: a Date stricter than Strawberry's, and a Decimal
written as a string."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

import strawberry
from strawberry.types.scalar import ScalarDefinition

from gateway.errors import graphql_error

# ASCII digits only: `\d` also matches other scripts' digits, which fromisoformat reads.
_CALENDAR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: object) -> date:
    """YYYY-MM-DD, a real calendar date, and nothing else.

    Not `date.fromisoformat` alone: since Python 3.11 it also reads 19900101 and 1990-W01-1,
    and a back end would then store whichever day the gateway made of them.
    """
    if isinstance(value, str) and _CALENDAR_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass  # 1990-02-30, year 0000
    raise graphql_error("Date must be a calendar date written YYYY-MM-DD", "BAD_USER_INPUT")


def serialize_date(value: date) -> str:
    return value.isoformat()


Date: ScalarDefinition = strawberry.scalar(
    name="Date",
    description="A calendar date, YYYY-MM-DD.",
    serialize=serialize_date,
    parse_value=parse_date,
)


def parse_decimal(value: object) -> Decimal:
    """A decimal written as a JSON string ("60.51"): a float would round money already."""
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            pass
        else:
            if number.is_finite():
                return number
    raise graphql_error(
        "Decimal must be a finite decimal number written as a string", "BAD_USER_INPUT"
    )


def serialize_decimal(value: Decimal) -> str:
    return str(value)


DecimalScalar: ScalarDefinition = strawberry.scalar(
    name="Decimal",
    description=(
        "A decimal number written as a JSON string, exactly as the back end holds it "
        '(e.g. "60.51"): money and point amounts, never rounded through a float.'
    ),
    serialize=serialize_decimal,
    parse_value=parse_decimal,
)

# For StrawberryConfig(scalar_map=...): every `datetime.date` of the schema is this Date.
SCALARS: dict[object, ScalarDefinition] = {date: Date, Decimal: DecimalScalar}
