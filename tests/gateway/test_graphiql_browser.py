"""GraphiQL in a real browser (Debian's chromium, headless) with no network but the gateway:
it renders, the development token is set, the example query runs and its result is on the
page; a tab whose token went stale (a restart) asks for the current one and keeps working.

Chromium comes from .ci/run (`apt-get install chromium`). Without it the test fails in CI,
saying why, and is skipped elsewhere (a fresh machine runs README's test command too).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.gateway.test_cli import served  # noqa: F401  (the `serve` process, a fixture)

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: .ci/run installs Debian's chromium (apt-get install chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"no chromium at {CHROMIUM}")
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            # --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        except Error as error:
            _unavailable(f"chromium at {CHROMIUM} did not start: {error.message.splitlines()[0]}")
        yield launched
        launched.close()


def test_graphiql_runs_the_example_offline(
    browser: Any,
    served: tuple[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    url, token = served
    page = browser.new_page()
    elsewhere: list[str] = []

    def only_the_gateway(route: Any) -> None:
        if route.request.url.startswith(url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_gateway)
    posted: list[tuple[str | None, int]] = []
    page.on(
        "requestfinished",
        lambda request: (
            posted.append((request.headers.get("authorization"), request.response().status))
            if request.method == "POST" and request.url.endswith("/graphql")
            else None
        ),
    )
    try:
        page.goto(f"{url}/graphql")
        page.wait_for_selector(".graphiql-execute-button", timeout=30_000)
        page.click(".graphiql-execute-button")
        page.wait_for_function("document.body.innerText.includes('\"totalCount\"')", timeout=30_000)
        assert posted[-1] == (f"Bearer {token}", 200)

        # A restart gives a new token: the tab's old one is refused once, then replaced.
        page.evaluate("developmentToken = 'stale'")
        before = len(posted)
        page.click(".graphiql-execute-button")
        stale, current = ("Bearer stale", 401), (f"Bearer {token}", 200)

        def retried() -> bool:  # in either order: the refused answer's body is read last
            return stale in posted[before:] and current in posted[before:]

        for _ in range(100):  # bounded: 10 s
            if retried():
                break
            page.wait_for_timeout(100)
        assert retried(), posted[before:]

        # The second example tab, its variables filled in too.
        page.click("text=CustomerById")
        page.wait_for_timeout(500)  # GraphiQL reads the tab's operation name after a debounce
        page.click(".graphiql-execute-button")
        page.wait_for_function("document.body.innerText.includes('\"123456789\"')", timeout=30_000)
        assert elsewhere == []
    except Exception:
        page.screenshot(path=str(tmp_path / "graphiql.png"))
        print(f"screenshot: {tmp_path / 'graphiql.png'}")
        raise
    finally:
        page.close()
