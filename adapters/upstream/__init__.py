"""One exchange with a back end, behind one seam.

    Upstream (send.py)          builds the request (base URL, headers, time-outs cut to the
      │                         caller's deadline), authenticates it, maps failures to
      │                         adapters.errors, reads and checks the answer inside the call
      ├── Credentials           headers per request, renewed once after a 401 (credentials.py)
      ├── ResponseCache         record reads kept by the gateway, invalidated by writes (cache.py)
      ├── Policy (policy.py)    circuit breaker, retries by `retryable`, the one bulkhead
      ├── Observer              told of every request: metrics and tracing (observer.py)
      └── httpx transport       explicit, one method: httpx-aiohttp or httpx's own (wire.py)

Each back end's client takes an `Upstream`; only the gateway's app composes them. Nothing
here imports the gateway.
"""

from adapters.upstream.cache import CachedRecords, Entry, LoadMany, ResponseCache, fetch_one
from adapters.upstream.credentials import (
    BasicCredentials,
    BearerLogin,
    Clock,
    Credentials,
    LogIn,
    StoredToken,
    TokenStore,
    token_name,
    utc_now,
)
from adapters.upstream.observer import NO_OBSERVER, Observer, Observers, Sent
from adapters.upstream.policy import BreakerState, CircuitBreaker, Policy, RetryPolicy
from adapters.upstream.send import CallContext, ErrorDetail, Upstream, call_context, current_call
from adapters.upstream.wire import GatewayAiohttpTransport, create_transport

__all__ = [
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
]
