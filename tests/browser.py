"""Debian's chromium, driven by Playwright, as the browser tests use it.

`playwright install` downloads a browser and cannot work here; the apt package
`chromium` (make browser) is launched by path instead, with the flags it needs in a
container without a GPU or network.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
# The `reviewer` fixture's login (tests/conftest.py).
REVIEWER = ("rita", "pw-rita-2026")


def log_in(page, url: str, *, username: str = REVIEWER[0], password: str = REVIEWER[1]) -> None:
    """Open `url` as an anonymous visitor: the login form comes first, then `url` itself."""
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.locator("h1")).to_have_text("Log in")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(url)


@contextmanager
def chromium() -> Iterator:
    """Debian's chromium under Playwright, closed on the way out together with the
    database connections opened inside Playwright's event loop.

    ORM calls a test makes while the browser is open run in that loop, where Django keeps
    connections of its own (context-local), apart from the test's. Left open, PostgreSQL
    refuses to drop the test database at the end of the run ("being accessed by other
    users")."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()
