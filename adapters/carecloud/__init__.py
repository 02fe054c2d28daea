"""CareCloud CRM (Enterprise REST API): `adapter.CareCloudAdapter` over `client`, `auth`,
`mapping`, `loyalty` and `statuses`; `sandbox` (with its `sandbox_*` modules) simulates the
API and imports none of them. Nothing is imported here, so importing the sandbox stays apart.
"""
