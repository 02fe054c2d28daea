"""The `filter` expression: criteria joined by `;`, values quoted, nothing can inject a criterion.

The unit tests need no server; the last ones send hostile values to the sandbox and check
the result never widens.
"""

from __future__ import annotations

from datetime import date

import pytest

from adapters.clubmed.adapter import ClubMedAdapter
from adapters.clubmed.filter import filter_expression, phone_for_search, quoted
from adapters.errors import UpstreamBadRequest
from adapters.model import CustomerDraft, CustomerFilter, PageRequest
from tests.adapters.clubmed.conftest import SEED_ID, calls, unique
from tests.conftest import RunningSandbox

pytestmark = pytest.mark.anyio


def test_every_criterion_in_order() -> None:
    expression = filter_expression(
        CustomerFilter(
            first_name="John",
            last_name=" Smith ",
            email="john@h.fr",
            phone="06 23 45 67 89",
            birthdate=date(1980, 1, 17),
            membership_number="123456789",
        )
    )
    assert expression == (
        'first_name=="John";last_name=="Smith";email=="john@h.fr";'
        'phones.number=="0623456789";birthdate=="19800117";gm_number=="123456789"'
    )


def test_empty_criteria_are_left_out() -> None:
    assert filter_expression(CustomerFilter(first_name="", last_name="Smith")) == (
        'last_name=="Smith"'
    )


def test_a_filter_without_criteria_is_refused() -> None:
    with pytest.raises(UpstreamBadRequest) as caught:
        filter_expression(CustomerFilter())
    assert caught.value.field == "filter"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Smith", '"Smith"'),
        ("Smith;email==john@h.fr", '"Smith;email==john@h.fr"'),
        ('O"Brien', '"O\\"Brien"'),
        ("back\\slash", '"back\\\\slash"'),
        ('end\\"', '"end\\\\\\""'),
        ("it's", '"it\'s"'),
        ("", '""'),
    ],
)
def test_values_are_quoted_and_escaped(value: str, expected: str) -> None:
    assert quoted(value) == expected


@pytest.mark.parametrize(
    "number, expected",
    [
        ("+33 6 23 45 67 89", "+33623456789"),
        ("06.23.45.67.89", "0623456789"),
        (" +1 (610) 555-0100", "+16105550100"),
    ],
)
def test_phones_are_searched_by_digits(number: str, expected: str) -> None:
    assert phone_for_search(number) == expected


def test_a_phone_without_digits_is_refused() -> None:
    with pytest.raises(UpstreamBadRequest) as caught:
        filter_expression(CustomerFilter(phone="+ -"))
    assert caught.value.field == "phone"


# --- against the sandbox -----------------------------------------------------------------


@pytest.mark.parametrize(
    "filter",
    [
        CustomerFilter(last_name="Smith;email==john@h.fr"),
        CustomerFilter(last_name='Smith";email=="john@h.fr'),
        CustomerFilter(last_name="Smith\\"),
        CustomerFilter(last_name='Smith\\";last_name=="Smith'),
        CustomerFilter(last_name="Smith',last_name=='Smith"),
        CustomerFilter(email='john@h.fr" ; first_name=="John'),
        CustomerFilter(first_name="*"),
        CustomerFilter(membership_number="123456789;gm_number==1"),
    ],
)
async def test_injection_attempts_never_widen_the_result(
    adapter: ClubMedAdapter, clubmed_sandbox: RunningSandbox, filter: CustomerFilter
) -> None:
    page = await adapter.search(filter, PageRequest(0, 100))
    assert page.items == () and page.total == 0 and page.has_more is False
    assert calls(clubmed_sandbox) == {"GET /v1/customers": 1}


async def test_hostile_names_are_found_exactly(adapter: ClubMedAdapter) -> None:
    """A stored name holding quotes, `;`, `==` and backslashes matches itself only."""
    tail = unique("Quote")
    last_name = f'O"Brien;x==\\{tail}'
    created = await adapter.create_customer(CustomerDraft(first_name="Q", last_name=last_name))
    page = await adapter.search(CustomerFilter(last_name=last_name), PageRequest())
    assert [c.native_id for c in page.items] == [created.native_id]
    assert page.items[0].last_name == last_name
    prefix = await adapter.search(CustomerFilter(last_name='O"Brien'), PageRequest())
    assert created.native_id not in [c.native_id for c in prefix.items]


async def test_the_seed_is_found_by_each_criterion(adapter: ClubMedAdapter) -> None:
    for filter in (
        CustomerFilter(email="JOHN@H.FR"),
        CustomerFilter(phone="06 23 45 67 89", last_name="smith"),
        CustomerFilter(birthdate=date(1980, 1, 17), first_name="john"),
        CustomerFilter(membership_number="123456789"),
    ):
        page = await adapter.search(filter, PageRequest())
        assert SEED_ID in [c.native_id for c in page.items], filter.criteria()
