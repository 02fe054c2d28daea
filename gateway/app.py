"""The Starlette application: /graphql, /healthz, /readyz, /metrics, and the lifespan that
composes each back end (transport -> policy -> Upstream -> client -> adapter) into the one
`GatewayState` every request reads.
"""

from __future__ import annotations

import asyncio
import os
import socket
import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import replace
from pathlib import Path

import httpx
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.base import CustomerAdapter
from adapters.errors import UpstreamError
from adapters.locks import HostLocks
from adapters.model import Backend
from adapters.registry import BACKENDS, Registry
from adapters.spec import MissingSetting, Resources
from adapters.upstream import (
    CircuitBreaker,
    Observer,
    Observers,
    Policy,
    RetryPolicy,
    Upstream,
    create_transport,
)
from gateway.auth import (
    JWTBackend,
    TokenVerifier,
    development_secret,
    mint_token,
    refuse_unauthenticated,
)
from gateway.caller_limits import CallerLimits
from gateway.collector import tune_collector
from gateway.config import (
    ConfigError,
    Settings,
    backend_variable,
    handed_development_token,
    handed_metrics_dir,
    load_settings,
    trusted_documents,
)
from gateway.errors import error_body
from gateway.fleet import open_fleet
from gateway.graphiql import graphiql_routes
from gateway.logs import configure_logging, quiet_http_clients
from gateway.metrics import Metrics
from gateway.people import open_identity
from gateway.persisted import PersistedOperations
from gateway.request_limits import BodySizeLimit, RequestLimits
from gateway.schema import GatewaySchema, create_schema
from gateway.state import GatewayState, gateway_state, hang
from gateway.tracing import UpstreamTracing, create_tracer
from gateway.view import GraphQLView


def create_upstream(
    settings: Settings, backend: Backend, base_url: str, observer: Observer
) -> Upstream:
    """One back end's exchange: its transport, under its policy, told to the observer."""
    limits = httpx.Limits(
        max_connections=settings.max_connections,
        max_keepalive_connections=settings.max_connections,
    )
    policy = Policy(
        backend,
        breaker=CircuitBreaker(settings.breaker_failures, settings.breaker_reset_seconds),
        retry=RetryPolicy(attempts=settings.retry_attempts),
        max_concurrency=settings.max_concurrency,
    )
    return Upstream(
        backend,
        create_transport(settings.transport, limits),
        base_url=base_url,
        timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        policy=policy,
        observer=observer,
    )


def write_locks(settings: Settings) -> HostLocks:
    """The host-wide write locks, in GATEWAY_WRITE_LOCK_DIR or this user's temporary one."""
    directory = settings.write_lock_dir or str(
        Path(tempfile.gettempdir()) / f"customer-gateway-{os.getuid()}" / "locks"
    )
    try:
        return HostLocks(Path(directory), settings.write_lock_wait)
    except OSError as error:
        raise ConfigError(f"GATEWAY_WRITE_LOCK_DIR: cannot use {directory}: {error}") from None


def create_adapters(
    settings: Settings,
    upstreams: dict[Backend, Upstream],
    registry: Registry = BACKENDS,
    resources: Resources | None = None,
) -> dict[Backend, CustomerAdapter]:
    """One adapter per back end, its client on the Upstream the lifespan opened."""
    if resources is None:
        resources = Resources(locks=write_locks(settings))
    adapters: dict[Backend, CustomerAdapter] = {}
    for spec in registry:
        try:
            adapters[spec.backend] = spec.adapter(
                settings.backend(spec), upstreams[spec.backend], resources
            )
        except MissingSetting as missing:
            raise ConfigError(f"{backend_variable(spec, missing.field)} is not set") from None
    return adapters


def _base_urls(settings: Settings, registry: Registry) -> dict[Backend, str]:
    urls = {spec.backend: settings.backend(spec).base_url for spec in registry}
    missing = [b.name for b, url in urls.items() if not url]
    if missing:
        raise ConfigError(f"no base URL for {', '.join(missing)}")
    return {b: str(url) for b, url in urls.items()}


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def replica() -> str:
    """The process that answers, as /readyz names it: its host's name and its pid (each
    worker of a `serve --workers N` has its own breakers)."""
    return f"{socket.gethostname()}:{os.getpid()}"


async def readyz(request: Request) -> JSONResponse:
    """Ready when every back end answers an authenticated call (`?require=any`: when one
    does, for a load balancer that should keep a replica serving the back ends still up);
    says this replica's breakers and whether the fleet's Redis answers (`off` without one)."""
    require = request.query_params.get("require", "all")
    if require not in ("all", "any"):
        return JSONResponse(
            error_body("require must be all or any", "BAD_USER_INPUT"), status_code=400
        )
    gateway = gateway_state(request.app)
    adapters = gateway.adapters

    async def check(adapter: CustomerAdapter) -> str:
        try:
            await asyncio.wait_for(adapter.ping(), timeout=5)
        except (UpstreamError, TimeoutError) as error:
            return getattr(error, "code", "UPSTREAM_TIMEOUT")
        return "ok"

    states, redis = await asyncio.gather(
        asyncio.gather(*(check(a) for a in adapters.values())), gateway.fleet.health()
    )
    gateway.metrics.write_breakers()  # the pings may have moved them
    backends = {b.name: state for b, state in zip(adapters, states, strict=True)}
    answering = [state == "ok" for state in states]
    ready = all(answering)
    serving = ready if require == "all" else any(answering)
    return JSONResponse(
        {
            "status": "ready" if ready else "degraded",
            "replica": replica(),
            "backends": backends,
            "breakers": {b.name: breaker.state.value for b, breaker in gateway.breakers.items()},
            # Not part of readiness: without Redis each process carries on alone (fleet.md).
            "redis": redis,
        },
        status_code=200 if serving else 503,
    )


