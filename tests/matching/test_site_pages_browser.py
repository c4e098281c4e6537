"""The site's pages on a phone (issue 14, item 20): the top bar wraps at 390 px wide.

Debian's chromium through Playwright against pytest-django's live server. Screenshots go
to SITE_SCREENSHOTS (a folder) when it is set, to be looked at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls the test makes while the browser is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from matching.review import ratings as review_ratings
from tests.browser import chromium, log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = os.environ.get("SITE_SCREENSHOTS", "")


def _screenshot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def test_the_top_bar_wraps_on_a_390_px_phone_and_keeps_every_control_on_screen(
    transactional_db, live_server, reviewer, make_ranked_job
):
    job, pairs = make_ranked_job([0.91, 0.42], title="Senior Python Backend Engineer")
    review_ratings.rating_create(pair=pairs[0], score=0.2)
    with chromium() as browser:
        page = browser.new_page(viewport=PHONE)
        log_in(page, f"{live_server.url}/jobs/{job.pk}/")
        controls = page.locator(".topbar a, .topbar button")
        assert controls.count() >= 5  # brand, Jobs, Review, Admin, Anonymized, Log out
        for i in range(controls.count()):
            box = controls.nth(i).bounding_box()
            label = controls.nth(i).inner_text()
            assert box is not None and box["width"] > 0, label
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label
        # Nothing wider than the screen: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        _screenshot(page, "ranking-390")
        page.goto(f"{live_server.url}/")
        _screenshot(page, "jobs-390")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
