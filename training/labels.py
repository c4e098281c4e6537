"""Labels that train models: feedback, imported examples, and the retraining rule.

A new label (a Rating or a LabeledExample, saved one by one) asks the rule once its
transaction commits; a bulk import asks once for the batch. With RETRAIN_AUTO the rule
(training.selectors.retrain_status) queues a run from the database's labels.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model

from matching.texts import resume_text_key
from training.datasets import Example
from training.models import LabeledExample
from training.runs import training_run_create
from training.selectors import retrain_status

logger = logging.getLogger(__name__)


def feedback_collect(
    *,
    resume_text: str,
    job_description: str,
    predicted_score: float | None,
    actual_score: float,
    user: User | None = None,
    origin: str = "",
) -> LabeledExample:
    """A reviewer's or client's correction of a score (the notes' collect_feedback)."""
    for name, value in (("actual_score", actual_score), ("predicted_score", predicted_score)):
        if value is not None and not 0.0 <= float(value) <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1.")
    if not resume_text.strip() or not job_description.strip():
        raise ValueError("resume_text and job_description must not be empty.")
    example = LabeledExample.objects.create(
        resume_text=resume_text,
        job_text=job_description,
        resume_sha256=resume_text_key(resume_text),
        score=float(actual_score),
        predicted_score=None if predicted_score is None else float(predicted_score),
        source=LabeledExample.Source.FEEDBACK,
        origin=origin[:255],
        created_by=user,
    )
    return example


def examples_import(
    *,
    examples: Iterable[Example],
    source: str,
    origin: str = "",
    user: User | None = None,
) -> int:
    """Store parsed examples (JSON import, hiring history) all at once or not at all."""
    rows = [
        LabeledExample(
            resume_text=e.resume,
            job_text=e.job,
            resume_sha256=resume_text_key(e.resume),
            score=e.score,
            predicted_score=e.predicted,
            source=source,
            origin=origin[:255],
            created_by=user,
        )
        for e in examples
    ]
    with transaction.atomic():
        LabeledExample.objects.bulk_create(rows, batch_size=500)
        # bulk_create sends no post_save: ask the retraining rule once for the batch.
        if rows and settings.RETRAIN_AUTO:
            transaction.on_commit(queue_if_suggested)
    return len(rows)


def label_saved(sender: type[Model], instance: Model, created: bool, **kwargs: Any) -> None:
    """post_save of Rating and LabeledExample (connected in TrainingConfig.ready)."""
    if not created or not settings.RETRAIN_AUTO:
        return
    transaction.on_commit(queue_if_suggested)


def queue_if_suggested() -> None:
    """Queue a run from the database's labels when the retraining rule suggests one."""
    status = retrain_status()
    if status.suggested:
        run = training_run_create(from_ratings=True)
        logger.info("%d new labels: queued training run %s", status.new_labels, run.pk)
