"""Self-identification and the adverse-impact report on every surface: who may read and
import (pages, admin, API, command), what is audited, that nothing else exposes the data,
and that it goes with the resume."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from fairness.models import SelfIdentification
from matching.models import Resume
from matching.scoring.activation import scoring_model_active
from tests.api.helpers import token_client
from tests.factories import JobFactory, PairFactory

pytestmark = pytest.mark.django_db

READ = "read_self_identification"
IMPORT = "add_selfidentification"


def _user(django_user_model, name: str, *codenames: str, staff: bool = False):
    user = django_user_model.objects.create_user(
        username=name, password=f"pw-{name}-2026", is_staff=staff
    )
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def auditor(django_user_model):
    return _user(django_user_model, "audra", READ, IMPORT)


@pytest.fixture
def staff_reviewer(django_user_model):
    """Staff with every view permission of the site: still no self-identification."""
    user = _user(django_user_model, "vic", staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    return user


@pytest.fixture
def scored_job():
    """A job with six applications scored by the live model, four with answers."""
    model = scoring_model_active()
    job = JobFactory(title="Accountant")
    answers = [
        ("male", "white", 0.9),
        ("male", "asian", 0.8),
        ("female", "white", 0.4),
        ("female", "black", 0.2),
        ("", "", 0.6),
        (None, None, 0.5),
    ]
    for sex, race, score in answers:
        pair = PairFactory(job=job, score=score, scoring_model=model)
        if sex is not None:
            SelfIdentification.objects.create(resume=pair.resume, sex=sex, race_ethnicity=race)
    return job


def test_the_report_page_csv_and_summary_for_a_reader_and_each_read_is_audited(
    client, auditor, scored_job
):
    client.force_login(auditor)
    page = client.get(reverse("fairness:impact_report"), {"job": scored_job.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert "6 scored applications, 4 with self-identification" in body
    assert "Female" in body and "Hispanic" not in body
    summary = client.get(reverse("fairness:impact_summary"), {"job": scored_job.pk})
    assert summary.status_code == 200 and "model version" in summary.content.decode()
    download = client.get(reverse("fairness:impact_csv"), {"job": scored_job.pk})
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    by_sex = {r["category"]: r for r in rows if r["breakdown"] == "Sex"}
    # Median 0.55: males 0.9 and 0.8 above it, females 0.4 and 0.2 not.
    assert by_sex["Male"]["scoring_rate"] == "1.0" and by_sex["Female"]["scoring_rate"] == "0.0"
    assert by_sex["unknown"]["applications"] == "2"
    reads = AuditEvent.objects.filter(action="self_id_read", actor=auditor)
    assert reads.count() == 3
    assert "Accountant" in reads.first().details["scope"]


def test_a_bad_period_is_named_not_a_report(client, auditor):
    client.force_login(auditor)
    page = client.get(
        reverse("fairness:impact_report"), {"since": "2026-12-01", "until": "2026-01-01"}
    )
    assert page.status_code == 200 and "start is after its end" in page.content.decode()
    assert not AuditEvent.objects.filter(action="self_id_read").exists()


@pytest.mark.parametrize("who", ["member", "manager", "staff_reviewer"])
def test_everyone_without_the_permission_is_refused_on_pages_api_and_admin(
    client, who, request, scored_job
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    for name in ("fairness:impact_report", "fairness:impact_summary", "fairness:impact_csv"):
        answer = client.get(reverse(name))
        assert answer.status_code == 403, name
    assert (
        "fairness.read_self_identification"
        in client.get(reverse("fairness:impact_report")).content.decode()
    )
    api = token_client(user)
    assert api.get(reverse("api:adverse-impact")).status_code == 403
    answer = api.post(
        reverse("api:self-identification-import"), [{"resume_id": 1, "sex": "male"}], format="json"
    )
    assert answer.status_code == 403
    if user.is_staff:
        assert (
            client.get(reverse("admin:fairness_selfidentification_changelist")).status_code == 403
        )
        assert "Self-identification" not in client.get(reverse("admin:index")).content.decode()
    assert not AuditEvent.objects.filter(action="self_id_read").exists()
    assert "Adverse impact" not in client.get(reverse("matching:job_list")).content.decode()


def test_signed_out_callers_are_sent_to_log_in(client):
    assert client.get(reverse("fairness:impact_report")).status_code == 302
    assert APIClient().get(reverse("api:adverse-impact")).status_code == 401


def test_the_api_imports_all_or_nothing_and_reports(auditor, scored_job):
    api = token_client(auditor)
    resume = Resume.objects.filter(self_identification__isnull=True).first()
    bad = api.post(
        reverse("api:self-identification-import"),
        [{"resume_id": resume.pk, "sex": "Female"}, {"resume_id": 999999, "sex": "robot"}],
        format="json",
    )
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error["code"] == "invalid_self_identification"
    assert "row 2: no resume with resume_id 999999" in error["message"]
    assert "row 2, sex: 'robot' is not one of Male, Female" in error["message"]
    assert not SelfIdentification.objects.filter(resume=resume).exists()
    good = api.post(
        reverse("api:self-identification-import"),
        [{"sha256": resume.sha256, "sex": "Female", "race_ethnicity": "Hispanic or Latino"}],
        format="json",
    )
    assert good.status_code == 201 and good.json() == {"created": 1, "updated": 0}
    saved = SelfIdentification.objects.get(resume=resume)
    assert (saved.sex, saved.race_ethnicity, saved.source) == (
        "female",
        "hispanic_or_latino",
        "api",
    )
    assert AuditEvent.objects.filter(action="self_id_imported", actor=auditor).exists()
    report = api.get(reverse("api:adverse-impact"), {"job": scored_job.pk}).json()
    assert report["applications"] == 6 and report["with_self_identification"] == 5
    sex = next(b for b in report["breakdowns"] if b["name"] == "Sex")
    assert {r["category"] for r in sex["rows"]} == {"Male", "Female"}


def test_the_command_imports_a_csv_and_names_the_bad_rows(tmp_path, scored_job):
    resume = Resume.objects.filter(self_identification__isnull=True).first()
    survey = tmp_path / "survey.csv"
    survey.write_text(f"resume_id,sex,race_ethnicity\n{resume.pk},female,Asian\nabc,male,\n")
    with pytest.raises(CommandError, match=r"row 3, resume_id: 'abc' is not a number"):
        call_command("import_self_identification", str(survey))
    assert not SelfIdentification.objects.filter(resume=resume).exists()
    survey.write_text(f"resume_id,sex,race_ethnicity,veteran\n{resume.pk},female,Asian,declined\n")
    out = io.StringIO()
    call_command("import_self_identification", str(survey), stdout=out)
    assert "1 added, 0 replaced" in out.getvalue()
    assert SelfIdentification.objects.get(resume=resume).source == "csv:survey.csv"
    survey.write_bytes(b"resume_id,sex\n1,f\xe9minin\n")
    with pytest.raises(CommandError, match="not UTF-8 text"):
        call_command("import_self_identification", str(survey))
    with pytest.raises(CommandError, match=r"missing\.csv"):
        call_command("import_self_identification", str(tmp_path / "missing.csv"))


def test_nothing_a_reviewer_reads_carries_it_and_it_goes_with_the_resume(member_api, scored_job):
    listing = member_api.get(reverse("api:job-ranking", args=[scored_job.pk]))
    assert listing.status_code == 200
    assert "female" not in listing.content.decode().lower()
    assert "self_identification" not in listing.content.decode()
    resume = SelfIdentification.objects.first().resume
    resume.delete()
    assert not SelfIdentification.objects.filter(resume_id=resume.pk).exists()
