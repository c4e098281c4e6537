"""Fixtures of the access, erasure, retention, audit and outage tests; each says what it
is for. The root conftest gives `reviewer` (a staff superuser: the team lead)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission

from tests.conftest import rated_on_job_scales


@pytest.fixture
def staff_rater(django_user_model):
    """Staff with the admin permissions a reviewer needs to rate pairs (and nothing about
    training or models): reaches the admin, but must not train or activate there."""
    user = django_user_model.objects.create_user(
        username="sam", password="pw-sam-2026", is_staff=True
    )
    codenames = ["view_pair", "add_rating", "view_rating", "change_rating", "view_resume"]
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="matching", codename__in=codenames)
    )
    return user


@pytest.fixture
def trained_model():
    """A custom model trained (fast, inline) on the shipped sample rated on per-job scales
    (tests/conftest.py: rated_on_job_scales), so the gate calls it better; not live yet."""
    from pathlib import Path

    from training import runs as training_runs
    from training.models import TrainingRun

    sample = Path(__file__).resolve().parents[2] / "training" / "sample" / "training_data.json"
    raw = json.dumps(rated_on_job_scales(json.loads(sample.read_bytes()))).encode()
    run = training_runs.training_run_create(
        train_file=("train.json", raw), validation_file=("validation.json", raw), enqueue=False
    )
    run = training_runs.training_run_execute(run.pk)
    assert run.status == TrainingRun.Status.SUCCEEDED, run.error
    return run.output_model


@pytest.fixture
def queue_only_settings(settings):
    """Runs are queued as in production (after the commit, which never comes in a test's
    transaction) instead of executed inline: a queued run stays queued."""
    settings.MATCHING_SYNC_TASKS = False
