"""The CareCloud simulator: `create_app` (see app.py for what it serves and why), and
`KIOSK_LOGIN`, its second user, who may only read."""

from sandboxes.carecloud.app import create_app
from sandboxes.carecloud.auth import KIOSK_LOGIN

__all__ = ["KIOSK_LOGIN", "create_app"]
