"""The back ends the gateway serves: one spec each, in `Backend` order.

A fourth back end is its folder (adapter, client, mapping, its `SPEC`) and one line here.
"""

from __future__ import annotations

from typing import Any, Final

from adapters import carecloud, clubmed, relay
from adapters.spec import BackendSpec

__all__ = ["BACKENDS", "Registry"]

Registry = tuple[BackendSpec[Any], ...]

BACKENDS: Final[Registry] = (
    clubmed.SPEC,
    carecloud.SPEC,
    relay.SPEC,
)
