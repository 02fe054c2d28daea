"""The Relay sandbox's customers: the seed's example, generated people, and loaded records.

Generated people are not built at start-up: a ccid `RLY-<index:07d>` names population person
`index` (sandboxes/common/people.py), whose record is rendered when it is read. So a sandbox
of 100,000 customers starts as fast as one of ten, and person `i` is the same whatever the
size (nor is there an index: Relay has no search). Records loaded through
`load-customer-record` are kept as they came (validated).
"""

from __future__ import annotations

import copy

from starlette.requests import Request

from adapters.model import Backend
from sandboxes.common import SandboxConfig, person, slice_range
from sandboxes.relay.records import Record, generated_ccid, generated_index, record_of
from sandboxes.relay.seed import SEED_CCID, SEED_RECORD


class CustomerStore:
    """Every customer of the one sandbox client, by ccid."""

    def __init__(self, config: SandboxConfig) -> None:
        self.seed = config.seed
        self.generated = slice_range(Backend.RELAY, config.customers)
        self._loaded: dict[str, Record] = {SEED_CCID: copy.deepcopy(SEED_RECORD)}

    def generated_ccid(self, position: int) -> str:
        """The ccid of the `position`-th generated customer (0-based)."""
        return generated_ccid(self.generated[position])

    def _generated_index(self, ccid: str) -> int | None:
        index = generated_index(ccid)
        return index if index is not None and index in self.generated else None

    def get(self, ccid: str) -> Record | None:
        """A copy of the record, or None when no customer has this ccid."""
        if ccid in self._loaded:
            return copy.deepcopy(self._loaded[ccid])
        index = self._generated_index(ccid)
        return None if index is None else record_of(person(self.seed, index))

    def exists(self, ccid: str) -> bool:
        return ccid in self._loaded or self._generated_index(ccid) is not None

    def add(self, record: Record) -> bool:
        """Keep a new record; False (and nothing changed) when its ccid is taken."""
        ccid = record["ccid"]
        if self.exists(ccid):
            return False
        self._loaded[ccid] = copy.deepcopy(record)
        return True


def customer_store(request: Request) -> CustomerStore:
    """The sandbox's store, kept on its app's state."""
    store: CustomerStore = request.app.state.store
    return store
