"""The fleet's tests use the gateway suite's sandboxes (one set for the session)."""

from tests.gateway.conftest import gateway_sandboxes

__all__ = ["gateway_sandboxes"]
