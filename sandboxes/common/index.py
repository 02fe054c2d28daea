"""An index over a sandbox's customers: a normalised search key -> the slots holding it.

It is built over every generated person at start-up (up to a million), so it stays compact:
a key held by one slot maps to that int, only a key held by several to a list. Old keys are
never removed when a record is written, so an index may hold stale slots: a search checks
every candidate against the current record before it returns it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence


class SlotIndex(dict[Hashable, int | list[int]]):
    """Search key -> slots, in the order they were added."""

    __slots__ = ()

    def add(self, key: Hashable, slot: int) -> None:
        """Index `slot` under `key`: one int while the key has one slot, a list beyond."""
        found = self.get(key)
        if found is None:
            self[key] = slot
        elif isinstance(found, int):
            if found != slot:
                self[key] = [found, slot]
        elif found[-1] != slot:  # a repeat further back is harmless: searches use sets
            found.append(slot)

    def slots(self, key: Hashable) -> Sequence[int]:
        """The slots indexed under `key` (none when the key is unknown)."""
        found = self.get(key)
        if found is None:
            return ()
        return (found,) if isinstance(found, int) else found
