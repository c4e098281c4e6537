"""A training run queued with django-q2 (ORM broker) and trained by a real qcluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_PATH
from tests.qcluster import running_cluster, wait_for
from training import runs as training_runs
from training.models import TrainingRun

# The cluster runs in a subprocess with the real pre-trained model (the suite's fake
# encoder exists only in this process); the task is sent when the run commits, so the
# test needs real transactions.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_queued_run_is_trained_by_a_qcluster_worker(settings):
    settings.MATCHING_SYNC_TASKS = False
    run = training_runs.training_run_create(
        train_file=("training_data.json", SAMPLE_PATH.read_bytes()), enqueue=True
    )
    run.refresh_from_db()
    # Nothing trained in this process: the run waits in the broker.
    assert run.status == TrainingRun.Status.QUEUED
    assert run.task_id

    # The worker must read the uploaded file and write the model where this test looks.
    storage = {
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "MODELS_STORE_DIR": str(settings.MODELS_STORE_DIR),
    }
    with running_cluster(storage) as proc:
        wait_for(
            lambda: TrainingRun.objects.get(pk=run.pk).is_final,
            timeout=400,
            what="the worker to finish the training run",
            proc=proc,
        )

    run.refresh_from_db()
    assert run.status == TrainingRun.Status.SUCCEEDED, run.error
    assert run.progress == 1.0
    assert run.metrics_live["n"] == run.metrics_candidate["n"] > 0
    model = run.output_model
    assert not model.is_active
    folder = Path(settings.MODELS_STORE_DIR) / model.version
    assert (folder / "head.npz").is_file()
    assert (folder / "encoder" / "config.json").is_file()
    meta = json.loads((folder / "training_metadata.json").read_text())
    assert meta["run"] == run.pk
    assert meta["data"]["sources"] == {"file": 63}
    incoming = Path(settings.MODELS_STORE_DIR) / ".incoming"
    assert not incoming.exists() or not any(incoming.iterdir())
