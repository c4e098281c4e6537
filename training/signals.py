"""Queue a training run when enough new labels arrived (RETRAIN_AUTO); erase training's
copies of a resume when matching erases it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver

from matching.signals import resume_erased
from training.models import LabeledExample

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


# --- erasure: training's copies of an erased resume (matching.signals.resume_erased) ------


@receiver(resume_erased, dispatch_uid="training_erase_copies")
def erase_training_copies(
    sender,
    *,
    resume_id: int,
    text_sha256: str,
    text_key: str,
    vectors: dict,
    actor=None,
    **kwargs,
) -> dict:
    """Remove every copy of an erased resume that training keeps, and say what went.

    Copies are matched on the text with whitespace ignored (text_key). Labeled examples
    with its text go; rows with its text are taken out of runs' uploaded
    training and validation files (noted in the run's log); its vector is taken out of the
    memory of every trained head it is found in. What cannot be removed: what a model's
    weights learned from it (a fine-tuned encoder, a head's ridge coefficients).
    """
    from audit.services import Target, audit_record
    from training.services import (
        trained_heads_erase_resume,
        training_files_erase_resume,
    )

    # Labels stored before resume_text_key carry the plain text hash.
    examples = LabeledExample.objects.filter(resume_sha256__in={text_sha256, text_key}).delete()[0]
    files = training_files_erase_resume(text_key=text_key)
    memory, unchecked = trained_heads_erase_resume(vectors=vectors)
    removed = {
        "labeled_examples": examples,
        "training_file_rows": files,
        "head_memory_rows": memory,
        "heads_not_checked": unchecked,
    }
    if examples or files or memory:
        audit_record(
            actor=actor,
            action="erased_training_copies",
            target=Target(type="matching.resume", id=str(resume_id), label=f"resume #{resume_id}"),
            details=removed,
        )
    return removed
