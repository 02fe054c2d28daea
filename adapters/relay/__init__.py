"""Relay Network customer data (CDM) API: `adapter.RelayAdapter` over `client`, `auth` and
`mapping`. Its simulator is `sandboxes/relay/`, which imports none of them.
"""