async def metrics_endpoint(request: Request) -> Response:
    metrics = gateway_state(request.app).metrics
    # Several workers: every worker's files are read, off the event loop.
    body = await asyncio.to_thread(metrics.render) if metrics.shared_dir else metrics.render()
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def _caller_keys(settings: Settings) -> tuple[Settings, str | None]:
    """Settings with a key to verify callers, and the development token when one was made.

    Production mode has keys by now (config.py refuses to load otherwise). Development mode
    without keys gets a fresh secret and a token with every scope, printed at start.
    """
    if settings.has_caller_keys:
        return settings, None
    if settings.mode == "production":
        raise ConfigError("production mode needs keys to verify callers' tokens")
    secret = development_secret()
    return replace(settings, jwt_secret=secret), mint_token(secret)


def _middleware(settings: Settings) -> list[Middleware]:
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    middleware = [Middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)]
    if origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=origins,
                allow_methods=["GET", "POST"],
                allow_headers=["authorization", "content-type", "accept", "x-request-id"],
                max_age=600,
            )
        )
    return middleware


def _graphql_route(settings: Settings, schema: GatewaySchema) -> Route:
    """/graphql, its callers authenticated first (/healthz, /readyz and /metrics are open)."""
    limits = RequestLimits(settings)
    view = GraphQLView(
        schema,
        graphql_ide=None if settings.production else "graphiql",
        limits=limits,
        persisted=persisted_operations(settings, schema, limits),
    )
    authentication = Middleware(
        AuthenticationMiddleware,
        backend=JWTBackend(TokenVerifier(settings)),
        on_error=refuse_unauthenticated,
    )
    return Route("/graphql", view, middleware=[authentication])


def persisted_operations(
    settings: Settings, schema: GatewaySchema, limits: RequestLimits
) -> PersistedOperations:
    """APQ and trusted documents as the settings say (the manifest was checked at load)."""
    manifest = settings.trusted_documents
    return PersistedOperations(
        schema._schema,
        limits,
        max_tokens=settings.max_tokens,
        apq=settings.apq == "on",
        trusted=trusted_documents(manifest) if manifest is not None else None,
        require_id=settings.trusted_documents_require_id == "on",
        # GraphiQL's introspection passes the trusted list where the schema answers it.
        introspection=not settings.production,
    )


def create_app(
    settings: Settings,
    *,
    development_token: str | None = None,
    registry: Registry = BACKENDS,
    metrics: Metrics | None = None,
) -> Starlette:
    """The gateway for these settings over the back ends of `registry`; every back end needs
    a base URL by now. Its own `metrics` unless given (a worker's among several)."""
    base_urls = _base_urls(settings, registry)
    quiet_http_clients()
    settings, minted = _caller_keys(settings)
    development_token = development_token or minted
    tracer = create_tracer(settings.tracing)
    metrics = Metrics() if metrics is None else metrics

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        observer: Observer = (
            metrics if tracer is None else Observers(metrics, UpstreamTracing(tracer))
        )
        upstreams: dict[Backend, Upstream] = {}
        breakers: dict[Backend, CircuitBreaker] = {}
        async with AsyncExitStack() as stack:
            stack.callback(metrics.close)
            fleet = open_fleet(settings, write_locks(settings))
            stack.push_async_callback(fleet.aclose)
            for backend, url in base_urls.items():
                upstreams[backend] = upstream = create_upstream(settings, backend, url, observer)
                stack.push_async_callback(upstream.aclose)
                if upstream.policy.breaker is not None:
                    breakers[backend] = upstream.policy.breaker
            state = GatewayState(
                settings=settings,
                adapters=create_adapters(
                    settings,
                    upstreams,
                    registry,
                    Resources(locks=fleet.locks, tokens=fleet.tokens, caches=fleet.caches),
                ),
                breakers=breakers,
                metrics=metrics,
                verify_failures=fleet.verify_failures,
                fleet=fleet,
                caller_limits=CallerLimits(
                    fleet.counter,
                    per_caller=settings.rate_limit,
                    per_operation=settings.rate_limit_per_operation,
                    window_seconds=settings.rate_limit_window_seconds,
                ),
                development_token=development_token if settings.mode == "development" else None,
                identity=open_identity(settings, fleet.shared),
            )
            hang(app, state)
            yield

    schema = create_schema(settings, tracer=tracer, metrics=metrics)
    return Starlette(
        routes=[
            _graphql_route(settings, schema),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint),
            *([] if settings.production else graphiql_routes()),
        ],
        lifespan=lifespan,
        middleware=_middleware(settings),
    )


def create_app_from_environment() -> Starlette:
    """The factory uvicorn's workers call (`serve --workers N`)."""
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_lines)
    app = create_app(
        settings,
        development_token=handed_development_token(),
        metrics=Metrics(handed_metrics_dir()),
    )
    tune_collector(settings.gc_threshold)
    return app
