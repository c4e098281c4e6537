"""django-q2 tasks of the training app: thin, they take ids and call training.runs.

These dotted names (training.tasks.run_training, training.tasks.fail_stale_runs) are stored
in the broker's queued tasks and in django_q_schedule, so they never move; training.queue
enqueues them by name.

Training runs go to their own group; the cluster's timeout (Q_TIMEOUT) bounds a run and
retry exceeds it, so a run is never handed to a second worker while the first still
works. A worker killed mid-run leaves the run `running`; runs_fail_stale (scheduled)
marks it failed. A run is executed at most once: when django-q2 hands the task out
again (the ORM broker does after Q_RETRY when its worker died without a result), the
run is no longer queued and the task does nothing (docs/reliability.md).
"""

from __future__ import annotations

import logging

from training.errors import InvalidTransition
from training.models import TrainingRun
from training.runs import runs_fail_stale, training_run_execute

logger = logging.getLogger(__name__)


def run_training(run_id: int) -> str:
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
    return runs_fail_stale()
