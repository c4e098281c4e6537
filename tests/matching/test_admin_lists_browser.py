"""The admin's busiest lists fit a 1366 px laptop screen: a reviewer sees the human mean,
the count and the "rate" link of a pair, and the outcome of a model version, without
scrolling sideways: every column of a row is in sight. Screenshots are saved next to the
test's temporary files."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls the test makes while the browser is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from matching.review import ratings as review_ratings
from tests.browser import chromium, log_in
from tests.factories import JobFactory, PairFactory, ResumeFactory, ScoringModelFactory

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1366, 768


@pytest.fixture
def busy_admin(reviewer, django_user_model):
    """Rows as long as real ones: long file names and job titles, reviewers with long
    user names, a custom model compared with the live one."""
    job = JobFactory(title="Senior Backend Engineer, Payments Platform (Python, Django)")
    other = django_user_model.objects.create_user(username="margaret.oduya-henderson")
    for i in range(3):
        resume = ResumeFactory(original_name=f"Alexandra_Konstantinopoulou_Resume_2026_v{i}.pdf")
        pair = PairFactory(resume=resume, job=job, score=0.5 + i / 10)
        review_ratings.rating_submit(pair=pair, reviewer=reviewer, score=0.75)
        review_ratings.rating_submit(pair=pair, reviewer=other, score=0.25, note="thin on Django")
    ScoringModelFactory(
        version="custom-20261204-171500-fast",
        metrics={
            "spearman": 0.8123,
            "band_accuracy": 0.7345,
            "better_than_live": True,
            "live_at_training": {"version": "pretrained", "spearman": 0.6012},
        },
    )


@pytest.mark.parametrize(
    ("url", "cells"),
    [
        (
            "/admin/matching/pair/",
            [".field-human_score", ".field-rating_count", ".field-rate_link"],
        ),
        ("/admin/matching/rating/", [".field-human_score", ".field-reviewer", ".field-created_at"]),
        (
            "/admin/matching/scoringmodel/",
            [".field-spearman", ".field-compared_with_live", ".field-is_active"],
        ),
    ],
)
def test_admin_lists_show_their_key_columns_on_a_1366_px_screen(
    transactional_db, live_server, busy_admin, tmp_path, url, cells
):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        log_in(page, f"{live_server.url}/")
        page.goto(f"{live_server.url}{url}")
        page.screenshot(path=str(tmp_path / f"{url.strip('/').replace('/', '_')}.png"))
        # The results scroll inside their own box, so a column past its right edge is out
        # of sight even when the page itself does not scroll.
        shown = page.locator("#changelist .results").bounding_box()
        right = min(WIDTH, shown["x"] + shown["width"])
        row = page.locator("#result_list tbody tr:first-child")
        for cell in cells:
            assert row.locator(f"td{cell}").count() == 1, f"no {cell} column"
        for td in row.locator("td, th").all():
            box = td.bounding_box()
            name = td.get_attribute("class")
            assert box["x"] + box["width"] <= right + 1, f"{name} is cut off at {WIDTH} px"
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= WIDTH, f"the page scrolls sideways ({page_width} px)"
