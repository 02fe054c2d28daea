"""The `filter` parameter of GET /v1/customers: a small tokenizer and parser.

[INF] (docs/backends/clubmed.md#filter: only `last_name==Smith` is public) The grammar is RSQL-like:

    filter    := criterion (";" criterion)*        ";" is AND
    criterion := FIELD "==" value
    value     := BARE | QUOTED
    BARE      := [^;=,"'\\s\\\\]+                   no reserved character
    QUOTED    := '"' ... '"' | "'" ... "'"          "\\" escapes the next character

A `;` inside quotes is part of the value, never a separator. Anything else (an unknown
field, another operator, an empty value, an unbalanced quote, a trailing `;`, `,` for OR,
an empty filter) is a `FilterError`; its message gives a position, never the value.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

FIELDS: Final = frozenset(
    {"first_name", "last_name", "email", "phones.number", "birthdate", "gm_number"}
)
_RESERVED: Final = frozenset(";=,\"'\\")
_QUOTES: Final = frozenset("\"'")


class FilterError(ValueError):
    """The filter is not in the grammar; the message says where, not what."""


class Kind(enum.Enum):
    WORD = "word"  # a field name or a bare value
    QUOTED = "quoted"  # a quoted value, unescaped
    OPERATOR = "operator"  # a run of "="
    AND = "and"  # ";"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str
    position: int


@dataclass(frozen=True, slots=True)
class Criterion:
    """One `field==value` of the filter."""

    field: str
    value: str


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`; a character no token may start with is a FilterError."""
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == ";":
            tokens.append(Token(Kind.AND, char, position))
            position += 1
        elif char == "=":
            end = _run_end(text, position, lambda c: c == "=")
            tokens.append(Token(Kind.OPERATOR, text[position:end], position))
            position = end
        elif char in _QUOTES:
            value, end = _quoted(text, position)
            tokens.append(Token(Kind.QUOTED, value, position))
            position = end
        elif _is_bare(char):
            end = _run_end(text, position, _is_bare)
            tokens.append(Token(Kind.WORD, text[position:end], position))
            position = end
        else:
            raise FilterError(f"Unexpected character at position {position}")
    return tokens


def _is_bare(char: str) -> bool:
    return char not in _RESERVED and not char.isspace()


def _run_end(text: str, start: int, accepts: Callable[[str], bool]) -> int:
    end = start
    while end < len(text) and accepts(text[end]):
        end += 1
    return end


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The unescaped value of the quoted string at `start`, and the index after it."""
    quote = text[start]
    chars: list[str] = []
    position = start + 1
    while position < len(text):
        char = text[position]
        if char == "\\":
            if position + 1 == len(text):
                break
            chars.append(text[position + 1])
            position += 2
        elif char == quote:
            return "".join(chars), position + 1
        else:
            chars.append(char)
            position += 1
    raise FilterError(f"Unbalanced quote opened at position {start}")


def parse(text: str) -> list[Criterion]:
    """The criteria of a filter, ANDed; a FilterError when it is not in the grammar."""
    tokens = tokenize(text)
    if not tokens:
        raise FilterError("The filter is empty")
    criteria: list[Criterion] = []
    position = 0
    while True:
        criterion, position = _criterion(tokens, position, len(text))
        criteria.append(criterion)
        if position == len(tokens):
            return criteria
        if tokens[position].kind is not Kind.AND:
            raise FilterError(f"Expected ';' at position {tokens[position].position}")
        position += 1
        if position == len(tokens):
            raise FilterError("The filter ends with ';'")


def _criterion(tokens: list[Token], at: int, length: int) -> tuple[Criterion, int]:
    """The criterion starting at token `at`, and the index of the token after it."""
    field = _expect(tokens, at, Kind.WORD, "a field name", length)
    if field.text not in FIELDS:
        raise FilterError(f"Unknown field at position {field.position}")
    operator = _expect(tokens, at + 1, Kind.OPERATOR, "'=='", length)
    if operator.text != "==":
        raise FilterError(f"Only '==' is supported (position {operator.position})")
    value = _expect_value(tokens, at + 2, length)
    if value.text == "":
        raise FilterError(f"Empty value at position {value.position}")
    return Criterion(field.text, value.text), at + 3


def _expect(tokens: list[Token], at: int, kind: Kind, what: str, length: int) -> Token:
    if at >= len(tokens):
        raise FilterError(f"Expected {what} at position {length}")
    if tokens[at].kind is not kind:
        raise FilterError(f"Expected {what} at position {tokens[at].position}")
    return tokens[at]


def _expect_value(tokens: list[Token], at: int, length: int) -> Token:
    if at >= len(tokens):
        raise FilterError(f"Empty value at position {length}")
    if tokens[at].kind not in (Kind.WORD, Kind.QUOTED):
        raise FilterError(f"Expected a value at position {tokens[at].position}")
    return tokens[at]
