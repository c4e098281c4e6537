"""Training runs: queued, cancelled, executed, and failed when their worker died.

A run never touches the live model or the data unless it succeeds: it reads labels,
writes only into its incoming folder and its own row, and a new ScoringModel appears
only after the folder is complete (training.steps). Activation is a separate step
(matching.scoring.activation). Status changes go through TrainingRun.transition.
"""

from __future__ import annotations

import contextlib
import logging
import time

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from matching import models_store
from matching.models import ScoringModel
from training import datasets, publish, steps, store
from training.errors import DatasetError, InvalidTransition, RunCancelled, RunRefused
from training.models import TrainingRun
from training.queue import enqueue_training_run
from training.reporting import LOG_LINES, Listener, RunReporter, heartbeat

logger = logging.getLogger(__name__)


def training_run_create(
    *,
    mode: str = "",
    epochs: int | None = None,
    batch_size: int | None = None,
    from_ratings: bool = False,
    train_file: tuple[str, bytes] | None = None,
    validation_file: tuple[str, bytes] | None = None,
    force: bool = False,
    train_on_gold: bool = False,
    activate: bool = False,
    activate_if_worse: bool = False,
    user: User | None = None,
    enqueue: bool = True,
) -> TrainingRun:
    """Record a run and queue it. Files are parsed now, so a bad file is refused at once
    with the row and the reason, before anything is queued."""
    if not train_file and not from_ratings:
        raise DatasetError("Give a training file, or train from the database's labels.")
    for item in (train_file, validation_file):
        if item:
            datasets.parse_examples(item[1], name=item[0])
    mode = mode or settings.TRAINING_DEFAULT_MODE
    if mode not in TrainingRun.Mode.values:
        raise RunRefused(f"Unknown mode {mode!r}: use one of {', '.join(TrainingRun.Mode.values)}.")
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if value is not None and value < 1:
            raise RunRefused(f"{name} must be at least 1.")
    params = {
        "from_ratings": from_ratings,
        "force": force,
        "train_on_gold": train_on_gold,
        "activate": activate,
        "activate_if_worse": activate_if_worse,
        "epochs": epochs or 2,
        "batch_size": batch_size or 16,
    }
    with transaction.atomic():
        run = TrainingRun(mode=mode, params=params, created_by=user)
        if train_file:
            run.train_file.save(train_file[0], ContentFile(train_file[1]), save=False)
        if validation_file:
            run.validation_file.save(
                validation_file[0], ContentFile(validation_file[1]), save=False
            )
        run.save()
        audit_record(
            actor=user,
            action="training_queued",
            target=run,
            details={"mode": mode, **params},
        )
        if enqueue:
            enqueue_training_run(run.pk)
    return run


def training_run_cancel(*, run: TrainingRun, actor: User | None = None) -> TrainingRun:
    """Queued runs stop at once; a running one stops at its next progress report."""
    with transaction.atomic():
        cancelled = TrainingRun.transition(
            run.pk, TrainingRun.Status.CANCELLED, finished_at=timezone.now()
        )
        audit_record(actor=actor, action="training_cancelled", target=cancelled)
    return cancelled


def runs_fail_stale() -> int:
    """Mark runs whose worker stopped reporting as failed, and remove their folders."""
    stale = list(TrainingRun.objects.filter(TrainingRun.stale_q()))
    for run in stale:
        try:
            TrainingRun.transition(
                run.pk,
                TrainingRun.Status.FAILED,
                finished_at=timezone.now(),
                error=run.stale_error,
            )
        except InvalidTransition:
            continue
        discard_run_folders(run.pk)
    return len(stale)


def discard_run_folders(run_id: int) -> None:
    """The run's incoming folder, and a version folder whose row never committed."""
    published = ScoringModel.objects.filter(
        version__endswith=models_store.run_version_suffix(run_id)
    )
    store.discard_unpublished(run_id, keep=published.values_list("version", flat=True))


def training_run_execute(run_id: int, *, listener: Listener | None = None) -> TrainingRun:
    """Run a queued run to its end. Any failure marks it failed with the reason and
    removes its incoming folder; the live model and the labels are never changed.
    `listener(progress, stage)` hears every report (the command's progress bar)."""
    run = TrainingRun.transition(
        run_id,
        TrainingRun.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        progress=0.0,
    )
    reporter = RunReporter(run, listener=listener)
    try:
        with heartbeat(run_id):
            return execute(run, reporter)
    except RunCancelled:
        store.discard_incoming(run_id)
        reporter.lines.append("cancelled")
        TrainingRun.objects.filter(pk=run_id).update(log="\n".join(reporter.lines))
        return TrainingRun.objects.get(pk=run_id)
    except Exception as exc:
        discard_run_folders(run_id)
        logger.exception("training run %s failed", run_id)
        reason = str(exc) or exc.__class__.__name__
        with contextlib.suppress(InvalidTransition):  # cancelled meanwhile
            TrainingRun.transition(
                run_id,
                TrainingRun.Status.FAILED,
                finished_at=timezone.now(),
                error=reason,
                log="\n".join([*reporter.lines, f"failed: {reason}"][-LOG_LINES:]),
            )
        return TrainingRun.objects.get(pk=run_id)


def execute(run: TrainingRun, reporter: RunReporter) -> TrainingRun:
    """The steps of a run in order (training.steps), with their timings."""
    t0 = time.perf_counter()
    reporter.log("reading labels")
    prepared = steps.prepare_dataset(run, reporter)
    measured = steps.measure_live(run, prepared, reporter)
    steps.check_labels(run, prepared, measured)
    candidate = steps.fit_candidate(run, prepared, measured, reporter)
    t = time.perf_counter()
    curve = steps.learning_curve(run, reporter, prepared, measured, candidate)
    timings = {
        "embedding_s": measured.embedding_s,
        "training_s": candidate.training_s,
        "learning_curve_s": round(time.perf_counter() - t, 2),
    }
    run, model = publish.publish(run, prepared, measured, candidate, curve, timings, t0, reporter)
    publish.activate_if_asked(run, model, reporter)
    return TrainingRun.objects.get(pk=run.pk)
