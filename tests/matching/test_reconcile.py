"""Scoring converges (issue 19, item 1): resumes whose scoring task was lost are found in
the database and queued again; what is scored or still young is left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import Task
from django_q.tasks import async_task

from matching import queue
from matching.models import Pair, Resume
from matching.scoring import activation as scoring_activation
from matching.scoring.judgments import pairs_judge
from matching.scoring.reconcile import (
    SCORING_MAX_REQUEUES,
    resumes_given_up,
    resumes_unscored,
    scoring_reconcile,
)
from matching.scoring.services import pairs_score
from tests.factories import JobFactory, ResumeFactory, ScoringModelFactory
from training.health import system_health

pytestmark = pytest.mark.django_db


def lost(n: int = 1) -> list[Resume]:
    """Resumes imported 20 minutes ago whose scoring task never ran (a killed worker)."""
    resumes = ResumeFactory.create_batch(n)
    Resume.objects.filter(pk__in=[r.pk for r in resumes]).update(
        updated_at=timezone.now() - timedelta(minutes=20)
    )
    return resumes


@pytest.fixture
def jobs():
    jobs = JobFactory.create_batch(2)
    # Activated long ago: no re-scoring after an activation is under way.
    model = scoring_activation.scoring_model_active()
    type(model).objects.filter(pk=model.pk).update(activated_at=timezone.now() - timedelta(hours=1))
    return jobs


def test_a_lost_resume_is_queued_again_and_scored_against_every_open_job(jobs):
    [resume] = lost()
    assert resumes_unscored() == [resume.pk]
    result = scoring_reconcile()
    assert result.queued == 1 and not result.skipped
    assert Pair.objects.filter(resume=resume, score__isnull=False).count() == 2
    assert resumes_unscored() == []
    assert scoring_reconcile().queued == 0  # nothing left: nothing queued, nothing written


def test_a_resume_scored_against_one_of_two_jobs_is_queued_again(jobs):
    [resume] = lost()
    pairs_score(jobs=[jobs[0]], resume_ids=[resume.pk])
    assert resumes_unscored() == [resume.pk]
    assert scoring_reconcile().queued == 1
    assert {p.job_id for p in Pair.objects.filter(resume=resume)} == {j.pk for j in jobs}


def test_a_young_resume_is_left_to_its_own_task(jobs, settings):
    young = ResumeFactory()
    assert scoring_reconcile().queued == 0
    assert not Pair.objects.filter(resume=young).exists()
    settings.SCORING_RECONCILE_GRACE_S = 60
    Resume.objects.filter(pk=young.pk).update(updated_at=timezone.now() - timedelta(seconds=90))
    assert scoring_reconcile().queued == 1


def test_nothing_is_queued_while_the_broker_holds_tasks_or_a_model_just_went_live(jobs, settings):
    [resume] = lost()
    settings.MATCHING_SYNC_TASKS = False
    async_task("matching.tasks.score_job", jobs[0].pk)  # a task still waiting its turn
    assert get_broker().queue_size() == 1
    assert scoring_reconcile().skipped == "tasks are still queued"
    get_broker().purge_queue()
    settings.MATCHING_SYNC_TASKS = True
    model = scoring_activation.scoring_model_active()
    other = ScoringModelFactory(version="before", is_active=False)
    pairs_score(jobs=[jobs[1]], resume_ids=[ResumeFactory().pk])
    Pair.objects.update(scoring_model=other)  # scored by the model live before
    type(model).objects.filter(pk=model.pk).update(activated_at=timezone.now())
    assert "went live recently" in scoring_reconcile().skipped
    assert not Pair.objects.filter(resume=resume).exists()


def test_a_fresh_installation_whose_first_tasks_were_lost_is_scored_at_once(settings):
    # No model row yet: the first scoring would have made the pre-trained one live.
    JobFactory()
    [resume] = lost()
    assert scoring_reconcile().queued == 1
    assert Pair.objects.filter(resume=resume, score__isnull=False).count() == 1


def test_the_rescore_command_scores_what_is_pending_now(jobs, capsys):
    lost(3)
    fresh = ResumeFactory()  # the command does not wait for a grace period
    call_command("rescore", "--pending")
    assert "Scored 8 pairs of 4 resumes" in capsys.readouterr().out
    assert Pair.objects.filter(resume=fresh).count() == 2
    call_command("rescore", "--pending")
    assert "Nothing to score" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("rescore")  # one of --pending, --all


def test_the_progress_panel_and_its_json_say_what_failed_and_when_it_is_retried(
    client, reviewer, jobs
):
    lost()
    Task.objects.create(
        id="t1",
        name="score 1 resumes",
        func="matching.tasks.score_resumes",
        started=timezone.now() - timedelta(minutes=2),
        stopped=timezone.now() - timedelta(minutes=1),
        success=False,
        result="Traceback (most recent call last):\nOperationalError: server closed the connection",
    )
    client.force_login(reviewer)
    html = client.get("/review/").content.decode()
    panel = html.split('id="scoring-failures"')[1].split("</span>")[0]
    assert "1 scoring task failed in the last 24 hours" in panel
    assert "last error: OperationalError: server closed the connection" in panel
    assert "queued again within 16 minutes" in panel  # 10 + 5 + ½, rounded up
    progress = client.get("/review/progress.json").json()
    assert (progress["failed"], progress["pending"]) == (1, True)
    assert progress["last_error"] == "OperationalError: server closed the connection"


def test_a_resume_scored_but_not_judged_is_queued_again(jobs):
    # A worker killed between scoring and judging: the scores are there, the verdicts not.
    [resume] = lost()
    pairs_score(resume_ids=[resume.pk])
    Pair.objects.filter(resume=resume).update(verdicts_key="", verdicts=[])
    assert resumes_unscored() == [resume.pk]
    assert scoring_reconcile().queued == 1
    assert not Pair.objects.filter(resume=resume, verdicts_key="").exists()


def test_retries_back_off_and_stop_after_the_limit_leaving_it_to_an_operator(
    jobs, settings, monkeypatch
):
    settings.SCORING_RECONCILE_GRACE_S = 600
    [resume] = lost()
    # Its scoring fails every time (a resume that kills its worker): nothing gets written.
    monkeypatch.setattr(queue, "enqueue_score_resumes", lambda ids, **kw: len(ids))
    now = timezone.now()
    retries_at = []
    for _ in range(SCORING_MAX_REQUEUES):
        assert scoring_reconcile().queued == 1
        assert scoring_reconcile().queued == 0  # not again before its time
        resume.refresh_from_db()
        retries_at.append(resume.scoring_retry_at)
        Resume.objects.filter(pk=resume.pk).update(scoring_retry_at=now)  # time passes
    waits = [round((at - now).total_seconds() / 600) for at in retries_at]
    assert waits == [2, 4, 8, 16, 32]  # 2**k grace periods after the k-th retry
    assert scoring_reconcile().queued == 0  # the limit: left to an operator
    assert list(resumes_given_up()) == [resume]
    health = system_health()
    assert health.resumes_given_up == 1 and not health.ok
    assert "retries have stopped" in " ".join(health.problems)
    # The operator scores it; the next reconciliation forgets its retries.
    call_command("rescore", "--pending")
    scoring_reconcile()
    resume.refresh_from_db()
    assert (resume.scoring_requeues, resume.scoring_retry_at) == (0, None)


def test_the_resume_admin_filters_resumes_waiting_lost_and_given_up(admin_client, jobs):
    [lost_one] = lost()
    [given_up] = lost()
    Resume.objects.filter(pk=given_up.pk).update(scoring_requeues=SCORING_MAX_REQUEUES)
    young = ResumeFactory()
    scored = ResumeFactory()
    pairs_score(resume_ids=[scored.pk])
    pairs_judge(resume_ids=[scored.pk])

    def listed(choice: str) -> set[str]:
        html = admin_client.get(f"/admin/matching/resume/?scoring={choice}").content.decode()
        names = [r.original_name for r in (lost_one, given_up, young, scored)]
        return {name for name in names if f">{name}<" in html}

    assert listed("waiting") == {
        lost_one.original_name,
        given_up.original_name,
        young.original_name,
    }
    assert listed("lost") == {lost_one.original_name, given_up.original_name}
    assert listed("given_up") == {given_up.original_name}


def test_a_lost_rescoring_after_an_activation_is_finished_once_the_activation_is_old(jobs):
    # The Redis broker never hands a killed re-scoring out again: its resumes keep the
    # scores of the model live before, past the grace period.
    [resume] = lost()
    pairs_score(resume_ids=[resume.pk])  # freezes the live model's corpus statistics
    live = scoring_activation.scoring_model_active()
    type(live).objects.filter(pk=live.pk).update(corpus_at=timezone.now() - timedelta(hours=1))
    Pair.objects.update(scoring_model=ScoringModelFactory(version="before", is_active=False))
    assert resumes_unscored() == [resume.pk]
    assert scoring_reconcile().queued == 1
    assert set(Pair.objects.values_list("scoring_model", flat=True)) == {live.pk}
