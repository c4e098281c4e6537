"""A reviewer works through the labeling queue from the keyboard in a real browser.

Drives Debian's chromium through Playwright against pytest-django's live server, and
saves the screenshot used in the README (docs/screenshots/queue.png).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls the test makes while the browser is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from matching.models import Rating, Resume, ReviewSkip
from matching.scoring import activation as scoring_activation
from tests.browser import chromium, log_in
from tests.factories import PairFactory

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "queue.png"

BACKEND = {
    "title": "Senior Python Backend Engineer",
    "description": (
        "Build and run our payments platform in Python: design REST APIs with Django, "
        "model data in PostgreSQL, ship on AWS with Docker, and mentor two developers."
    ),
    "must_have": "Python\nDjango\nPostgreSQL\nREST APIs",
    "nice_to_have": "Kubernetes\nAWS\nCelery",
}
NURSE = {
    "title": "ICU Nurse",
    "description": "Registered nurse for an adult intensive care unit, night shifts included.",
    "must_have": "Registered nurse\nIntensive care\nACLS",
    "nice_to_have": "Epic EHR",
}
BACKEND_CANDIDATES = [
    (
        "Daniel_Okafor_CV.pdf",
        0.55,
        "Daniel Okafor. Backend developer, 6 years. Python, Django REST framework and "
        "PostgreSQL for a logistics marketplace. Designed REST APIs for partners, tuned slow "
        "queries, added Redis caching. Docker, GitLab CI, Linux. Mentored a junior developer.",
    ),
    (
        "Sofia_Alvarez_CV.pdf",
        0.41,
        "Sofia Alvarez. Data analyst, 3 years. SQL, Python with pandas and NumPy, Tableau "
        "dashboards for finance. Automated monthly reporting and forecasting models.",
    ),
    (
        "Tom_Becker.docx",
        0.12,
        "Tom Becker. Marketing coordinator. Social media campaigns, content marketing, SEO "
        "and Google Ads budgets. Organised trade fairs and wrote newsletters.",
    ),
]
NURSE_CANDIDATES = [
    (
        "Maria_Koch.pdf",
        0.48,
        "Maria Koch. Registered nurse, 7 years in intensive care: ventilated patients, "
        "medication administration, triage. BLS and ACLS certified. Epic EHR charting.",
    ),
    (
        "Jonas_Weber.pdf",
        0.35,
        "Jonas Weber. Paramedic, 9 years of emergency care and patient transport. ACLS.",
    ),
]


@pytest.fixture
def two_jobs(make_ranked_job):
    jobs = []
    for spec, candidates in [(BACKEND, BACKEND_CANDIDATES), (NURSE, NURSE_CANDIDATES)]:
        job, _ = make_ranked_job(
            [score for _, score, _ in candidates],
            names=[name for name, _, _ in candidates],
            texts=[text for _, _, text in candidates],
            **spec,
        )
        jobs.append(job)
    # Every resume scored against both jobs, as the scoring task leaves them; a lead has
    # settled the other job's candidates as clear misfits, so the queue leaves them out.
    model = scoring_activation.scoring_model_active()
    for job in jobs:
        for resume in Resume.objects.exclude(pairs__job=job):
            PairFactory(resume=resume, job=job, score=0.03, scoring_model=model, settled_score=0.0)
    return jobs


def test_reviewer_rates_three_pairs_from_the_keyboard_and_skips_one(
    transactional_db, live_server, reviewer, two_jobs, settings
):
    from playwright.sync_api import expect

    settings.BLIND_RATING = True
    served: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1360, "height": 1000})
        log_in(page, f"{live_server.url}/review/")
        expect(page.locator("#waiting")).to_have_text("5 pairs waiting for you")

        # Blind: no model score on the screen before rating.
        expect(page.locator("#scoring-progress")).to_have_count(0)
        expect(page.locator("#blind-note")).to_be_visible()
        expect(page.locator("#model-score")).to_have_count(0)
        expect(page.locator(".chip").first).to_be_visible()

        # Three ratings, one key each; the second with a note typed after "n". Which pairs
        # come first is the queue's draw (a hash of the pair's id, so it differs between
        # databases); all but the marketer meet a requirement, so at least two of the
        # three show a ✓ with its deciding sentence marked in the resume.
        shown_found = 0
        for key, note in [("4", ""), ("2", "No Django, analytics only"), ("5", "")]:
            served.append(page.locator("#pair-resume").inner_text())
            if page.locator(".chip.found").count():
                expect(page.locator("#resume-text mark").first).to_be_visible()
                shown_found += 1
            if note:
                page.keyboard.press("n")
                expect(page.locator("#rate-form textarea")).to_be_focused()
                page.keyboard.type(note)
                page.keyboard.press("Escape")
            with page.expect_navigation():
                page.keyboard.press(key)
            expect(page.locator("#just-rated")).to_be_visible()
            expect(page.locator("#just-rated .mine")).to_contain_text(f"{key}★")

        assert shown_found >= 2
        expect(page.locator("#waiting")).to_have_text("2 pairs waiting for you")
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=False)

        skipped = page.locator("#pair-resume").inner_text()
        with page.expect_navigation():
            page.keyboard.press("s")
        expect(page.locator("#skipped-notice")).to_be_visible()
        expect(page.locator("#pair-resume")).not_to_have_text(skipped)
        expect(page.locator("#waiting")).to_have_text("1 pair waiting for you")

    ratings = Rating.objects.filter(reviewer=reviewer, source=Rating.Source.QUEUE)
    by_name = {r.pair.resume.original_name: r for r in ratings.select_related("pair__resume")}
    assert sorted(by_name) == sorted(served)
    assert [by_name[name].score for name in served] == [0.75, 0.25, 1.0]
    assert by_name[served[1]].note == "No Django, analytics only"
    # Both jobs were served before either job got a second pair (least-covered job first).
    jobs = [by_name[name].pair.job_id for name in served]
    assert jobs[0] != jobs[1]
    assert ReviewSkip.objects.filter(reviewer=reviewer, pair__resume__original_name=skipped)
    assert SCREENSHOT.stat().st_size > 10_000
