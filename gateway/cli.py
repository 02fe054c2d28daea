"""`customer-gateway serve | sandbox | schema`.

Only the development path imports the sandboxes: `serve` when a back end has no URL, and the
`sandbox` command. Importing this module (as production does) loads none of their code, and
where they are not installed (deploy/Dockerfile's production image) that path ends in one line.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from importlib import metadata
from typing import TYPE_CHECKING

import uvicorn

from adapters.model import Backend
from adapters.registry import BACKENDS, Registry
from gateway.auth import development_secret, mint_token
from gateway.config import (
    ConfigError,
    Settings,
    backend_variable,
    hand_to_workers,
    load_settings,
    validate_entity_cache,
)
from gateway.logs import configure_logging
from gateway.metrics_files import workers_metrics_dir

if TYPE_CHECKING:
    from sandboxes.common.server import BackgroundServer


# An image built without WITH_SANDBOXES=1 (deploy/Dockerfile) holds no `sandboxes` package.
_SANDBOXES_MISSING = (
    "the embedded sandboxes are not installed (an image built without WITH_SANDBOXES=1 has none)"
)


@contextmanager
def _sandboxes_installed(remedy: str) -> Iterator[None]:
    """Imports of the sandboxes under it: their absence is a ConfigError of one line, saying
    so and what to do (`remedy`), not an ImportError's traceback."""
    try:
        yield
    except ModuleNotFoundError as error:
        if error.name != "sandboxes":  # a module missing inside them: a bug, shown whole
            raise
        raise ConfigError(f"{_SANDBOXES_MISSING}: {remedy}") from None


def sandbox_credentials() -> Mapping[Backend, Mapping[str, str]]:
    """The development credentials the embedded sandboxes accept, by back end and by the
    field of its settings each fills."""
    with _sandboxes_installed("they hold the development credentials"):
        from sandboxes.common import credentials

    return credentials.BY_BACKEND


def sandbox_variables(
    url: str, settings: Settings, registry: Registry = BACKENDS
) -> dict[str, str]:
    """The variables that point each back end without a URL at the sandboxes served at `url`,
    with the credentials those accept wherever `settings` hold none of their own."""
    given = sandbox_credentials()
    variables: dict[str, str] = {}
    for spec in registry:
        backend = settings.backend(spec)
        if backend.base_url:
            continue
        variables[backend_variable(spec, "base_url")] = f"{url}/{spec.backend.value}"
        for name, value in given.get(spec.backend, {}).items():
            if getattr(backend, name) is None:
                variables[backend_variable(spec, name)] = value
    return variables


def _with_options(settings: Settings, args: argparse.Namespace) -> Settings:
    """The settings with the command line's --host, --port and --workers, checked as theirs."""
    if args.host is not None and not args.host.strip():
        raise ConfigError("--host must not be empty")
    if args.port is not None and not 1 <= args.port <= 65535:
        raise ConfigError("--port must be between 1 and 65535")
    if args.workers is not None and args.workers < 1:
        raise ConfigError("--workers must be at least 1")
    chosen = replace(
        settings,
        host=args.host or settings.host,
        port=settings.port if args.port is None else args.port,
        workers=settings.workers if args.workers is None else args.workers,
    )
    validate_entity_cache(chosen)
    return chosen


