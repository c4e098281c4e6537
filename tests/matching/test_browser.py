"""A reviewer logs in with a real browser and reads a job's ranking.

Drives Debian's chromium through Playwright against pytest-django's live server, and
saves the screenshot used in the README (docs/screenshots/ranking.png).
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

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "ranking.png"

JOB = {
    "title": "Senior Python Backend Engineer",
    "description": (
        "Build and run our payments platform in Python: design REST APIs with Django, "
        "model data in PostgreSQL, ship on AWS with Docker, and mentor two developers."
    ),
    "must_have": "Python\nDjango\nPostgreSQL\nREST APIs",
    "nice_to_have": "Kubernetes\nAWS\nCelery",
}

CANDIDATES = [
    # (file name, score, resume text)
    (
        "Lukas_Berger_CV.pdf",
        0.58,
        "Lukas Berger. Full-stack developer, 4 years. Python and Flask services, React and "
        "TypeScript front ends, MySQL. Wrote REST APIs for an online shop and moved its "
        "deployment to Docker. Some AWS Lambda work. Agile team, Jira, code reviews.",
    ),
    (
        "Amelia_Hart_Resume.pdf",
        0.91,
        "Amelia Hart. Senior backend engineer, 8 years of Python. Led the Django and "
        "PostgreSQL payments platform at Finlo: REST APIs serving 40 million requests a "
        "day, Celery workers for settlement, deployed on AWS with Docker and Kubernetes. "
        "Mentored four developers and ran the on-call rotation.",
    ),
    (
        "Tom_Becker.docx",
        0.18,
        "Tom Becker. Marketing coordinator. Social media campaigns, content marketing, "
        "SEO and Google Ads budgets. Organised trade fairs and wrote newsletters. "
        "Excel reporting for the sales team.",
    ),
    (
        "Daniel_Okafor_CV.pdf",
        0.84,
        "Daniel Okafor. Backend developer, 6 years. Python, Django REST framework and "
        "PostgreSQL for a logistics marketplace. Designed REST APIs for partners, tuned "
        "slow queries, added Redis caching. Docker, GitLab CI, Linux.",
    ),
    (
        "Priya_Raman.pdf",
        0.72,
        "Priya Raman. Software engineer, 5 years. Java and Spring Boot microservices, "
        "later Python and FastAPI for data products. PostgreSQL and Kafka. Kubernetes "
        "on GCP, Terraform. Interested in moving to a Django team.",
    ),
    (
        "Sofia_Alvarez_CV.pdf",
        0.41,
        "Sofia Alvarez. Data analyst, 3 years. SQL, Python with pandas and NumPy, Tableau "
        "dashboards for finance. Automated monthly reporting and forecasting models.",
    ),
]


@pytest.fixture
def ranking_for_screenshot(make_ranked_job):
    job, pairs = make_ranked_job(
        [score for _, score, _ in CANDIDATES],
        names=[name for name, _, _ in CANDIDATES],
        texts=[text for _, _, text in CANDIDATES],
        **JOB,
    )
    by_name = {p.resume.original_name: p for p in pairs}
    review_ratings.rating_create(pair=by_name["Amelia_Hart_Resume.pdf"], score=1.0)
    review_ratings.rating_create(pair=by_name["Amelia_Hart_Resume.pdf"], score=0.75)
    review_ratings.rating_create(pair=by_name["Lukas_Berger_CV.pdf"], score=0.5)
    return job


def top_resume_id(job) -> int:
    return job.pairs.order_by("-score").values_list("resume_id", flat=True).first()


def test_reviewer_logs_in_and_sees_candidates_ranked_with_percentages(
    transactional_db, live_server, reviewer, ranking_for_screenshot
):
    from playwright.sync_api import expect

    job = ranking_for_screenshot
    expected = sorted(CANDIDATES, key=lambda c: c[1], reverse=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # An anonymous visit lands on the login page, then back on the ranking.
        log_in(page, f"{live_server.url}/jobs/{job.pk}/")

        expect(page.locator("h1")).to_contain_text(JOB["title"])
        names = page.locator(".cand-name").all_inner_texts()
        percents = page.locator(".score .pct").all_inner_texts()
        assert names == [name for name, _, _ in expected]
        assert percents == [f"{round(score * 100)}%" for _, score, _ in expected]
        top = page.locator(".candidate").first
        expect(top.locator(".chip.found").first).to_be_visible()
        expect(top.locator(".passage").first).to_be_visible()
        expect(top.locator(".rating-mean")).to_have_text("88%")

        # The README shows the page down to the end of the third candidate.
        third = page.locator(".candidate").nth(2).bounding_box()
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(SCREENSHOT),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1280, "height": third["y"] + third["height"] + 28},
        )

        # From the ranking to the candidate's resume page, and back to the job list.
        top.locator(".cand-name").click()
        expect(page.locator("h1")).to_have_text(expected[0][0])
        expect(page.locator("#download")).to_have_attribute(
            "href", f"/resumes/{top_resume_id(job)}/file"
        )
        page.click("text=Jobs >> nth=0")
        expect(page.locator("#jobs .scored-count")).to_have_text(["6"])
    assert SCREENSHOT.stat().st_size > 10_000
