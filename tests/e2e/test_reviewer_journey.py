"""The whole reviewer journey in a real browser, against a real django-q2 cluster.

A lead logs in, uploads a resume, opens a job's ranking, rates three pairs from the
keyboard in the queue, queues a training run, watches it finish and activates the model
it made. Every background step (scoring the upload, training, re-scoring after the
activation) is done by a `manage.py qcluster` subprocess with the real model, as in
production. The screenshots it saves are the ones the README shows.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls the test makes while the browser is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from matching.models import Job, Pair, Rating, Resume, ScoringModel
from tests.browser import chromium
from tests.conftest import make_pdf
from tests.qcluster import running_cluster, wait_for
from training.models import TrainingRun

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
SAMPLE = ROOT / "training" / "sample" / "training_data.json"
LEAD, PASSWORD = "lead", "pw-lead-2026"

UPLOADED = (
    "Nadia Fernandes. Backend engineer, 7 years of Python. Built Django REST APIs and "
    "PostgreSQL schemas for an insurance claims platform; Celery workers, Redis caching, "
    "Docker images deployed on AWS ECS with Terraform. Mentored three junior developers, "
    "ran code reviews and the on-call rotation. Earlier: PHP and MySQL web shop, two years."
)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{name}.png"), full_page=False)


def activate(page, base_url: str, model: ScoringModel, action: str) -> None:
    """Run one of the scoring model admin's activation actions on one version."""
    page.goto(f"{base_url}/admin/matching/scoringmodel/")
    page.check(f"input[name=_selected_action][value='{model.pk}']")
    page.select_option("select[name=action]", action)
    with page.expect_navigation():
        page.click("button[name=index]")


def test_lead_uploads_ranks_rates_trains_and_activates(live_server, settings, tmp_path):
    from playwright.sync_api import expect

    # The demo, scored inline by the real model: jobs, 12 resumes and 20 ratings.
    # The demo's lead: uploads, rates, and trains and activates as a model manager.
    call_command("load_demo", lead_username=LEAD, lead_password=PASSWORD, verbosity=0)
    pretrained = ScoringModel.objects.get(is_active=True)
    settings.MATCHING_SYNC_TASKS = False
    settings.BLIND_RATING = True
    upload = tmp_path / "Nadia_Fernandes_CV.pdf"
    upload.write_bytes(make_pdf(UPLOADED))
    open_jobs = Job.objects.filter(is_open=True).count()
    backend_job = Job.objects.get(title__icontains="Backend")

    storage = {
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "MODELS_STORE_DIR": str(settings.MODELS_STORE_DIR),
    }
    with running_cluster(storage) as cluster, chromium() as browser:
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        page.set_default_timeout(30_000)

        # 1. Log in: every page sends an anonymous visitor to the login form first.
        page.goto(f"{live_server.url}/")
        expect(page.locator("h1")).to_have_text("Log in")
        page.fill("#id_username", LEAD)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()

        # 2. Upload a resume: the page answers at once, the cluster scores it.
        page.goto(f"{live_server.url}/admin/matching/resume/upload/")
        page.set_input_files("#id_files", str(upload))
        with page.expect_navigation():
            page.click("#resume-upload input[type=submit]")
        expect(page.locator("#upload-results")).to_contain_text("Nadia_Fernandes_CV.pdf")
        expect(page.locator("#upload-results")).to_contain_text("imported")
        shot(page, "1-upload")
        resume = Resume.objects.get(original_name="Nadia_Fernandes_CV.pdf")
        wait_for(
            lambda: Pair.objects.filter(resume=resume, score__isnull=False).count() == open_jobs,
            timeout=300,
            what="the cluster to score the uploaded resume",
            proc=cluster,
        )

        # 3. The job's ranking has the new candidate near the top.
        page.goto(f"{live_server.url}/jobs/{backend_job.pk}/")
        row = page.locator(f"[data-resume-id='{resume.pk}']")
        expect(row).to_have_count(1)
        rank = int(row.get_attribute("data-rank"))
        assert rank <= 3, f"the Python backend engineer ranks {rank} for {backend_job}"
        shot(page, "2-ranking")

        # 4. Three ratings from the keyboard in the queue, one keystroke each.
        page.goto(f"{live_server.url}/review/")
        for key in ["4", "2", "5"]:
            expect(page.locator("#pair-resume")).to_be_visible()
            with page.expect_navigation():
                page.keyboard.press(key)
            expect(page.locator("#just-rated .mine")).to_contain_text(f"{key}★")
        shot(page, "3-queue")
        assert Rating.objects.filter(reviewer__username=LEAD, source="queue").count() == 3

        # 5. Queue a training run on the sample file plus every rating, and watch it.
        page.goto(f"{live_server.url}/admin/training/trainingrun/add/")
        page.select_option("#id_mode", "fast")
        page.check("#id_from_ratings")
        page.set_input_files("#id_train_file", str(SAMPLE))
        with page.expect_navigation():
            page.click("input[type=submit]")
        expect(page.locator("#run-live")).to_be_visible()
        run = TrainingRun.objects.latest("pk")
        # The page polls the run and reloads itself once the run is final.
        expect(page.locator("#run-status")).to_have_text("succeeded", timeout=400_000)
        run.refresh_from_db()
        assert run.status == TrainingRun.Status.SUCCEEDED, run.error
        assert run.dataset["sources"]["ratings"] >= 23
        shot(page, "4-training")

        # 6. Activate the new version from the admin. A version not measured better than
        # the live one beyond noise is refused first, and goes live only when the lead
        # insists; either way the cluster re-scores every pair.
        candidate = run.output_model
        messages = page.locator("ul.messagelist")
        activate(page, live_server.url, candidate, "activate")
        expect(messages).to_contain_text(re.compile("is live|not activated", re.I))
        if "not activated" in messages.inner_text():
            assert ScoringModel.objects.get(is_active=True) == pretrained
            activate(page, live_server.url, candidate, "activate_anyway")
        expect(messages).to_contain_text(re.compile(f"{candidate.version} is live", re.I))
        wait_for(
            lambda: not Pair.objects.exclude(scoring_model=candidate).exists(),
            timeout=300,
            what="the cluster to re-score every pair with the activated model",
            proc=cluster,
        )
        page.goto(f"{live_server.url}/jobs/{backend_job.pk}/")
        expect(page.locator("body")).to_contain_text(candidate.version)
        shot(page, "5-activated")

    candidate.refresh_from_db()
    pretrained.refresh_from_db()
    assert candidate.is_active and not pretrained.is_active
