"""Retention: resumes older than RESUME_RETENTION_DAYS are erased every day (a django-q2
schedule) or by `manage.py purge_resumes`, through the same erasure as a deletion."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule

from audit.models import AuditEvent
from matching.intake.erasure import resumes_purge_expired
from matching.models import Resume
from tests.factories import ResumeFactory
from training.labels import feedback_collect
from training.models import LabeledExample

pytestmark = pytest.mark.django_db

PURGE = "matching.tasks.purge_expired_resumes"


def uploaded_days_ago(days: int, **fields) -> Resume:
    resume = ResumeFactory(**fields)
    Resume.objects.filter(pk=resume.pk).update(created_at=timezone.now() - timedelta(days=days))
    return resume


@pytest.fixture
def old_and_new():
    """A resume uploaded 40 days ago (with a feedback label of its text) and one of 5 days."""
    old = uploaded_days_ago(40, text="Old candidate. Welder, 12 years, TIG and MIG.")
    feedback_collect(
        resume_text=old.text, job_description="Welder", predicted_score=None, actual_score=0.9
    )
    new = uploaded_days_ago(5)
    return old, new


def test_resumes_older_than_the_retention_period_are_erased_with_their_training_copies(
    old_and_new,
):
    old, new = old_and_new
    result = resumes_purge_expired(days=30)
    assert result.resume_ids == [old.pk]
    assert list(Resume.objects.values_list("pk", flat=True)) == [new.pk]
    assert not LabeledExample.objects.filter(resume_sha256=old.text_sha256).exists()
    deleted = AuditEvent.objects.get(action="deleted_resume")
    assert deleted.actor is None and deleted.details["reason"] == "retention (30 days)"
    purged = AuditEvent.objects.get(action="purged")
    assert purged.actor is None and purged.details["resumes"] == [old.pk]


def test_the_setting_decides_and_zero_keeps_everything(old_and_new, settings):
    settings.RESUME_RETENTION_DAYS = 0
    assert resumes_purge_expired().resume_ids == []
    assert Resume.objects.count() == 2
    settings.RESUME_RETENTION_DAYS = 3
    assert len(resumes_purge_expired().resume_ids) == 2
    assert not Resume.objects.exists()


def test_a_dry_run_names_the_expired_resumes_and_erases_nothing(old_and_new):
    old, _ = old_and_new
    assert resumes_purge_expired(days=30, dry_run=True).resume_ids == [old.pk]
    assert Resume.objects.count() == 2
    assert not AuditEvent.objects.filter(action__in=["purged", "deleted_resume"]).exists()


def test_the_command_purges_and_its_dry_run_only_counts(old_and_new, settings):
    settings.RESUME_RETENTION_DAYS = 30
    out = StringIO()
    call_command("purge_resumes", "--dry-run", stdout=out)
    assert "1 resume(s) uploaded before" in out.getvalue() and "would be erased" in out.getvalue()
    assert Resume.objects.count() == 2
    out = StringIO()
    call_command("purge_resumes", stdout=out)
    assert "1 resume(s) uploaded before" in out.getvalue() and "erased." in out.getvalue()
    assert Resume.objects.count() == 1


def test_the_command_says_so_when_retention_is_off(old_and_new, settings):
    settings.RESUME_RETENTION_DAYS = 0
    out = StringIO()
    call_command("purge_resumes", stdout=out)
    assert "kept forever" in out.getvalue()
    assert Resume.objects.count() == 2


def test_a_daily_schedule_runs_the_purge(old_and_new, settings):
    """Created by matching's migration 0004; django-q2 calls the function with no arguments."""
    schedule = Schedule.objects.get(func=PURGE)
    assert schedule.schedule_type == Schedule.DAILY
    settings.RESUME_RETENTION_DAYS = 30
    assert len(import_string(schedule.func)().resume_ids) == 1
    assert Resume.objects.count() == 1
