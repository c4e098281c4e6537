"""`manage.py status` and GET /api/v1/health/ (issue 19, item 2): what the background work
needs, and a non-zero exit / 503 when an operator must act."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Task

from matching import queue
from matching.models import Resume
from tests.api.helpers import token_client
from tests.factories import JobFactory, ResumeFactory
from training.models import TrainingRun

pytestmark = pytest.mark.django_db


def status(capsys) -> tuple[int, str]:
    try:
        call_command("status")
        code = 0
    except SystemExit as exc:
        code = int(exc.code)
    return code, capsys.readouterr().out


def test_a_healthy_system_exits_0_and_answers_200(capsys, member):
    code, out = status(capsys)
    assert code == 0 and out.rstrip().endswith("OK") and "live model:            pretrained" in out
    response = token_client(member).get("/api/v1/health/")
    assert response.status_code == 200
    assert response.json()["ok"] is True and response.json()["problems"] == []


def test_lost_scoring_failed_tasks_and_dead_runs_need_an_operator(capsys, member):
    JobFactory()
    lost = ResumeFactory()
    Resume.objects.filter(pk=lost.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    ResumeFactory()  # just imported: waiting, not lost
    Task.objects.create(
        id="t1",
        name="score 25 resumes (1..25)",
        func=queue.SCORE_RESUMES,
        started=timezone.now() - timedelta(minutes=3),
        stopped=timezone.now() - timedelta(minutes=2),
        success=False,
        result="Traceback (most recent call last):\n"
        "psycopg.errors.AdminShutdown: terminating connection",
    )
    run = TrainingRun.objects.create(
        status=TrainingRun.Status.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=2)
    )

    code, out = status(capsys)
    assert code == 1
    assert "resumes waiting:       2 (1 lost, 0 given up)" in out
    assert "PROBLEM: 1 resumes unscored for over 10 minutes" in out
    assert "PROBLEM: 1 scoring tasks failed in the last 24 hours, the last: " in out
    assert "AdminShutdown: terminating connection" in out
    assert f"PROBLEM: training runs [{run.pk}] stopped reporting" in out
    response = token_client(member).get("/api/v1/health/")
    assert response.status_code == 503
    body = response.json()
    assert (body["resumes_waiting"], body["resumes_lost"], body["scoring_failed"]) == (2, 1, 1)
    assert body["stale_training_runs"] == [run.pk] and len(body["problems"]) == 3

    call_command("rescore", "--pending")  # what the message suggests
    run.status = TrainingRun.Status.FAILED
    run.save(update_fields=["status"])
    Task.objects.all().delete()
    code, out = status(capsys)
    assert code == 0, out


def test_the_json_output_and_the_endpoint_need_no_more_than_a_sign_in(capsys, client):
    with pytest.raises(SystemExit):
        JobFactory()
        Resume.objects.filter(pk=ResumeFactory().pk).update(
            updated_at=timezone.now() - timedelta(hours=1)
        )
        call_command("status", "--json")
    assert json.loads(capsys.readouterr().out)["resumes_lost"] == 1
    assert client.get("/api/v1/health/").status_code in (401, 403)
