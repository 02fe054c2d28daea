"""One exchange with a back end: build the request, send it, read it, map its failures once.

Every back end's client sends through an `Upstream`, so time-outs, refused connections,
unexpected statuses and unreadable bodies become the same `adapters.errors` everywhere,
named after the back end and the operation, never carrying a body or a personal value.

An `Upstream` owns what a client would: an explicit `httpx.AsyncBaseTransport` (the seam
httpx gives, and tests plug into), the base URL, default headers and time-outs; plus its
back end's `Policy` (breaker, retries, bulkhead), its `Credentials` and an `Observer`. It
builds each `httpx.Request` itself and hands it to the transport: not `AsyncClient.send`,
whose layers cost a third of the worker's CPU on a 50-call fan-out (py-spy, BENCHMARKS.md),
most of it URL merging and cookie extraction, and whose cookie jar would be shared by every
caller of a back end. Redirects are not followed.

A call's outcome is settled once its answer has been read: `send_json` and `exchange` run
the client's check of the body inside the call, so an answer whose body cannot be read (not
JSON, or `malformed()` raised by the check) fails the call for the breaker, is counted by
the observer, and is not retried.

The caller's language and deadline travel in `CallContext`, a context variable the gateway
sets per request; adapters read it and never import the gateway.
"""

from __future__ import annotations

import copy
import re
import time
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Final, TypedDict, TypeVar, Unpack, overload

import httpx
import orjson

from adapters.errors import (
    UpstreamError,
    UpstreamMalformed,
    UpstreamTimeout,
    UpstreamUnauthenticated,
    UpstreamUnavailable,
    error_for_status,
)
from adapters.model import Backend
from adapters.upstream.credentials import Credentials
from adapters.upstream.observer import NO_OBSERVER, Observer
from adapters.upstream.policy import IDEMPOTENT, Policy

__all__ = ["CallContext", "ErrorDetail", "Upstream", "call_context", "current_call"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CallContext:
    """What the gateway's caller asks of every upstream call it causes."""

    accept_language: str = "en-US"
    # time.monotonic() by which the whole GraphQL request must be done; None = no deadline.
    deadline: float | None = None
    # Upstream requests sent on behalf of this call, per back end (for the access log).
    calls: Counter[str] = field(default_factory=Counter, compare=False)
    # Entity cache reads (issue 17) answered without an upstream call of this request, and
    # those fetched upstream, per "<BACKEND>.<entry kind>" (the response's extensions.cache).
    cache_hits: Counter[str] = field(default_factory=Counter, compare=False)
    cache_misses: Counter[str] = field(default_factory=Counter, compare=False)

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()


# The default serves calls made outside any GraphQL request (tests, /readyz); its `calls`
# counter is shared by all of them and read by nobody.
current_call: ContextVar[CallContext] = ContextVar("current_call", default=CallContext())  # noqa: B039


def call_context() -> CallContext:
    """The context of the GraphQL request being served (or the default outside one)."""
    return current_call.get()


# Reads (field name, reason) out of an error response, for back ends that say which field.
ErrorDetail = Callable[[httpx.Response], tuple[str | None, str | None]]

# A field path ("customer.addresses[0].city") or a machine code ("already_exists").
_NAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9_.\[\]-]{0,80}")

# What an httpx client sends unless told otherwise (lower-case names, as `_request` merges).
DEFAULT_HEADERS: Final = {
    "accept": "*/*",
    "accept-encoding": "gzip, deflate",
    "connection": "keep-alive",
    "user-agent": f"python-httpx/{httpx.__version__}",
}
DEFAULT_TIMEOUT: Final = httpx.Timeout(5.0)


def _no_detail(response: httpx.Response) -> tuple[str | None, str | None]:
    return None, None


def _as_is(value: T) -> T:
    return value


class RequestOptions(TypedDict, total=False):
    """What `send_json` passes on to `exchange` as it is (see `send` for each)."""

    expect: Collection[int]
    params: Mapping[str, Any] | None
    json: object
    form: Mapping[str, str] | None
    headers: Mapping[str, str] | None


