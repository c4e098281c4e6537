"""Human oversight: a lead pauses automated scoring and resumes it, on every surface
(job list buttons, API, command), audited; while paused nothing is scored, the pages
and the health check say so, and resuming scores what waited."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from matching.models import Pair
from matching.scoring import oversight
from matching.scoring import services as scoring_services
from matching.scoring.reconcile import scoring_reconcile
from tests.api.helpers import token_client
from tests.factories import JobFactory, ResumeFactory
from training.health import system_health

pytestmark = pytest.mark.django_db


def _scored() -> int:
    return Pair.objects.filter(score__isnull=False).count()


def test_a_lead_pauses_through_the_api_and_nothing_is_scored_until_resumed(
    manager_api, manager, client
):
    job = JobFactory()
    answer = manager_api.post(
        reverse("api:scoring-pause"), {"reason": "bias review"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["paused"] is True
    assert answer.json()["by"] == manager.username and answer.json()["reason"] == "bias review"
    ResumeFactory.create_batch(3)
    assert scoring_services.pairs_score() == 0 and _scored() == 0
    assert scoring_reconcile(grace_s=0).skipped == "automated scoring is paused"
    score = manager_api.post(
        reverse("api:score"), {"resume_text": "Python", "job_text": "Python"}, format="json"
    )
    assert score.status_code == 409 and score.json()["error"]["code"] == "scoring_paused"

    health = system_health()
    assert "by lena: bias review" in health.scoring_paused
    assert health.resumes_waiting == 3 and health.ok  # waiting on purpose, not a problem

    client.force_login(manager)
    for url in (reverse("matching:job_list"), reverse("matching:job_ranking", args=[job.pk])):
        page = client.get(url).content.decode()
        assert "Automated scoring is paused since" in page and "(bias review)" in page
        assert 'id="resume-scoring"' in page

    resumed = manager_api.post(reverse("api:scoring-resume"))
    assert resumed.json() == {**resumed.json(), "paused": False, "queued": 3}
    assert _scored() == 3  # queued and run (tasks run inline in tests)
    actions = list(
        AuditEvent.objects.filter(action__startswith="scoring_").values_list("action", "details")
    )
    assert actions == [
        ("scoring_resumed", {"queued": 3}),
        ("scoring_paused", {"reason": "bias review"}),
    ]


def test_a_pass_under_way_stops_at_its_next_batch(monkeypatch, manager):
    monkeypatch.setattr(scoring_services, "SCORING_BATCH", 2)
    JobFactory()
    ResumeFactory.create_batch(5)

    def pause_after_first(written: int, total: int) -> None:
        oversight.scoring_pause(actor=manager, reason="")

    assert scoring_services.pairs_score(progress=pause_after_first) == 2
    assert _scored() == 2


def test_the_job_list_buttons_pause_and_resume_for_a_lead_only(client, manager, member):
    client.force_login(manager)
    page = client.get(reverse("matching:job_list")).content.decode()
    assert 'id="pause-scoring"' in page
    client.post(reverse("matching:scoring_pause"), {"reason": "audit"})
    assert oversight.scoring_paused().reason == "audit"
    client.post(reverse("matching:scoring_resume"))
    assert oversight.scoring_paused() is None

    client.force_login(member)
    assert 'id="pause-scoring"' not in client.get(reverse("matching:job_list")).content.decode()
    refused = client.post(reverse("matching:scoring_pause"))
    assert refused.status_code == 403 and "matching.pause_scoring" in refused.content.decode()
    assert oversight.scoring_paused() is None


def test_others_are_refused_by_the_api_and_everyone_signed_in_may_read_the_state(member):
    api = token_client(member)
    assert api.post(reverse("api:scoring-pause"), {}, format="json").status_code == 403
    assert api.post(reverse("api:scoring-resume")).status_code == 403
    assert api.get(reverse("api:scoring-state")).json()["paused"] is False
    assert APIClient().post(reverse("api:scoring-pause")).status_code == 401


def test_the_command_pauses_says_so_and_resumes():
    out = StringIO()
    call_command("pause_scoring", "--reason", "maintenance", stdout=out)
    assert "Automated scoring is paused since" in out.getvalue()
    call_command("pause_scoring", "--status", stdout=out)
    assert out.getvalue().count("(maintenance)") == 2
    call_command("pause_scoring", "--resume", stdout=out)
    assert "Automated scoring runs; 0 resumes queued" in out.getvalue()
    assert oversight.scoring_paused() is None
