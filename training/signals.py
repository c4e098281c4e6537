"""Queue a training run when enough new labels arrived (RETRAIN_AUTO)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def label_saved(sender, instance, created: bool, **kwargs) -> None:
    if not created or not settings.RETRAIN_AUTO:
        return
    transaction.on_commit(queue_if_suggested)


def queue_if_suggested() -> None:
    from training.selectors import retrain_status
    from training.services import training_run_create

    status = retrain_status()
    if status.suggested:
        run = training_run_create(from_ratings=True)
        logger.info("%d new labels: queued training run %s", status.new_labels, run.pk)
