"""Faithful simulators of the Club Med, CareCloud and Relay APIs, for tests, benchmarks and
development: not part of the product.

`common/` holds what the simulators share; `clubmed/`, `carecloud/` and `relay/` hold one
back end each, with the same module names where the concept exists: `app` (the app factory
and its routes), `auth`, `errors` (the vendor's error body), `parameters`, `store`,
`records`, `seed`, `validation`, `openapi`, and one module per resource.

The folder rule (tests/test_imports.py): nothing here imports `adapters` but
`adapters.model` (for `Backend`), nor `gateway`; only the CLI's development path
(gateway/cli.py) imports the sandboxes.
"""
