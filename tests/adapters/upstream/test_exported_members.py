"""The public surface of adapters.upstream is what its `__all__` says (as httpx pins its own)."""

from __future__ import annotations

import types

import adapters.upstream


def test_all_public_members_are_exported() -> None:
    members = {
        name
        for name, value in vars(adapters.upstream).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert sorted(adapters.upstream.__all__) == sorted(members)


def test_the_surface_is_stated() -> None:
    assert set(adapters.upstream.__all__) == {
        "NO_OBSERVER",
        "BasicCredentials",
        "BearerLogin",
        "BreakerState",
        "CachedRecords",
        "CallContext",
        "CircuitBreaker",
        "Clock",
        "Credentials",
        "Entry",
        "ErrorDetail",
        "GatewayAiohttpTransport",
        "LoadMany",
        "LogIn",
        "Observer",
        "Observers",
        "Policy",
        "ResponseCache",
        "RetryPolicy",
        "Sent",
        "StoredToken",
        "TokenStore",
        "Upstream",
        "call_context",
        "create_transport",
        "current_call",
        "fetch_one",
        "token_name",
        "utc_now",
    }
