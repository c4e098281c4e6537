"""django-q2 tasks of the training app: thin, they take ids and call services.

Training runs go to their own group; the cluster's timeout (Q_TIMEOUT) bounds a run and
retry exceeds it, so a run is never handed to a second worker while the first still
works. A worker killed mid-run leaves the run `running`; runs_fail_stale (scheduled)
marks it failed. A run is executed at most once: when django-q2 hands the task out
again (the ORM broker does after Q_RETRY when its worker died without a result), the
run is no longer queued and the task does nothing (docs/reliability.md).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_training_run(run_id: int) -> None:
    if settings.MATCHING_SYNC_TASKS:
        run_training(run_id)
        return

    def send() -> None:
        from django_q.tasks import async_task

        from training.models import TrainingRun

        task_id = async_task(
            "training.tasks.run_training",
            run_id,
            task_name=f"training run {run_id}",
            group="training",
        )
        TrainingRun.objects.filter(pk=run_id).update(task_id=str(task_id)[:64])

    transaction.on_commit(send)


def run_training(run_id: int) -> str:
    from training.models import TrainingRun
    from training.services import InvalidTransition, training_run_execute

    try:
        return training_run_execute(run_id).status
    except TrainingRun.DoesNotExist:
        return "skipped"  # deleted while it waited in the queue
    except InvalidTransition as exc:
        # Started before (its worker died, or a second delivery of the task) or cancelled:
        # the queued -> running transition, taken under a row lock, refuses a second start.
        logger.warning("training run %s not started: %s", run_id, exc)
        return "skipped"


def fail_stale_runs() -> int:
    from training.services import runs_fail_stale

    return runs_fail_stale()
