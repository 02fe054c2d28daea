"""The Relay simulator: `create_app` (see app.py for what it serves and why)."""

from sandboxes.relay.app import create_app

__all__ = ["create_app"]
