"""Relay Network customer data (CDM) API: `adapter.RelayAdapter` over `client`, `auth` and
`mapping`; `sandbox` (with its `sandbox_*` modules) simulates the API and imports none of
them. Nothing is imported here, so importing the sandbox stays apart.
"""
