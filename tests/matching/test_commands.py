"""The management commands as a user types them."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from matching.intake import jobs as intake_jobs
from matching.intake import resumes as intake_resumes
from matching.models import Pair, Rating
from resumeproject import access
from resumeproject.access import MODEL_MANAGERS_GROUP
from tests.conftest import NURSE_RESUME, PYTHON_RESUME, make_pdf

pytestmark = pytest.mark.django_db

User = get_user_model()


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_resumes_prints_a_summary_with_reasons(tmp_path):
    (tmp_path / "jane.pdf").write_bytes(make_pdf(PYTHON_RESUME))
    (tmp_path / "john.txt").write_text(NURSE_RESUME)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 nothing here")
    output = run("import_resumes", str(tmp_path), "--no-progress")
    assert "2 imported, 0 skipped as duplicate, 1 rejected." in output
    assert "scan.pdf:" in output
    again = run("import_resumes", str(tmp_path / "jane.pdf"), "--no-progress")
    assert "0 imported, 1 skipped as duplicate, 0 rejected." in again


def test_import_resumes_refuses_an_empty_folder(tmp_path):
    with pytest.raises(CommandError, match="No files found"):
        run("import_resumes", str(tmp_path))


def test_rank_prints_candidates_best_first():
    job = intake_jobs.job_create(title="Python developer", description="Python Django PostgreSQL")
    intake_resumes.resume_create(name="py.txt", data=PYTHON_RESUME.encode())
    intake_resumes.resume_create(name="rn.txt", data=NURSE_RESUME.encode())
    output = run("rank", "--job", str(job.pk), "--top", "5")
    lines = [line for line in output.splitlines() if line.strip()[:1].isdigit()]
    assert lines[0].split()[0] == "1" and lines[0].endswith("py.txt")
    assert lines[1].endswith("rn.txt")
    assert Pair.objects.filter(job=job).count() == 2


def test_rank_of_unknown_job_is_a_clear_error():
    with pytest.raises(CommandError, match="No job with id 999"):
        run("rank", "--job", "999")


def test_score_prints_one_pair_as_json(tmp_path):
    resume = tmp_path / "jane.pdf"
    resume.write_bytes(make_pdf(PYTHON_RESUME))
    job = tmp_path / "job.txt"
    job.write_text("Senior Python developer\nRequirements:\nPython, Django\n")
    payload = json.loads(run("score", "--resume", str(resume), "--job", str(job), "--json"))
    assert 0 <= payload["score"] <= 1
    assert payload["features"]["coverage"] == pytest.approx(1.0)


def test_score_with_a_bad_file_says_why(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"")
    job = tmp_path / "job.txt"
    job.write_text("Python developer")
    with pytest.raises(CommandError, match=r"bad.pdf: the file is empty"):
        run("score", "--resume", str(bad), "--job", str(job))


def test_load_demo_creates_jobs_resumes_ratings_and_two_logins(demo_dir):
    output = run("load_demo")
    assert "Reviewer login: reviewer / reviewer-demo-2026" in output
    assert "Lead login: lead / lead-demo-2026" in output
    from matching.models import Job, Rating, Resume

    assert Job.objects.count() == 5
    assert Resume.objects.filter(status="extracted").count() >= 12
    assert Rating.objects.count() >= 15
    assert "0 resumes imported (12 already there)" in run("load_demo")


# --- the demo's logins: a plain reviewer and a lead, neither a superuser ---------------------


def test_the_demo_reviewer_rates_but_is_no_superuser_and_cannot_train_or_activate(demo_dir, client):
    run("load_demo")
    reviewer = User.objects.get(username="reviewer")
    assert not reviewer.is_superuser and reviewer.is_staff
    assert reviewer.has_perms(["matching.add_rating", "matching.change_rating"])
    assert not reviewer.groups.filter(name=MODEL_MANAGERS_GROUP).exists()
    assert not (access.can_train(reviewer) or access.can_activate_model(reviewer))
    assert Rating.objects.filter(reviewer=reviewer).count() >= 15
    client.force_login(reviewer)
    assert client.get(reverse("admin:matching_rating_add")).status_code == 200
    # The training admin sends someone who may not train away, to a list they may not see.
    refused = client.get(reverse("admin:training_trainingrun_add"), follow=True)
    assert refused.status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_the_demo_lead_manages_models_as_a_member_of_the_model_managers_group(demo_dir, client):
    run("load_demo")
    lead = User.objects.get(username="lead")
    assert not lead.is_superuser and lead.is_staff
    assert lead.groups.filter(name=MODEL_MANAGERS_GROUP).exists()
    assert access.can_train(lead) and access.can_activate_model(lead)
    assert lead.has_perms(["matching.add_resume", "matching.add_rating"])
    client.force_login(lead)
    assert client.get(reverse("admin:training_trainingrun_add")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_the_demo_lead_can_train_on_a_database_flushed_after_migrate(demo_dir):
    # A flush (a browser test's teardown, `manage.py flush`) drops the group the migration made.
    Group.objects.filter(name=MODEL_MANAGERS_GROUP).delete()
    run("load_demo")
    lead = User.objects.get(username="lead")
    assert access.can_train(lead) and access.can_activate_model(lead)


def test_load_demo_takes_the_superuser_role_from_an_old_demo_reviewer(demo_dir):
    """Earlier demos made `reviewer` a superuser with the published password."""
    User.objects.create_user(
        "reviewer", password="reviewer-demo-2026", is_staff=True, is_superuser=True
    )
    output = run("load_demo")
    assert not User.objects.get(username="reviewer").is_superuser
    assert "Reviewer login: reviewer (password unchanged)" in output


def test_load_demo_leaves_an_account_of_the_same_name_with_its_own_password_alone(demo_dir):
    User.objects.create_user("lead", password="their-own-2026", is_superuser=True)
    output = run("load_demo")
    assert User.objects.get(username="lead").is_superuser
    assert "lead already exists and is not the demo's" in output
