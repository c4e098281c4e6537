"""The audit log's retention (AUDIT_RETENTION_DAYS, never below 183 days), its JSON-lines
export (command and admin), and what a rating's event says the reviewer was shown."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule

from audit.models import AuditEvent
from audit.services import Target, audit_purge_expired, audit_record
from matching.models import Rating
from matching.review import ratings as review_ratings
from matching.scoring.activation import scoring_model_active
from resumeproject.env import env_int
from tests.factories import JobFactory, PairFactory, ResumeFactory

pytestmark = pytest.mark.django_db

PURGE = "audit.tasks.purge_expired_audit_events"


def _event_days_ago(days: int, label: str) -> AuditEvent:
    event = audit_record(actor=None, action="purged", target=Target("x.y", "1", label))
    AuditEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(days=days))
    return event


def test_the_daily_schedule_drops_events_past_retention_and_records_it(settings):
    settings.AUDIT_RETENTION_DAYS = 200
    old, kept = _event_days_ago(201, "old"), _event_days_ago(199, "kept")
    assert Schedule.objects.filter(func=PURGE, schedule_type=Schedule.DAILY).exists()
    assert import_string(PURGE)() == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    record = AuditEvent.objects.get(action="audit_purged")
    assert record.details["events"] == 1 and record.details["days"] == 200
    assert import_string(PURGE)() == 0  # nothing more: no second record
    assert AuditEvent.objects.filter(action="audit_purged").count() == 1


def test_retention_below_six_months_is_refused(monkeypatch):
    with pytest.raises(ValueError, match="at least 183 days"):
        audit_purge_expired(days=90)
    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "90")
    with pytest.raises(ImproperlyConfigured, match="AUDIT_RETENTION_DAYS must be at least 183"):
        env_int("AUDIT_RETENTION_DAYS", 365, minimum=183)


def test_the_export_is_json_lines_oldest_first_for_a_period(tmp_path):
    _event_days_ago(10, "ten days ago")
    _event_days_ago(3, "three days ago")
    out = StringIO()
    call_command("export_audit_log", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e["target_label"] for e in lines] == ["ten days ago", "three days ago"]
    assert set(lines[0]) == {
        "id",
        "at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "details",
    }
    since = (timezone.now() - timedelta(days=5)).date().isoformat()
    target = tmp_path / "log.jsonl"
    call_command("export_audit_log", "--since", since, "--output", str(target), stderr=StringIO())
    assert [json.loads(x)["target_label"] for x in target.read_text().splitlines()] == [
        "three days ago"
    ]
    with pytest.raises(CommandError, match="is not a date"):
        call_command("export_audit_log", "--since", "last week")


def test_the_admin_export_needs_the_view_permission(reviewer, staff_rater):
    _event_days_ago(1, "yesterday")
    url = reverse("admin:audit_auditevent_export")
    lead = Client()
    lead.force_login(reviewer)
    assert b"Export as JSON lines" in lead.get(reverse("admin:audit_auditevent_changelist")).content
    answer = lead.get(url)
    assert answer["Content-Type"] == "application/x-ndjson"
    assert b'"target_label": "yesterday"' in b"".join(answer.streaming_content)
    assert lead.get(url, {"since": "soon"}).status_code == 400
    rater = Client()
    rater.force_login(staff_rater)
    assert rater.get(url).status_code == 403


def test_a_ratings_event_says_which_model_score_the_reviewer_was_shown(member, settings):
    settings.BLIND_RATING = True
    model = scoring_model_active()
    pair = PairFactory(resume=ResumeFactory(), job=JobFactory(), score=0.64, scoring_model=model)
    review_ratings.rating_submit(pair=pair, reviewer=member, score=0.5, source=Rating.Source.QUEUE)
    review_ratings.rating_submit(pair=pair, reviewer=member, score=0.6, source=Rating.Source.QUEUE)
    first, again = AuditEvent.objects.filter(action="rated").order_by("pk")
    assert first.details["model_version"] == model.version
    assert first.details["model_score"] == 0.64
    assert first.details["model_score_shown"] is False  # blind: hidden until rated
    assert again.details["model_score_shown"] is True  # re-rating, after the reveal
    settings.BLIND_RATING = False
    other = PairFactory(score=0.3, scoring_model=model)
    review_ratings.rating_submit(pair=other, reviewer=member, score=0.2, source=Rating.Source.QUEUE)
    assert (
        AuditEvent.objects.filter(action="rated").latest("pk").details["model_score_shown"] is True
    )
    review_ratings.rating_create(pair=other, score=0.9, source=Rating.Source.IMPORT)
    assert (
        AuditEvent.objects.filter(action="rated").latest("pk").details["model_score_shown"] is None
    )
