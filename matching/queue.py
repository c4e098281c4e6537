"""Queueing the matching app's background work, by the tasks' dotted names.

Queued after the surrounding transaction commits, so a worker never looks for a row the
web request has not committed yet. With MATCHING_SYNC_TASKS they run inline, at once.
The task bodies live in matching.tasks under stable names (they are stored in the broker
and in django_q_schedule); this module imports neither tasks nor services.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_q.tasks import async_task

logger = logging.getLogger(__name__)

SCORE_RESUMES = "matching.tasks.score_resumes"
SCORE_JOB = "matching.tasks.score_job"
RESCORE_ALL = "matching.tasks.rescore_all"
PURGE_EXPIRED_RESUMES = "matching.tasks.purge_expired_resumes"
RECONCILE_SCORING = "matching.tasks.reconcile_scoring"
TASK_NAMES = (SCORE_RESUMES, SCORE_JOB, RESCORE_ALL, PURGE_EXPIRED_RESUMES, RECONCILE_SCORING)

SCORING_GROUP = "scoring"


def enqueue(func: str, *args: object, task_name: str, group: str = SCORING_GROUP) -> None:
    if settings.MATCHING_SYNC_TASKS:
        import_string(func)(*args)
        return

    def send() -> None:
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
        enqueue(
            SCORE_RESUMES,
            chunk,
            task_name=f"score {len(chunk)} resumes ({chunk[0]}..{chunk[-1]})",
            group=group,
        )
    return len(chunks)


def enqueue_score_job(job_id: int) -> None:
    enqueue(SCORE_JOB, job_id, task_name=f"score job {job_id}")


def enqueue_rescore_all() -> None:
    enqueue(RESCORE_ALL, task_name="re-score all pairs")
