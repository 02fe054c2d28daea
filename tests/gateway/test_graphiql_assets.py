"""GraphiQL is served whole by the gateway: the page names only its own assets, each is the
pinned npm file LICENSES.txt lists (by sha256), and each is served."""

from __future__ import annotations

import hashlib
import re

from gateway.graphiql import ASSETS, STATIC
from tests.gateway.conftest import Gateway

PAGE = (STATIC / "graphiql.html").read_text()
# file -> sha256, from LICENSES.txt's table ("file  npm-package@version  sha256").
PINNED = dict(
    (name, digest)
    for name, digest in re.findall(
        r"^(\S+\.(?:js|css))\s+\S+@\d+\.\d+\.\d+\s+([0-9a-f]{64})$",
        (ASSETS / "LICENSES.txt").read_text(),
        re.MULTILINE,
    )
)


def test_the_page_loads_nothing_from_another_host() -> None:
    sources = re.findall(r'(?:src|href)="([^"]+)"', PAGE)
    assert sources and all(s.startswith("graphiql/static/") for s in sources), sources
    assert "unpkg" not in PAGE and "cdn" not in PAGE.lower()


def test_every_asset_is_the_pinned_file() -> None:
    names = {path.name for path in ASSETS.iterdir()} - {"LICENSES.txt"}
    assert names == set(PINNED) and len(names) == 7
    for name, digest in PINNED.items():
        assert hashlib.sha256((ASSETS / name).read_bytes()).hexdigest() == digest, name


def test_the_page_and_its_assets_are_served(gateway: Gateway) -> None:
    page = gateway.http.get("/graphql", headers={"accept": "text/html"})
    assert (
        page.status_code == 200 and "SearchCustomers" in page.text and "CustomerById" in page.text
    )
    for source in re.findall(r'(?:src|href)="(graphiql/static/[^"]+)"', PAGE):
        served = gateway.http.get(f"/{source}")
        assert served.status_code == 200, source
        assert served.content == (ASSETS / source.rsplit("/", 1)[1]).read_bytes()
    licences = gateway.http.get("/graphiql/static/LICENSES.txt")
    assert licences.status_code == 200 and "MIT License" in licences.text
