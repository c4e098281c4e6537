"""Every page type works under the Content-Security-Policy, in a real browser.

Drives Debian's chromium through Playwright against pytest-django's live server: each
page must carry the policy, cause no CSP violation (the browser's console and the
`securitypolicyviolation` event), raise no script error, and its scripts must still do
their work: the queue rates from the keyboard, the progress panels and the training run
page poll, Swagger UI draws the API.
"""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls the test makes while the browser is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.utils import timezone

from matching.encoding.cache import ensure_vectors
from matching.models import Rating
from matching.scoring import activation as scoring_activation
from matching.texts import text_hash
from tests.browser import chromium, log_in
from tests.factories import JobFactory, PairFactory, ResumeFactory
from training.models import TrainingRun

pytestmark = pytest.mark.browser

# Collected in the page itself, beside the console: some violations (a blocked inline
# handler, for instance) only show as the event.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(
    e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " at " +
    e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def site(transactional_db, reviewer):
    """A job with three scored candidates, a fourth resume not scored yet (so the
    progress panels show and poll), and a queued training run (its page polls)."""
    model = scoring_activation.scoring_model_active()
    job = JobFactory(title="Backend engineer")
    now = timezone.now()
    pairs = []
    for i, score in enumerate([0.82, 0.55, 0.31]):
        resume = ResumeFactory(text=f"Candidate {i}. Python developer, Django, SQL, REST APIs.")
        pairs.append(
            PairFactory(resume=resume, job=job, score=score, scoring_model=model, scored_at=now)
        )
    unscored = ResumeFactory(text="Waiting candidate. Nurse, intensive care.")
    texts = [job.embedded_text, *(p.resume.text for p in pairs), unscored.text]
    ensure_vectors(texts={text_hash(t): t for t in texts}, encoder_key=model.encoder_key)
    run = TrainingRun.objects.create()
    return {"job": job, "resume": pairs[0].resume, "run": run}


def test_every_page_type_works_under_the_content_security_policy(live_server, site):
    from playwright.sync_api import expect

    console_violations: list[str] = []
    script_errors: list[str] = []
    base = live_server.url

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.add_init_script(RECORD_VIOLATIONS)
        page.on(
            "console",
            lambda m: (
                console_violations.append(m.text) if "Content Security Policy" in m.text else None
            ),
        )
        page.on("pageerror", lambda e: script_errors.append(str(e)))

        def visit(path: str):
            response = page.goto(base + path)
            assert response is not None and response.ok, path
            policy = response.headers.get("content-security-policy", "")
            assert "script-src 'self'" in policy, (path, policy)
            assert "unsafe-eval" not in policy
            return response

        def assert_clean(path: str) -> None:
            in_page = page.evaluate("window.__cspViolations || []")
            assert in_page == [], (path, in_page)
            assert console_violations == [], (path, console_violations)
            assert script_errors == [], (path, script_errors)

        # The login page, then the site.
        visit("/accounts/login/")
        assert_clean("/accounts/login/")
        log_in(page, f"{base}/")
        for path in [
            "/",
            f"/jobs/{site['job'].pk}/",
            f"/resumes/{site['resume'].pk}/",
            "/accounts/token/",
        ]:
            visit(path)
            assert_clean(path)

        # The queue: its progress panel polls, and "4" rates the pair on screen.
        with page.expect_response(lambda r: "/review/progress.json" in r.url, timeout=15_000):
            visit("/review/")
            expect(page.locator("#scoring-progress")).to_be_visible()
        assert_clean("/review/ (progress)")
        expect(page.locator("#rate-form")).to_be_visible()
        with page.expect_navigation():
            page.keyboard.press("4")
        assert Rating.objects.filter(score=0.75).count() == 1
        assert_clean("/review/ (rated)")

        # The admin: index, a change list (with the progress panel), a change form.
        visit("/admin/")
        assert_clean("/admin/")
        with page.expect_response(lambda r: "/review/progress.json" in r.url, timeout=15_000):
            visit("/admin/matching/resume/")
        assert_clean("/admin/matching/resume/")
        visit(f"/admin/matching/job/{site['job'].pk}/change/")
        expect(page.locator("#id_title")).to_have_value("Backend engineer")
        assert_clean("job change form")

        # A queued training run's page follows it live.
        status_url = f"/admin/training/trainingrun/{site['run'].pk}/status/"
        with page.expect_response(lambda r: status_url in r.url, timeout=15_000):
            visit(f"/admin/training/trainingrun/{site['run'].pk}/change/")
        expect(page.locator("#run-status")).to_have_text("queued")
        assert_clean("training run page")

        # Swagger UI draws the API from the schema.
        visit("/api/docs/")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Resume Screening API")
        expect(page.locator(".opblock").first).to_be_visible()
        assert_clean("/api/docs/")
