"""Fixtures of the training tests: the sample file, example lists and finished runs.

MODELS_STORE_DIR and MEDIA_ROOT are already a fresh temporary folder per test, and the
cache of loaded heads is emptied (tests/conftest.py: _isolated_storage, _fresh_head_cache),
so every model folder a test writes is its own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from training import runs as training_runs
from training.models import TrainingRun


@pytest.fixture
def inverted_rows(sample_rows) -> list[dict]:
    """The sample with every score flipped (1 - score): a model trained on it ranks the
    sample's own pairs backwards, so it measures worse than the live model."""
    return [{**row, "score": round(1.0 - row["score"], 2)} for row in sample_rows]


@pytest.fixture
def write_json(tmp_path) -> Callable[[str, object], Path]:
    """Writes JSON to a file in the test's temporary folder and returns its path."""

    def write(name: str, data: object) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(data))
        return path

    return write


@pytest.fixture
def run_training() -> Callable[..., TrainingRun]:
    """Creates a run from example lists (the notes' format) and executes it inline.

    `validation=None` lets the run hold out 20% of the resumes itself.
    """

    def run(train: list[dict], validation: list[dict] | None = None, **options) -> TrainingRun:
        created = training_runs.training_run_create(
            train_file=("train.json", json.dumps(train).encode()),
            validation_file=None
            if validation is None
            else ("validation.json", json.dumps(validation).encode()),
            enqueue=False,
            **options,
        )
        return training_runs.training_run_execute(created.pk)

    return run


@pytest.fixture
def better_run(run_training, better_rows) -> TrainingRun:
    """A finished run whose candidate beats the live model on the validation set."""
    run = run_training(better_rows, better_rows)
    assert run.status == TrainingRun.Status.SUCCEEDED, run.error
    assert run.output_model.metrics["better_than_live"] is True
    return run


@pytest.fixture
def worse_run(run_training, inverted_rows, sample_rows) -> TrainingRun:
    """A finished run whose candidate is worse than the live model on the validation set."""
    run = run_training(inverted_rows, sample_rows)
    assert run.status == TrainingRun.Status.SUCCEEDED, run.error
    assert run.output_model.metrics["better_than_live"] is False
    return run
