"""The index the Club Med and CareCloud stores keep over their customers."""

from __future__ import annotations

from datetime import date

from sandboxes.common.index import SlotIndex


def test_a_key_of_one_slot_is_that_int_and_of_several_a_list() -> None:
    index = SlotIndex()
    index.add("smith", 3)
    assert index["smith"] == 3 and index.slots("smith") == (3,)
    index.add("smith", 8)
    index.add("smith", 11)
    assert index["smith"] == [3, 8, 11] and list(index.slots("smith")) == [3, 8, 11]


def test_adding_the_last_slot_again_changes_nothing() -> None:
    index = SlotIndex()
    for slot in (5, 5, 7, 7):
        index.add("doe", slot)
    assert index["doe"] == [5, 7]


def test_an_unknown_key_has_no_slot_and_any_hashable_is_a_key() -> None:
    index = SlotIndex()
    index.add(date(1980, 1, 17), 1)
    assert index.slots(date(1980, 1, 17)) == (1,)
    assert index.slots("nobody") == ()
