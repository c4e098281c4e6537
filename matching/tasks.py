"""django-q2 tasks of the matching app: thin, they take ids and call services.

These dotted names (matching.tasks.score_resumes, score_job, rescore_all,
reconcile_scoring and purge_expired_resumes) are stored in the broker's queued tasks and
in django_q_schedule, so they never move: code elsewhere may move freely behind them.
matching.queue enqueues them by these names, after the surrounding transaction commits.
"""

from __future__ import annotations

import logging

from matching.intake.erasure import PurgeResult, resumes_purge_expired
from matching.models import Job
from matching.scoring.reconcile import scoring_reconcile
from matching.scoring.services import pairs_judge_rescore, pairs_rescore, pairs_score_judged

logger = logging.getLogger(__name__)


def score_resumes(resume_ids: list[int]) -> int:
    """Score new resumes against the open jobs and judge their requirements."""
    n, judged = pairs_score_judged(resume_ids=resume_ids)
    logger.info("scored %d pairs for %d resumes, judged %d", n, len(resume_ids), judged)
    return n


def score_job(job_id: int) -> int:
    """Score a new or changed job against every resume and judge its requirements (only
    pairs whose requirements or resume changed are judged again)."""
    job = Job.objects.filter(pk=job_id, is_open=True).first()
    if job is None:
        return 0
    return pairs_score_judged(jobs=[job])[0]


def rescore_all() -> int:
    """After an activation. Resumable: run again after its worker died (django-q2's ORM
    broker hands the task out again after Q_RETRY), it scores only the jobs not done.
    Pairs judged on older rules (an upgrade) are judged again, and scored again where
    their verdicts move the score."""
    n = pairs_rescore()
    pairs_judge_rescore(jobs=list(Job.objects.filter(is_open=True)))
    return n


def reconcile_scoring() -> int:
    """Every 5 minutes (migration 0014): queue again the resumes whose scoring was lost."""
    return scoring_reconcile().queued


def purge_expired_resumes() -> PurgeResult:
    """The daily retention schedule (migration 0004 created it under the old name
    matching.intake.erasure.resumes_purge_expired; migration 0007 points it here)."""
    return resumes_purge_expired()
