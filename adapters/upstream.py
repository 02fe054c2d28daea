"""One HTTP exchange with a back end: send it, decode it, map its failures once.

Every back end's client sends through an `Upstream`, so time-outs, refused connections,
unexpected statuses and unreadable bodies become the same `adapters.errors` everywhere,
named after the back end and the operation, never carrying a body or a personal value.

The caller's language and deadline travel in `CallContext`, a context variable the gateway
sets per request; adapters read it and never import the gateway.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Final

import httpx
import orjson

from adapters.errors import (
    UpstreamError,
    UpstreamMalformed,
    UpstreamTimeout,
    UpstreamUnavailable,
    error_for_status,
)
from adapters.model import Backend


@dataclass(frozen=True, slots=True)
class CallContext:
    """What the gateway's caller asks of every upstream call it causes."""

    accept_language: str = "en-US"
    # time.monotonic() by which the whole GraphQL request must be done; None = no deadline.
    deadline: float | None = None
    # Upstream requests sent on behalf of this call, per back end (for the access log).
    calls: Counter[str] = field(default_factory=Counter, compare=False)

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()


# The default serves calls made outside any GraphQL request (tests, /readyz); its `calls`
# counter is shared by all of them and read by nobody.
current_call: ContextVar[CallContext] = ContextVar("current_call", default=CallContext())  # noqa: B039


def call_context() -> CallContext:
    """The context of the GraphQL request being served (or the default outside one)."""
    return current_call.get()


# A transport may attach a callable under this key of a response's extensions: called once
# if the adapter cannot read that answer, so the breaker and metrics count it as a failure.
UNREADABLE: Final = "gateway.unreadable"

# The last answer `Upstream.send` returned in this task: what `malformed()` speaks of.
_last_answer: ContextVar[httpx.Response | None] = ContextVar("last_answer", default=None)


def _report_unreadable(response: httpx.Response | None) -> None:
    if response is not None and callable(report := response.extensions.pop(UNREADABLE, None)):
        report()


# Reads (field name, reason) out of an error response, for back ends that say which field.
ErrorDetail = Callable[[httpx.Response], tuple[str | None, str | None]]


# A field path ("customer.addresses[0].city") or a machine code ("already_exists").
_NAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.\[\]-]{0,80}")


def _no_detail(response: httpx.Response) -> tuple[str | None, str | None]:
    return None, None


