"""django-q2 tasks of the training app: thin, they take ids and call services.

Training runs go to their own group; the cluster's timeout (Q_TIMEOUT) bounds a run and
retry exceeds it, so a run is never handed to a second worker while the first still
works. A worker killed mid-run leaves the run `running`; runs_fail_stale (scheduled)
marks it failed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction


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
    from training.services import training_run_execute

    if TrainingRun.objects.filter(pk=run_id, status=TrainingRun.Status.QUEUED).exists():
        return training_run_execute(run_id).status
    return "skipped"


def fail_stale_runs() -> int:
    from training.services import runs_fail_stale

    return runs_fail_stale()
