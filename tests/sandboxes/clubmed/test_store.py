"""The Club Med sandbox's filter parser and store, in process: grammar, size and speed."""

from __future__ import annotations

import time

import pytest

from sandboxes.clubmed.filter import Criterion, FilterError, Kind, parse, tokenize
from sandboxes.clubmed.store import CustomerStore
from sandboxes.common.config import SandboxConfig


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


def test_a_store_of_100000_customers_builds_in_a_few_seconds_and_searches_by_index() -> None:
    start = time.perf_counter()
    store = CustomerStore(SandboxConfig(customers=100_000, seed=7))
    assert time.perf_counter() - start < 5.0
    assert store.slot_of("200099999") == 99_999
    assert store.slot_of("200100000") is None
    record = store.record(12_345)
    start = time.perf_counter()
    for _ in range(100):
        found = store.search(
            [Criterion("last_name", record["last_name"]), Criterion("email", record["email"])]
        )
    assert time.perf_counter() - start < 1.0  # an index lookup, not a scan of 100,000
    assert [r["id"] for r in found] == ["200012345"]
    assert [r["id"] for r in store.search([Criterion("gm_number", "500012345")])] == ["200012345"]
