"""What the three simulators share: generated people, the app that mounts them all, the
`SandboxApp` around each one (error handling, counters, faults, /openapi.json), bearer
tokens and the credential middleware, the slot index, request parameters, and a server for
tests and benchmarks.

Three modules are used as namespaces rather than re-exported: `credentials` (the sandbox
credentials), `parameters` (each back end's own parameter readers wrap its functions) and
`openapi` (the building blocks of each back end's OpenAPI document).
"""

from sandboxes.common.app import create_backend_sandbox, create_sandbox_app
from sandboxes.common.auth import BearerTokens, RequireCredentials
from sandboxes.common.config import SandboxConfig
from sandboxes.common.dates import parse_iso_date
from sandboxes.common.errors import SandboxError
from sandboxes.common.faults import FaultSettings
from sandboxes.common.index import SlotIndex
from sandboxes.common.instrument import SandboxApp
from sandboxes.common.people import FEMALE_FIRST_NAMES, Person, people_for, person, slice_range
from sandboxes.common.server import BackgroundServer

__all__ = [
    "FEMALE_FIRST_NAMES",
    "BackgroundServer",
    "BearerTokens",
    "FaultSettings",
    "Person",
    "RequireCredentials",
    "SandboxApp",
    "SandboxConfig",
    "SandboxError",
    "SlotIndex",
    "create_backend_sandbox",
    "create_sandbox_app",
    "parse_iso_date",
    "people_for",
    "person",
    "slice_range",
]
