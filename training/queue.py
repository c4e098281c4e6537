"""Queue a training run: the one place that names the task (stored in the broker and in
django_q_schedule, so training.tasks' names never move)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_q.tasks import async_task

from training.models import TrainingRun

RUN_TRAINING = "training.tasks.run_training"
FAIL_STALE_RUNS = "training.tasks.fail_stale_runs"
TRAINING_GROUP = "training"


def enqueue_training_run(run_id: int) -> None:
    """After the commit, queue the run (or run it now with MATCHING_SYNC_TASKS)."""
    if settings.MATCHING_SYNC_TASKS:
        import_string(RUN_TRAINING)(run_id)
        return

    def send() -> None:
        task_id = async_task(
            RUN_TRAINING,
            run_id,
            task_name=f"training run {run_id}",
            group=TRAINING_GROUP,
        )
        TrainingRun.objects.filter(pk=run_id).update(task_id=str(task_id)[:64])

    transaction.on_commit(send)
