"""Debian's chromium, driven by Playwright, as the browser tests use it.

`playwright install` downloads a browser and cannot work here; the apt package
`chromium` (make browser) is launched by path instead, with the flags it needs in a
container without a GPU or network.
"""

from __future__ import annotations

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
