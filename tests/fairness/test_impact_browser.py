"""Someone with the read permission opens the adverse-impact report in a real browser,
narrows it to one job, and prints the summary (docs/screenshots/adverse-impact.png)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.contrib.auth.models import Permission

from audit.models import AuditEvent
from fairness.models import SelfIdentification
from matching.scoring.activation import scoring_model_active
from tests.browser import chromium, log_in
from tests.factories import JobFactory, PairFactory

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "adverse-impact.png"


def _applications(job, groups: list[tuple[str, str, int, int]]) -> None:
    """(sex, race, how many score 0.85, how many 0.35) per group."""
    model = scoring_model_active()
    for sex, race, high, low in groups:
        for score in [0.85] * high + [0.35] * low:
            pair = PairFactory(job=job, score=score, scoring_model=model)
            SelfIdentification.objects.create(resume=pair.resume, sex=sex, race_ethnicity=race)


def test_a_reader_opens_the_report_for_one_job_and_its_summary(
    transactional_db, live_server, django_user_model
):
    from playwright.sync_api import expect

    auditor = django_user_model.objects.create_user(username="audra", password="pw-audra-2026")
    auditor.user_permissions.add(Permission.objects.get(codename="read_self_identification"))
    job = JobFactory(title="Staff Accountant")
    _applications(
        job,
        [
            ("male", "white", 9, 5),
            ("female", "white", 6, 8),
            ("female", "black", 2, 6),
            ("male", "hispanic_or_latino", 4, 4),
        ],
    )
    _applications(JobFactory(title="Payroll Specialist"), [("female", "asian", 3, 1)])
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1360, "height": 1100})
        log_in(page, f"{live_server.url}/", username="audra", password="pw-audra-2026")
        page.click("text=Adverse impact")
        page.select_option("#id_job", label="Staff Accountant")
        page.click("#scope button[type=submit]")
        expect(page.locator("#impact-scope")).to_contain_text("Staff Accountant")
        expect(page.locator("#impact-scope")).to_contain_text("44 scored applications")
        sex = page.locator("table[data-breakdown='Sex']")
        expect(sex.locator("tr", has_text="Female")).to_contain_text("below 4/5")
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        with page.expect_navigation():
            page.click("#impact-summary")
        expect(page.locator("#summary h1")).to_have_text("Summary of adverse-impact figures")
        expect(page.locator("#summary")).to_contain_text("model version pretrained")
    assert AuditEvent.objects.filter(action="self_id_read", actor=auditor).count() == 3
