"""Faithful simulators of the Club Med, CareCloud and Relay APIs, for tests, benchmarks and
development: not part of the product.

`common/` holds what the simulators share; `clubmed/`, `carecloud/` and `relay/` hold one
back end each, with the same module names where the concept exists: `app` (the app factory
and its routes), `auth`, `errors` (the vendor's error body), `parameters`, `store`,
`records`, `seed`, `validation`, `openapi`, and one module per resource.

The folder rule (tests/test_imports.py): nothing here imports `adapters` but
`adapters.model` (for `Backend`), nor `gateway`; only the CLI's development path
(gateway/cli.py) imports the sandboxes.

What the simulators' users need (the CLI's development path, tests, benchmarks) is
re-exported here: the app of all three and of one back end, its configuration, a server, the
fault knobs, the generated people each back end holds, and `credentials` (the sandbox
credentials, a module of constants). The simulators themselves share `sandboxes.common`.
"""

from sandboxes.common import (
    BackgroundServer,
    FaultSettings,
    Person,
    SandboxApp,
    SandboxConfig,
    create_backend_sandbox,
    create_sandbox_app,
    credentials,
    people_for,
    person,
    slice_range,
)

__all__ = [
    "BackgroundServer",
    "FaultSettings",
    "Person",
    "SandboxApp",
    "SandboxConfig",
    "create_backend_sandbox",
    "create_sandbox_app",
    "credentials",
    "people_for",
    "person",
    "slice_range",
]
