"""The Club Med sandbox's `filter` parser, in process: the grammar, and errors that say where."""

from __future__ import annotations

import pytest

from sandboxes.clubmed.filter import Criterion, FilterError, Kind, parse, tokenize


def test_parse_bare_and_quoted_values() -> None:
    assert parse("last_name==Smith;email==john@h.fr") == [
        Criterion("last_name", "Smith"),
        Criterion("email", "john@h.fr"),
    ]
    assert parse('last_name=="O\\"Brien;x"') == [Criterion("last_name", 'O"Brien;x')]
    assert parse("last_name=='a\\\\b'") == [Criterion("last_name", "a\\b")]
    assert parse('phones.number=="+33 6 12"') == [Criterion("phones.number", "+33 6 12")]


def test_tokenize_keeps_positions() -> None:
    tokens = tokenize('gm_number=="1;2";birthdate==19800117')
    assert [(t.kind, t.text, t.position) for t in tokens] == [
        (Kind.WORD, "gm_number", 0),
        (Kind.OPERATOR, "==", 9),
        (Kind.QUOTED, "1;2", 11),
        (Kind.AND, ";", 16),
        (Kind.WORD, "birthdate", 17),
        (Kind.OPERATOR, "==", 26),
        (Kind.WORD, "19800117", 28),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The filter is empty"),
        ("last_name==Smith;", "The filter ends with ';'"),
        ('last_name=="Smith', "Unbalanced quote opened at position 11"),
        ("last_name=Smith", "Only '==' is supported (position 9)"),
        ("city==Paris", "Unknown field at position 0"),
        ("last_name==Smith,email==x", "Unexpected character at position 16"),
    ],
)
def test_parse_errors_say_where_not_what(text: str, message: str) -> None:
    with pytest.raises(FilterError) as error:
        parse(text)
    assert str(error.value) == message
