"""The environment variables the gateway reads: what the deployment files may set.

Built from the gateway's own tables (gateway/config.py's ENVIRONMENT, each back end's
`<PREFIX>_<FIELD>` from its spec in adapters/registry.py, the `_FILE` form of each secret),
so a misspelt variable in a manifest, which the gateway would silently ignore, fails a test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from adapters.registry import BACKENDS
from gateway.config import ENVIRONMENT, backend_variables, secret_variables

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"

# Variables holding a secret: a deployment gives each as a file (`<NAME>_FILE`), never as a
# plain variable, which `docker inspect` or `kubectl describe` would show.
SECRETS = secret_variables(BACKENDS)
KNOWN = (
    frozenset(ENVIRONMENT)
    | {name for spec in BACKENDS for name in backend_variables(spec)}
    | {f"{name}_FILE" for name in SECRETS}
)


def load_yaml(path: Path) -> Any:
    with path.open() as stream:
        return yaml.safe_load(stream)