def check_port_free(host: str, port: int) -> None:
    """A ConfigError when the address is taken, before a token or sandbox is made for it."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise ConfigError(f"cannot listen on {host}:{port}: {reason}") from None


def address_line(settings: Settings) -> str:
    """Where to point a browser (development) or a client (production: GraphiQL is off)."""
    url = f"http://{settings.host}:{settings.port}/graphql"
    if settings.production:
        return f"GraphQL endpoint (POST; GraphiQL is off in production): {url}"
    return f"GraphiQL: {url}"


def announce(settings: Settings, message: str) -> None:
    """A line for whoever started `serve`, in the format of every other line: printed text,
    or a JSON log line (GATEWAY_LOG_FORMAT, JSON in production)."""
    if settings.log_lines == "json":
        logging.getLogger("gateway.cli").info(message)
    else:
        print(message, flush=True)


def serve(args: argparse.Namespace) -> int:
    # Every setting is checked before anything starts: a wrong one exits 2 with one line.
    settings = _with_options(load_settings(), args)
    check_port_free(settings.host, settings.port)
    with ExitStack() as stack:
        # Several workers write their metrics to one directory: a scrape counts them all.
        metrics_dir = None
        if settings.workers > 1:
            metrics_dir = stack.enter_context(workers_metrics_dir(settings.metrics_dir))
        sandbox: BackgroundServer | None = None
        variables: dict[str, str] = {}
        if settings.needs_sandbox:
            if settings.mode == "production":
                raise ConfigError("production mode needs every back end's base URL")
            without = ", ".join(_without_url(settings))
            with _sandboxes_installed(f"set {without} and those back ends' credentials"):
                from sandboxes.common.app import create_sandbox_app
                from sandboxes.common.config import SandboxConfig
                from sandboxes.common.server import BackgroundServer

            config = SandboxConfig(customers=settings.sandbox_customers, seed=settings.sandbox_seed)
            sandbox = BackgroundServer(create_sandbox_app(config)).start()
            stack.callback(sandbox.stop)
            variables = sandbox_variables(sandbox.url, settings)
        # After the sandbox's uvicorn has set up its loggers: its lines in the one format too.
        configure_logging(settings.log_level, settings.log_lines)
        if sandbox is not None:
            announce(settings, f"Sandboxes (Club Med, CareCloud, Relay) serving on {sandbox.url}")
        _run(settings, variables, metrics_dir)
    return 0


def _run(settings: Settings, variables: dict[str, str], metrics_dir: str | None) -> None:
    """The development token when callers' keys are missing, then uvicorn until it stops."""
    secret = token = None
    if not settings.has_caller_keys and settings.mode == "development":
        secret = development_secret()
        token = mint_token(secret)
        announce(
            settings,
            "Development token (every scope, 12 h; GraphiQL asks the gateway for it):\n"
            f"  Authorization: Bearer {token}",
        )
    # For the workers (and this process), which read their settings from the environment.
    hand_to_workers(variables, jwt_secret=secret, development_token=token, metrics_dir=metrics_dir)
    announce(settings, address_line(settings))
    uvicorn.run(
        "gateway.app:create_app_from_environment",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        log_config=None,  # configure_logging's JSON lines, in this process and each worker
        access_log=False,
    )


def _without_url(settings: Settings, registry: Registry = BACKENDS) -> list[str]:
    """The base URL variables of the back ends the embedded sandboxes would stand in for."""
    return [
        backend_variable(spec, "base_url")
        for spec in registry
        if not settings.backend(spec).base_url
    ]


def parse_backends(names: str) -> tuple[Backend, ...]:
    """`--backends`'s comma-separated names, in `Backend` order; a ConfigError for a wrong one."""
    given = {name.strip() for name in names.split(",")} - {""}
    known = ", ".join(backend.value for backend in Backend)
    unknown = sorted(given - {backend.value for backend in Backend})
    if unknown:
        raise ConfigError(f"--backends: unknown back end {', '.join(unknown)} (known: {known})")
    if not given:
        raise ConfigError(f"--backends: name at least one back end of {known}")
    return tuple(backend for backend in Backend if backend.value in given)


def sandbox(args: argparse.Namespace) -> int:
    backends = parse_backends(args.backends)
    with _sandboxes_installed("build the image with WITH_SANDBOXES=1 to serve them"):
        from sandboxes.common.app import create_sandbox_app
        from sandboxes.common.config import SandboxConfig

    config = SandboxConfig(customers=args.customers, seed=args.seed)
    paths = " ".join(f"/{backend.value}" for backend in backends)
    print(f"Sandboxes on http://{args.host}:{args.port}: {paths}", flush=True)
    app = create_sandbox_app(config, backends)
    uvicorn.run(app, host=args.host, port=args.port, access_log=False)
    return 0


def schema(args: argparse.Namespace) -> int:
    from gateway.schema import print_schema

    sys.stdout.write(print_schema())
    return 0


def version() -> str:
    """The installed distribution's version (pyproject.toml's)."""
    try:
        return metadata.version("customer-gateway")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="customer-gateway", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve the GraphQL gateway")
    run.add_argument("--host", help="default GATEWAY_HOST or 127.0.0.1")
    run.add_argument("--port", type=int, help="default GATEWAY_PORT or 8000")
    run.add_argument("--workers", type=int, help="default GATEWAY_WORKERS or 1")
    run.set_defaults(handler=serve)
    box = commands.add_parser(
        "sandbox",
        help="serve the back-end sandboxes alone (all three, or --backends)",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    box.add_argument("--host", default="127.0.0.1", help="address to listen on")
    box.add_argument("--port", type=int, default=8100, help="port to listen on")
    box.add_argument("--customers", type=int, default=1000, help="generated per back end")
    box.add_argument("--seed", type=int, default=42, help="the same seed makes the same people")
    box.add_argument(
        "--backends",
        default=",".join(backend.value for backend in Backend),
        help="the back ends to serve, comma-separated, each under /<name>",
    )
    box.set_defaults(handler=sandbox)
    sdl = commands.add_parser("schema", help="print the GraphQL schema (SDL)")
    sdl.set_defaults(handler=schema)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except ConfigError as error:
        print(f"customer-gateway: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
