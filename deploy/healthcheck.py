"""The image's HEALTHCHECK: exit 0 when the URL answers 200, else 1 (the slim image has no curl).

`python healthcheck.py` asks the gateway's /healthz where `serve` listens (GATEWAY_HOST and
GATEWAY_PORT, a wildcard host asked on loopback); `python healthcheck.py URL` asks URL (the
sandboxes' container in deploy/compose.yaml). Standard library only: it runs beside the
gateway, not inside it.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

WILDCARDS = {"", "0.0.0.0", "::", "[::]"}


def gateway_url(environ: dict[str, str]) -> str:
    host = environ.get("GATEWAY_HOST", "127.0.0.1").strip()
    host = "127.0.0.1" if host in WILDCARDS else host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{environ.get('GATEWAY_PORT', '8000')}/healthz"


def healthy(url: str, timeout: float = 3.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return bool(answer.status == 200)
    except (OSError, ValueError):  # refused, timed out, an HTTP error status, a bad URL
        return False


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else gateway_url(dict(os.environ))
    sys.exit(0 if healthy(url) else 1)
