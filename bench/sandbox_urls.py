"""Where a benchmark finds each back end's sandbox: the root URL of the process serving it
(its routes under /<backend>), one process for all three or one each (issue 19).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

from adapters.model import Backend
from adapters.registry import BACKENDS
from gateway.cli import sandbox_variables
from gateway.config import Settings

SandboxUrls = Mapping[Backend, str]  # each back end's sandbox process: its root URL
SandboxPorts = Mapping[int, tuple[Backend, ...]]  # each sandbox process's port: its back ends
Layout = Literal["one", "per-backend"]
LAYOUTS: tuple[Layout, ...] = get_args(Layout)


def one_process(url: str) -> dict[Backend, str]:
    """Every back end on the one sandbox process at `url`."""
    return dict.fromkeys(Backend, url)


def sandbox_ports(layout: Layout, port: int) -> dict[int, tuple[Backend, ...]]:
    """The back ends each sandbox process serves, by its port: all three on `port`, or one
    each on `port`, `port` + 1 and `port` + 2 in `Backend` order."""
    if layout == "one":
        return {port: tuple(Backend)}
    return {port + offset: (backend,) for offset, backend in enumerate(Backend)}


def sandbox_urls(ports: SandboxPorts) -> dict[Backend, str]:
    """Each back end's sandbox URL on 127.0.0.1, from `sandbox_ports`."""
    return {b: f"http://127.0.0.1:{port}" for port, backends in ports.items() for b in backends}


def gateway_variables(sandboxes: SandboxUrls, settings: Settings) -> dict[str, str]:
    """`sandbox_variables` of each back end, pointed at the process that serves it."""
    variables: dict[str, str] = {}
    for spec in BACKENDS:
        variables.update(sandbox_variables(sandboxes[spec.backend], settings, (spec,)))
    return variables


def as_argument(sandboxes: SandboxUrls) -> str:
    """The URLs as one command-line value, `clubmed=URL,carecloud=URL,relay=URL`."""
    return ",".join(f"{backend.value}={url}" for backend, url in sandboxes.items())


def from_argument(value: str) -> dict[Backend, str]:
    """`as_argument`'s value back, or a plain URL: every back end on that one process."""
    if "=" not in value:
        return one_process(value)
    pairs = (pair.split("=", 1) for pair in value.split(","))
    return {Backend(name.strip()): url.strip() for name, url in pairs}
