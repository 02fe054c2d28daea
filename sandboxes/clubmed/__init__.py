"""The Club Med simulator: `create_app` (see app.py for what it serves and why)."""

from sandboxes.clubmed.app import create_app

__all__ = ["create_app"]
