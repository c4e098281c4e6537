"""A reviewer sees, in a real browser, the rate each candidate asks against the budget
the posting states, beside the score."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls the test makes while the browser is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from matching.intake import jobs as intake_jobs
from matching.intake import resumes as intake_resumes
from tests.browser import chromium, log_in
from tests.matching.test_rates import FREELANCER, GULP_POSTING

pytestmark = pytest.mark.browser

WITHIN = FREELANCER.replace("Jan Becker", "Eva Roth").replace("85 EUR", "60 EUR")


def test_the_ranking_shows_each_rate_against_the_budget(
    transactional_db, live_server, reviewer, tmp_path
):
    from playwright.sync_api import expect

    job = intake_jobs.job_create(
        title="Java Entwickler", description=GULP_POSTING, must_have="Java\nSpring Boot"
    )
    for name, text in (("becker.txt", FREELANCER), ("roth.txt", WITHIN)):
        intake_resumes.resume_create(name=name, data=text.encode())
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, f"{live_server.url}/jobs/{job.pk}/")
        expect(page.locator("#budget")).to_contain_text("Budget 65 €/h")
        pay = page.locator(".candidate .pay")
        expect(pay).to_have_count(2)
        texts = sorted(pay.all_inner_texts())
        assert texts == ["asks 60 €/h: within the budget", "asks 85 €/h: 31% above the budget"]
        page.screenshot(path=str(tmp_path / "pay.png"), full_page=True)
    assert (tmp_path / "pay.png").stat().st_size > 10_000
