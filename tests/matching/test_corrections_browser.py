"""A reviewer corrects a requirement verdict on the rating screen in a real browser, and
undoes it (docs/screenshots/verdict-correction.png)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from matching.models import VerdictCorrection
from tests.browser import chromium, log_in

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "verdict-correction.png"
TEXT = (
    "Daniel Okafor\nExperience\nBackend Developer, Fernhill Freight, Jan 2019 - present\n"
    "- Built REST APIs in Python and Django for a logistics marketplace\n"
    "- Tuned slow PostgreSQL queries and added Redis caching\n"
)


def test_a_reviewer_corrects_a_verdict_and_undoes_it(
    transactional_db, live_server, reviewer, make_ranked_job
):
    from playwright.sync_api import expect

    _, [pair] = make_ranked_job(
        [0.7],
        texts=[TEXT],
        title="Senior Python Backend Engineer",
        description="Payments platform in Python and Django.",
        must_have="Python\nDjango\nKubernetes",
    )
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1360, "height": 1000})
        log_in(page, f"{live_server.url}/review/pairs/{pair.pk}/")
        kubernetes = page.locator("#must-have li.verdict", has_text="Kubernetes")
        expect(kubernetes.locator(".chip.missing")).to_be_visible()
        with page.expect_navigation():
            kubernetes.locator("button[value=met]").click()
        assert page.url.endswith("#requirements")
        kubernetes = page.locator("#must-have li.verdict", has_text="Kubernetes")
        expect(kubernetes.locator(".mine")).to_have_text("you: ✓")
        expect(kubernetes.locator("button.on")).to_have_text("✓")
        assert VerdictCorrection.objects.get().met is True
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.locator("#requirements").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOT), full_page=False)

        with page.expect_navigation():
            kubernetes.locator("button[value=rules]").click()
        expect(
            page.locator("#must-have li.verdict", has_text="Kubernetes").locator(".mine")
        ).to_have_count(0)
        assert not VerdictCorrection.objects.exists()
