"""A real qcluster killed (SIGKILL, whole process group) in the middle of a training run.

What the product promises (docs/reliability.md): the run ends failed with a clear reason
and is not resumed (queue it again); the live model is unchanged, no ScoringModel row
appears, models_store keeps no folder of the run; when django-q2 hands the killed task
out again it does nothing; and a new cluster trains the next run normally.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django_q.models import Task

from matching import models_store
from matching.models import ScoringModel
from matching.scoring.activation import scoring_model_active
from tests.conftest import SAMPLE_PATH
from tests.qcluster import kill_cluster, running_cluster, wait_for
from training import runs as training_runs
from training.models import TrainingRun

# The cluster runs in a subprocess with the real pre-trained model (the suite's fake
# encoder exists only in this process), and tasks are sent when the run commits: real
# transactions are needed.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# The ORM broker locks a task it hands out for Q_RETRY seconds, then hands it out again
# if no result came. Short here, so the next cluster gets the killed task within the
# test; Q_TIMEOUT only has to outlast the seconds before the kill.
KILLED_CLUSTER = {"Q_TIMEOUT": "60", "Q_RETRY": "61"}


def _versions(store_dir: Path) -> list[str]:
    if not store_dir.exists():
        return []
    return sorted(p.name for p in store_dir.iterdir() if not p.name.startswith("."))


def _is_fine_tuning(run_id: int) -> bool:
    run = TrainingRun.objects.get(pk=run_id)
    return run.stage == "fine-tuning the transformer" or 0.35 <= run.progress < 0.85


def test_a_training_run_whose_cluster_is_killed_fails_and_changes_nothing_live(settings):
    settings.MATCHING_SYNC_TASKS = False
    live = scoring_model_active()
    store_dir = Path(settings.MODELS_STORE_DIR)
    storage = {"MEDIA_ROOT": str(settings.MEDIA_ROOT), "MODELS_STORE_DIR": str(store_dir)}
    sample = ("training_data.json", SAMPLE_PATH.read_bytes())
    # Full fine-tune (one small epoch): seconds of writing into the incoming folder, and
    # a run that would make its model live if it finished.
    run = training_runs.training_run_create(
        train_file=sample,
        mode="full",
        epochs=1,
        batch_size=8,
        force=True,
        activate=True,
        activate_if_worse=True,
    )
    run.refresh_from_db()
    killed_task = run.task_id

    with running_cluster({**storage, **KILLED_CLUSTER}) as proc:
        wait_for(
            lambda: _is_fine_tuning(run.pk),
            timeout=300,
            what="the worker to start fine-tuning",
            proc=proc,
            interval=0.2,
        )
        kill_cluster(proc)

    run.refresh_from_db()
    assert run.status == TrainingRun.Status.RUNNING  # nobody was left to report
    assert models_store.incoming_dir(run.pk).is_dir()  # the half-written folder it left
    assert list(ScoringModel.objects.all()) == [live]
    assert ScoringModel.objects.get(is_active=True) == live
    assert _versions(store_dir) == []

    # The stale-run sweep (scheduled every 5 minutes, and run by the admin and the API
    # when they list runs): its heartbeat is older than the limit.
    settings.TRAINING_STALE_AFTER_S = 0
    assert training_runs.runs_fail_stale() == 1
    run.refresh_from_db()
    assert run.status == TrainingRun.Status.FAILED
    assert "The worker stopped reporting at" in run.error
    assert "The live model is unchanged" in run.error
    assert run.output_model is None
    assert not models_store.incoming_dir(run.pk).exists()

    # A new cluster: it is handed the killed task again once Q_RETRY has passed and does
    # nothing with it, and it trains the next run.
    second = training_runs.training_run_create(train_file=sample, force=True)
    with running_cluster(storage) as proc:
        wait_for(
            lambda: (
                TrainingRun.objects.get(pk=second.pk).is_final
                and Task.objects.filter(id=killed_task).exists()
            ),
            timeout=400,
            what="the next run and the killed task's second delivery",
            proc=proc,
        )

    second.refresh_from_db()
    assert second.status == TrainingRun.Status.SUCCEEDED, second.error
    assert Task.objects.get(id=killed_task).result == "skipped"
    run.refresh_from_db()
    assert run.status == TrainingRun.Status.FAILED
    assert ScoringModel.objects.get(is_active=True) == live
    assert _versions(store_dir) == [second.output_model.version]
    assert not any((store_dir / ".incoming").iterdir())
