"""Fixtures of the fault and concurrency tests; each says what it is for."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from matching.models import ScoringModel
from tests.conftest import SAMPLE_PATH
from training import runs as training_runs
from training.models import TrainingRun


@pytest.fixture
def train_model() -> Callable[[], ScoringModel]:
    """Trains a fast head on the shipped sample, inline, and returns its (inactive)
    ScoringModel: a real model folder that activation can load and workers can serve.
    In a unit test the head learns on the fake encoder's vectors."""

    def train() -> ScoringModel:
        run = training_runs.training_run_create(
            train_file=("training_data.json", SAMPLE_PATH.read_bytes()), enqueue=False
        )
        run = training_runs.training_run_execute(run.pk)
        assert run.status == TrainingRun.Status.SUCCEEDED, run.error
        return run.output_model

    return train
