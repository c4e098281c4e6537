"""django-q2 tasks of the matching app: thin, they take ids and call services.

These dotted names (matching.tasks.score_resumes, score_job, rescore_all and
purge_expired_resumes) are stored in the broker's queued tasks and in django_q_schedule,
so they never move: code elsewhere may move freely behind them. matching.queue enqueues
them by these names, after the surrounding transaction commits.
"""

from __future__ import annotations

import logging

from matching.intake.erasure import PurgeResult, resumes_purge_expired
from matching.models import Job
from matching.scoring.services import pairs_rescore, pairs_score

logger = logging.getLogger(__name__)


def score_resumes(resume_ids: list[int]) -> int:
    n = pairs_score(resume_ids=resume_ids)
    logger.info("scored %d pairs for %d resumes", n, len(resume_ids))
    return n


def score_job(job_id: int) -> int:
    job = Job.objects.filter(pk=job_id, is_open=True).first()
    if job is None:
        return 0
    return pairs_score(jobs=[job])


def rescore_all() -> int:
    """After an activation. Resumable: run again after its worker died (django-q2's ORM
    broker hands the task out again after Q_RETRY), it scores only the jobs not done."""
    return pairs_rescore()


def purge_expired_resumes() -> PurgeResult:
    """The daily retention schedule (migration 0004 created it under the old name
    matching.intake.erasure.resumes_purge_expired; migration 0007 points it here)."""
    return resumes_purge_expired()
