"""What the product does after a worker died mid-job, pinned without a cluster: the
second delivery of a task, the stale-run sweep, a scoring pass overtaken by an
activation, and a re-scoring that runs again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from matching import models_store
from matching import tasks as matching_tasks
from matching.models import Pair, ScoringModel
from matching.scoring import activation as scoring_activation
from matching.scoring import services as scoring_services
from tests.factories import JobFactory, ResumeFactory
from training import runs as training_runs
from training import store
from training import tasks as training_tasks
from training.models import TrainingRun

pytestmark = pytest.mark.django_db

Status = TrainingRun.Status


@pytest.mark.parametrize("status", [Status.RUNNING, Status.FAILED, Status.SUCCEEDED])
def test_a_training_task_delivered_again_does_not_run_its_run_a_second_time(status):
    run = TrainingRun.objects.create(status=status, heartbeat_at=timezone.now())

    assert training_tasks.run_training(run.pk) == "skipped"

    run.refresh_from_db()
    assert run.status == status
    assert run.started_at is None


def test_a_training_task_whose_run_was_deleted_does_nothing():
    run = TrainingRun.objects.create()
    run_id = run.pk
    run.delete()
    assert training_tasks.run_training(run_id) == "skipped"


def test_the_stale_run_sweep_removes_a_version_folder_whose_row_never_committed(
    settings, train_model
):
    published = train_model()  # a version folder with its row: kept
    settings.TRAINING_STALE_AFTER_S = 900
    dead = TrainingRun.objects.create(
        status=Status.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    # Killed between the rename to its version folder and the commit of the row.
    orphan = Path(settings.MODELS_STORE_DIR) / models_store.new_version(dead.pk)
    orphan.mkdir(parents=True)
    (orphan / "head.npz").write_bytes(b"complete but unserved")
    (store.start_incoming(dead.pk) / "head.npz").write_bytes(b"half")

    assert training_runs.runs_fail_stale() == 1

    dead.refresh_from_db()
    assert dead.status == Status.FAILED
    assert "not resumed: queue it again" in dead.error
    assert not orphan.exists()
    assert not models_store.incoming_dir(dead.pk).exists()
    assert (Path(settings.MODELS_STORE_DIR) / published.version / "head.npz").is_file()


def test_a_scoring_pass_stops_when_another_model_goes_live_meanwhile(train_model):
    JobFactory.create_batch(4)
    ResumeFactory.create_batch(6)
    scoring_services.pairs_score()
    newer = train_model()
    old = scoring_activation.scoring_model_active()
    activated: list[bool] = []

    def activate_after_the_first_job(done: int, total: int) -> None:
        if not activated:
            activated.append(True)
            # Re-scores every pair inline with `newer` (MATCHING_SYNC_TASKS).
            scoring_activation.scoring_model_activate(model=newer, force=True)

    written = scoring_services.pairs_score(progress=activate_after_the_first_job)

    # The pass that began with the old model wrote its first job and stopped: the rest
    # keep the newer model's scores.
    assert written == 6
    assert old.pk != newer.pk
    assert set(Pair.objects.values_list("scoring_model", flat=True)) == {newer.pk}


def test_a_rescoring_run_again_scores_only_the_jobs_it_had_not_finished(settings, train_model):
    first = JobFactory.create_batch(3)[0]
    ResumeFactory.create_batch(10)
    scoring_services.pairs_score()
    model = train_model()
    settings.MATCHING_SYNC_TASKS = False  # the re-scoring waits in the broker
    scoring_activation.scoring_model_activate(model=model, force=True)
    # The worker wrote the first job, then was killed.
    assert scoring_services.pairs_score(jobs=[first]) == 10
    finished = dict(Pair.objects.filter(job=first).values_list("pk", "scored_at"))

    assert matching_tasks.rescore_all() == 20  # the second delivery of the task
    assert matching_tasks.rescore_all() == 0  # a third finds nothing left

    assert set(Pair.objects.values_list("scoring_model", flat=True)) == {model.pk}
    assert dict(Pair.objects.filter(job=first).values_list("pk", "scored_at")) == finished


def test_activating_the_live_model_again_rescores_every_pair(settings, train_model):
    # The way to finish a killed re-scoring on a broker that does not deliver a task
    # twice (Redis): activate the live version again (admin, API or activate_model).
    JobFactory.create_batch(2)
    ResumeFactory.create_batch(5)
    model = train_model()
    scoring_activation.scoring_model_activate(model=model, force=True)
    scored = dict(Pair.objects.values_list("pk", "scored_at"))
    assert set(Pair.objects.values_list("scoring_model", flat=True)) == {model.pk}

    scoring_activation.scoring_model_activate(model=model, force=True)

    again = dict(Pair.objects.values_list("pk", "scored_at"))
    assert again.keys() == scored.keys()
    assert all(again[pk] > scored[pk] for pk in scored)
    assert ScoringModel.objects.get(is_active=True) == model