class Upstream:
    """Sends one back end's requests over its transport, under its policy."""

    def __init__(
        self,
        backend: Backend,
        transport: httpx.AsyncBaseTransport,
        *,
        base_url: str,
        headers: Mapping[str, str] | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        policy: Policy | None = None,
        observer: Observer = NO_OBSERVER,
        credentials: Credentials | None = None,
        error_detail: ErrorDetail = _no_detail,
    ) -> None:
        self.backend = backend
        self.transport = transport
        self.base_url = base_url.rstrip("/")
        self.headers = {**DEFAULT_HEADERS, **{k.lower(): v for k, v in (headers or {}).items()}}
        self.timeout = timeout
        self.policy = policy if policy is not None else Policy(backend)
        self.observer = observer
        self.credentials = credentials
        self.error_detail = error_detail
        breaker = self.policy.breaker
        if breaker is not None:
            observer.watch_breaker(backend, lambda: breaker.state.value)

    def copy_with(
        self, *, credentials: Credentials | None, error_detail: ErrorDetail | None = None
    ) -> Upstream:
        """This upstream (its transport, policy and observer) with other credentials (None:
        none) and, when given, another reading of error bodies: a client states its own."""
        copied = copy.copy(self)
        copied.credentials = credentials
        if error_detail is not None:
            copied.error_detail = error_detail
        return copied

    async def aclose(self) -> None:
        """Close the transport (shared by every copy)."""
        await self.transport.aclose()

    async def send(
        self,
        method: str,
        url: str,
        *,
        operation: str,
        expect: Collection[int] = (200,),
        params: Mapping[str, Any] | None = None,
        json: object = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send and return the response, its body read; any status outside `expect` raises.

        For answers whose body the client does not read (a 204, say): the call is settled
        by its status. The body is `json`, or `form` (url-encoded, e.g. an OAuth2 token
        request).
        """
        return await self.exchange(
            method,
            url,
            operation=operation,
            read=_as_is,
            expect=expect,
            params=params,
            json=json,
            form=form,
            headers=headers,
        )

    @overload
    async def send_json(
        self,
        method: str,
        url: str,
        *,
        operation: str,
        check: Callable[[object], T],
        **options: Unpack[RequestOptions],
    ) -> T: ...

    @overload
    async def send_json(
        self, method: str, url: str, *, operation: str, **options: Unpack[RequestOptions]
    ) -> object: ...

    async def send_json(
        self,
        method: str,
        url: str,
        *,
        operation: str,
        check: Callable[[object], object] = _as_is,
        **options: Unpack[RequestOptions],
    ) -> object:
        """Send, decode the JSON body and return what `check` makes of it, inside the call.

        A body that is not JSON, or that `check` finds `malformed`, fails the call.
        """
        read = partial(self._checked, check=check, operation=operation)
        return await self.exchange(method, url, operation=operation, read=read, **options)

    def _checked(
        self, response: httpx.Response, *, check: Callable[[object], T], operation: str
    ) -> T:
        return check(self.decode(response, operation))

    async def exchange(
        self,
        method: str,
        url: str,
        *,
        operation: str,
        read: Callable[[httpx.Response], T],
        expect: Collection[int] = (200,),
        params: Mapping[str, Any] | None = None,
        json: object = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> T:
        """Send and return what `read` makes of the answer (its status in `expect`).

        `read` runs inside the call: an `UpstreamMalformed` it raises (`decode`,
        `malformed`) fails the call. After a 401, the credentials are renewed once and the
        request is sent again.
        """
        call = call_context()
        credentials = self.credentials
        sent = await credentials.headers() if credentials is not None else None
        request = self._request(method, url, params, json, form, headers, sent, operation, call)
        try:
            return await self._call(request, operation, expect, read, call)
        except UpstreamUnauthenticated as refused:
            if refused.status != 401 or credentials is None or sent is None:
                raise
            renewed = await credentials.renewed(sent)
            if renewed is None:
                raise
        request.headers.update(renewed)
        return await self._call(request, operation, expect, read, call)

    def _request(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        json: object,
        form: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        credentials: Mapping[str, str] | None,
        operation: str,
        call: CallContext,
    ) -> httpx.Request:
        """The request as a client would build it: its base URL, headers and time-outs."""
        if not url.startswith(("http://", "https://")):
            url = f"{self.base_url}/{url.lstrip('/')}"
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{httpx.QueryParams(params)}"
        all_headers = self.headers.copy()
        if headers:
            all_headers.update((name.lower(), value) for name, value in headers.items())
        if credentials:
            all_headers.update(credentials)
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
            extensions={"timeout": self._timeout(call).as_dict(), "operation": operation},
        )

    async def _call(
        self,
        request: httpx.Request,
        operation: str,
        expect: Collection[int],
        read: Callable[[httpx.Response], T],
        call: CallContext,
    ) -> T:
        attempt = partial(self._attempt, request, operation, expect, read, call)
        return await self.policy.call(
            attempt,
            operation=operation,
            idempotent=request.method in IDEMPOTENT,
            deadline=call.deadline,
        )

    async def _attempt(
        self,
        request: httpx.Request,
        operation: str,
        expect: Collection[int],
        read: Callable[[httpx.Response], T],
        call: CallContext,
    ) -> T:
        """One round trip, its status checked and its answer read: an error if it failed."""
        response = await self._round_trip(request, operation, call)
        if response.status_code not in expect:
            field, reason = self._detail(response)
            raise error_for_status(
                self.backend, response.status_code, operation=operation, field=field, reason=reason
            )
        try:
            return read(response)
        except UpstreamMalformed:
            self.observer.unreadable(self.backend, operation)
            raise

    async def _round_trip(
        self, request: httpx.Request, operation: str, call: CallContext
    ) -> httpx.Response:
        """The request through the transport within the bulkhead, its body read."""
        call.calls[self.backend.value] += 1
        sent = self.observer.sending(self.backend, operation, request)
        try:
            async with self.policy.bulkhead:
                response = await self.transport.handle_async_request(request)
                try:
                    response.request = request
                    await response.aread()
                finally:
                    await response.aclose()
        except httpx.TransportError as error:
            sent.failed(error)
            raise self._unanswered(error, operation) from error
        except BaseException as error:  # cancelled, say: the observer still hears the end
            sent.failed(error)
            raise
        sent.answered(response.status_code)
        return response

    def _unanswered(self, error: httpx.TransportError, operation: str) -> UpstreamError:
        """The error for a request that got no answer."""
        if isinstance(error, httpx.TimeoutException):
            # A connect or pool time-out sent nothing; a read or write time-out may have.
            sent = not isinstance(error, httpx.ConnectTimeout | httpx.PoolTimeout)
            return UpstreamTimeout(self.backend, f"{operation} timed out", answer_lost=sent)
        if isinstance(error, httpx.ConnectError):
            return UpstreamUnavailable(self.backend, f"{operation}: cannot connect")
        # The connection broke after the request went out (e.g. dropped mid-body): asking
        # again may work when it was the server hanging up or the body breaking off.
        return UpstreamError(
            self.backend,
            f"{operation}: the connection broke",
            answer_lost=True,
            retryable=isinstance(error, httpx.RemoteProtocolError | httpx.ReadError),
        )

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

    def decode(self, response: httpx.Response, operation: str) -> object:
        """The JSON body; one that is not JSON is UpstreamMalformed (inside a call's `read`:
        a failure of that call)."""
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise UpstreamMalformed(self.backend, f"{operation}: the body is not JSON") from exc

    def malformed(self, operation: str, what: str) -> UpstreamMalformed:
        """The error for a JSON body whose shape is not what the back end documents.

        Raised by a client's check inside `send_json` or `exchange`, it fails that call.
        """
        return UpstreamMalformed(self.backend, f"{operation}: unexpected {what}")

    def _timeout(self, call: CallContext) -> httpx.Timeout:
        """The time-outs, shortened to what is left of the caller's deadline."""
        default = self.timeout
        remaining = call.remaining()
        if remaining is None:
            return default
        budget = max(remaining, 0.001)
        return httpx.Timeout(
            connect=min(default.connect or budget, budget),
            read=min(default.read or budget, budget),
            write=min(default.write or budget, budget),
            pool=min(default.pool or budget, budget),
        )
