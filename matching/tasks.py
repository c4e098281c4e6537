"""django-q2 tasks of the matching app: thin, they take ids and call services.

Queued after the surrounding transaction commits, so a worker never looks for a row the
web request has not committed yet. With MATCHING_SYNC_TASKS they run inline, at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

SCORING_GROUP = "scoring"


def _enqueue(func: str, *args, task_name: str, group: str = SCORING_GROUP) -> None:
    if settings.MATCHING_SYNC_TASKS:
        from django.utils.module_loading import import_string

        import_string(func)(*args)
        return

    def send() -> None:
        from django_q.tasks import async_task

        async_task(func, *args, task_name=task_name[:100], group=group[:100])

    transaction.on_commit(send)


def enqueue_score_resumes(resume_ids: Iterable[int], *, group: str = SCORING_GROUP) -> int:
    """Queue the scoring of resumes as tasks of IMPORT_BATCH_SIZE resumes each; returns
    how many tasks. Embedding dominates the work, so chunks let every worker of every
    cluster take a share of a bulk upload instead of one worker doing it all."""
    ids = list(resume_ids)
    size = settings.IMPORT_BATCH_SIZE
    chunks = [ids[start : start + size] for start in range(0, len(ids), size)]
    for chunk in chunks:
        _enqueue(
            "matching.tasks.score_resumes",
            chunk,
            task_name=f"score {len(chunk)} resumes ({chunk[0]}..{chunk[-1]})",
            group=group,
        )
    return len(chunks)


def enqueue_score_job(job_id: int) -> None:
    _enqueue("matching.tasks.score_job", job_id, task_name=f"score job {job_id}")


def enqueue_rescore_all() -> None:
    _enqueue("matching.tasks.rescore_all", task_name="re-score all pairs")


def score_resumes(resume_ids: list[int]) -> int:
    from matching.services import pairs_score

    n = pairs_score(resume_ids=resume_ids)
    logger.info("scored %d pairs for %d resumes", n, len(resume_ids))
    return n


def score_job(job_id: int) -> int:
    from matching.models import Job
    from matching.services import pairs_score

    job = Job.objects.filter(pk=job_id, is_open=True).first()
    if job is None:
        return 0
    return pairs_score(jobs=[job])


def rescore_all() -> int:
    """After an activation. Resumable: run again after its worker died (django-q2's ORM
    broker hands the task out again after Q_RETRY), it scores only the jobs not done."""
    from matching.services import pairs_rescore

    return pairs_rescore()