class Upstream:
    """Sends one back end's requests through its long-lived `httpx.AsyncClient`."""

    def __init__(
        self,
        backend: Backend,
        http: httpx.AsyncClient,
        *,
        auth: httpx.Auth | None = None,
        error_detail: ErrorDetail = _no_detail,
    ) -> None:
        self.backend = backend
        self.http = http
        self.auth = auth
        self.error_detail = error_detail
        # The client's own transport (httpx has no public accessor): see `_exchange`.
        self._transport: httpx.AsyncBaseTransport = http._transport

    async def send(
        self,
        method: str,
        url: str,
        *,
        operation: str,
        expect: Collection[int] = (200,),
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | None = None,
    ) -> httpx.Response:
        """Send and return the response; any status outside `expect` raises.

        The body is `json`, or `form` (url-encoded, e.g. an OAuth2 token request); `auth`
        replaces this upstream's own for the one call.
        """
        request = self._request(method, url, params, json, form, headers, operation)
        try:
            response = await self._exchange(request, auth)
        except httpx.TimeoutException as exc:
            # A connect or pool time-out sent nothing; a read or write time-out may have.
            sent = not isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
            raise UpstreamTimeout(self.backend, f"{operation} timed out", answer_lost=sent) from exc
        except (httpx.ConnectError, httpx.PoolTimeout) as exc:
            raise UpstreamUnavailable(self.backend, f"{operation}: cannot connect") from exc
        except httpx.TransportError as exc:
            # The connection broke after the request went out (e.g. dropped mid-body).
            raise UpstreamError(
                self.backend, f"{operation}: the connection broke", answer_lost=True
            ) from exc
        if response.status_code not in expect:
            field, reason = self._detail(response)
            raise error_for_status(
                self.backend, response.status_code, operation=operation, field=field, reason=reason
            )
        _last_answer.set(response)
        return response

    def _request(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        json: Any,
        form: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        operation: str,
    ) -> httpx.Request:
        """The request as the client would build it: its base URL, headers and time-outs."""
        http = self.http
        if not url.startswith(("http://", "https://")):
            url = f"{str(http.base_url).rstrip('/')}/{url.lstrip('/')}"
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{httpx.QueryParams(params)}"
        all_headers = dict(http.headers.multi_items())  # lower-case names
        if headers:
            all_headers.update((name.lower(), value) for name, value in headers.items())
        content = None
        if json is not None:
            content = orjson.dumps(json)
            all_headers["content-type"] = "application/json"
        elif form is not None:
            content = str(httpx.QueryParams(form)).encode()  # httpx's own form encoding
            all_headers["content-type"] = "application/x-www-form-urlencoded"
        return httpx.Request(
            method,
            url,
            content=content,
            headers=all_headers,
            # Names the call for metrics and traces: never the raw path, which holds ids.
            extensions={"timeout": self._timeout().as_dict(), "operation": operation},
        )

    async def _exchange(
        self, request: httpx.Request, auth: httpx.Auth | None = None
    ) -> httpx.Response:
        """Send through the client's transport, driving the auth flow as httpx's client does.

        Not `AsyncClient.send`: on a 50-call fan-out (py-spy, BENCHMARKS.md) its layers cost
        a third of the worker's CPU, most of it URL merging and cookie extraction, and a back
        end's cookies must not be kept anyway (one jar would be shared by every caller).
        Redirects are not followed, as with the client's default; event hooks still run.
        """
        auth = auth or self.auth or self.http.auth
        if auth is None:
            return await self._round_trip(request)
        flow = auth.async_auth_flow(request)
        try:
            request = await flow.__anext__()
            while True:
                response = await self._round_trip(request)
                try:
                    request = await flow.asend(response)
                except StopAsyncIteration:
                    return response
        finally:
            await flow.aclose()

    async def _round_trip(self, request: httpx.Request) -> httpx.Response:
        """One request through the transport, its body read, as `AsyncClient.send` does."""
        hooks = self.http.event_hooks
        for hook in hooks["request"]:
            await hook(request)
        response = await self._transport.handle_async_request(request)
        try:
            response.request = request
            for hook in hooks["response"]:
                await hook(response)
            await response.aread()
        finally:
            await response.aclose()
        return response

    def _detail(self, response: httpx.Response) -> tuple[str | None, str | None]:
        """(field, reason) of a 4xx body, each only when it looks like a name, never prose.

        A 5xx body is the back end's own trouble: nothing of it reaches a caller.
        """
        if not 400 <= response.status_code < 500:
            return None, None
        field, reason = self.error_detail(response)
        if reason is not None and _NAME.fullmatch(reason):
            # One spelling whatever the back end, upper snake case: CareCloud's
            # `already_exists` and Club Med's `ALREADY_EXISTS` are both ALREADY_EXISTS.
            words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", reason)
            reason = re.sub(r"[^A-Za-z0-9]+", "_", words).strip("_").upper() or None
        else:
            reason = None
        return (field if field is not None and _NAME.fullmatch(field) else None, reason)

    async def send_json(self, method: str, url: str, *, operation: str, **kwargs: Any) -> Any:
        """Send, then decode the JSON body; a body that is not JSON is UpstreamMalformed."""
        response = await self.send(method, url, operation=operation, **kwargs)
        return self.decode(response, operation)

    def decode(self, response: httpx.Response, operation: str) -> Any:
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            _report_unreadable(response)
            raise UpstreamMalformed(self.backend, f"{operation}: the body is not JSON") from exc

    def malformed(self, operation: str, what: str) -> UpstreamMalformed:
        """The error for a JSON body whose shape is not what the back end documents.

        The answer is the last one sent in this task (clients check a body's shape right
        after `send_json`): it is reported unreadable, a failure for the breaker.
        """
        _report_unreadable(_last_answer.get())
        return UpstreamMalformed(self.backend, f"{operation}: unexpected {what}")

    def _timeout(self) -> httpx.Timeout:
        """The client's time-outs, shortened to what is left of the caller's deadline."""
        default = self.http.timeout
        remaining = call_context().remaining()
        if remaining is None:
            return default
        budget = max(remaining, 0.001)
        return httpx.Timeout(
            connect=min(default.connect or budget, budget),
            read=min(default.read or budget, budget),
            write=min(default.write or budget, budget),
            pool=min(default.pool or budget, budget),
        )
