"""Writes of the training app: labels in, runs queued and executed, models activated.

A run never touches the live model or the data unless it succeeds: it reads labels,
writes only into its incoming folder and its own row, and a new ScoringModel appears
only after the folder is complete. Activation is a separate step (matching.services).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from matching.heads import scorer_for
from matching.models import ScoringModel
from matching.services import (
    ActivationRefused,
    PairInputs,
    TextPair,
    scoring_model_activate,
    scoring_model_active,
    texts_features,
)
from matching.vectors import encoder_path, text_hash
from training import checks as dataset_checks_module
from training import datasets, metrics, store
from training.datasets import DatasetError, Example
from training.models import LabeledExample, TrainingRun

logger = logging.getLogger(__name__)

LOG_LINES = 200

Listener = Callable[[float, str], None]


class RunCancelled(Exception):
    pass


class InvalidTransition(Exception):
    pass


# --- labels ------------------------------------------------------------------------------


def feedback_collect(
    *,
    resume_text: str,
    job_description: str,
    predicted_score: float | None,
    actual_score: float,
    user=None,
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
        resume_sha256=text_hash(resume_text),
        score=float(actual_score),
        predicted_score=None if predicted_score is None else float(predicted_score),
        source=LabeledExample.Source.FEEDBACK,
        origin=origin[:255],
        created_by=user,
    )
    return example


def examples_import(
    *, examples: Iterable[Example], source: str, origin: str = "", user=None
) -> int:
    """Store parsed examples (JSON import, hiring history) all at once or not at all."""
    rows = [
        LabeledExample(
            resume_text=e.resume,
            job_text=e.job,
            resume_sha256=text_hash(e.resume),
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
            from training.signals import queue_if_suggested

            transaction.on_commit(queue_if_suggested)
    return len(rows)


# --- runs: queueing and state -----------------------------------------------------------


def training_run_create(
    *,
    mode: str = "",
    epochs: int | None = None,
    batch_size: int | None = None,
    from_ratings: bool = False,
    train_file: tuple[str, bytes] | None = None,
    validation_file: tuple[str, bytes] | None = None,
    force: bool = False,
    activate: bool = False,
    activate_if_worse: bool = False,
    user=None,
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
        raise ValueError(f"Unknown mode {mode!r}: use one of {', '.join(TrainingRun.Mode.values)}.")
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if value is not None and value < 1:
            raise ValueError(f"{name} must be at least 1.")
    params = {
        "from_ratings": from_ratings,
        "force": force,
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
        if enqueue:
            from training.tasks import enqueue_training_run

            enqueue_training_run(run.pk)
    return run


def _transition(run_id: int, to: str, **fields) -> TrainingRun:
    with transaction.atomic():
        run = TrainingRun.objects.select_for_update().get(pk=run_id)
        if to not in TrainingRun.TRANSITIONS[run.status]:
            raise InvalidTransition(f"Run {run_id} is {run.status}; it cannot become {to}.")
        run.status = to
        for name, value in fields.items():
            setattr(run, name, value)
        run.save()
    return run


def training_run_cancel(*, run: TrainingRun) -> TrainingRun:
    """Queued runs stop at once; a running one stops at its next progress report."""
    return _transition(run.pk, TrainingRun.Status.CANCELLED, finished_at=timezone.now())


def runs_fail_stale() -> int:
    """Mark runs whose worker stopped reporting as failed, and remove their folders."""
    limit = timezone.now() - timedelta(seconds=settings.TRAINING_STALE_AFTER_S)
    stale = list(
        TrainingRun.objects.filter(status=TrainingRun.Status.RUNNING, heartbeat_at__lt=limit)
    )
    for run in stale:
        try:
            _transition(
                run.pk,
                TrainingRun.Status.FAILED,
                finished_at=timezone.now(),
                error=(
                    f"The worker stopped reporting at {run.heartbeat_at:%Y-%m-%d %H:%M:%S} "
                    "(killed, timed out or crashed). The live model is unchanged."
                ),
            )
        except InvalidTransition:
            continue
        store.discard_incoming(run.pk)
    return len(stale)


class RunReporter:
    """Progress, heartbeat and log lines of a running run; notices cancellation.

    A trainer reports fractions of its own work; span() maps them into a part of the
    whole run, so the bar in the admin only moves forward.
    """

    def __init__(
        self,
        run: TrainingRun,
        *,
        listener: Listener | None = None,
        lines: list[str] | None = None,
        state: dict | None = None,
        start: float = 0.0,
        end: float = 1.0,
    ) -> None:
        self.run = run
        self.listener = listener
        self.lines = run.log.splitlines() if lines is None else lines
        # Shared by a reporter and its spans: the progress so far and the last DB write.
        self.state = {"current": start, "last_write": 0.0} if state is None else state
        self.start, self.end = start, end

    def span(self, start: float, end: float) -> RunReporter:
        width = self.end - self.start
        return RunReporter(
            self.run,
            listener=self.listener,
            lines=self.lines,
            state=self.state,
            start=self.start + width * start,
            end=self.start + width * end,
        )

    def log(self, message: str) -> None:
        logger.debug("run %s: %s", self.run.pk, message)
        self.lines.append(f"{timezone.now():%H:%M:%S} {message}")
        del self.lines[:-LOG_LINES]
        self._write(self.state["current"], message, force=True)

    def __call__(self, fraction: float, stage: str) -> None:
        width = self.end - self.start
        self._write(self.start + width * min(max(fraction, 0.0), 1.0), stage)

    def _write(self, progress: float, stage: str, *, force: bool = False) -> None:
        current = self.state["current"] = max(self.state["current"], progress)
        if self.listener:
            self.listener(current, stage)
        now = time.monotonic()
        if not force and now - self.state["last_write"] < 0.5:
            return  # at most two writes a second, however often a trainer reports
        self.state["last_write"] = now
        updated = TrainingRun.objects.filter(
            pk=self.run.pk, status=TrainingRun.Status.RUNNING
        ).update(
            progress=round(current, 4),
            stage=stage[:200],
            heartbeat_at=timezone.now(),
            log="\n".join(self.lines),
        )
        if not updated:
            raise RunCancelled(f"Run {self.run.pk} was cancelled.")


# --- runs: execution ---------------------------------------------------------------------


def _load_examples(run: TrainingRun) -> tuple[list[Example], list[Example], bool, dict]:
    sources: dict[str, int] = {}
    train: list[Example] = []
    if run.train_file:
        with run.train_file.open("rb") as fh:
            train += datasets.parse_examples(fh.read(), name=run.train_file.name, source="file")
        sources["file"] = len(train)
    if run.params.get("from_ratings"):
        db = datasets.examples_from_db()
        train += db
        for e in db:
            sources[e.source] = sources.get(e.source, 0) + 1
    validation: list[Example] = []
    if run.validation_file:
        with run.validation_file.open("rb") as fh:
            validation = datasets.parse_examples(
                fh.read(), name=run.validation_file.name, source="validation_file"
            )
    return train, validation, bool(run.validation_file), sources


def examples_features(
    examples: list[Example], encoder_key: str, *, cache: bool = True
) -> PairInputs:
    """Vectors and pair features of examples under an encoder (what trainers read)."""
    return texts_features(
        pairs=[TextPair(resume=e.resume, job=e.job) for e in examples],
        encoder_key=encoder_key,
        cache=cache,
    )


def _scores(examples: list[Example]) -> np.ndarray:
    return np.array([e.score for e in examples], dtype=np.float64)


def training_run_execute(run_id: int, *, listener: Listener | None = None) -> TrainingRun:
    """Run a queued run to its end. Any failure marks it failed with the reason and
    removes its incoming folder; the live model and the labels are never changed.
    `listener(progress, stage)` hears every report (the command's progress bar)."""
    run = _transition(
        run_id,
        TrainingRun.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        progress=0.0,
    )
    reporter = RunReporter(run, listener=listener)
    try:
        return _execute(run, reporter)
    except RunCancelled:
        store.discard_incoming(run_id)
        reporter.lines.append("cancelled")
        TrainingRun.objects.filter(pk=run_id).update(log="\n".join(reporter.lines))
        return TrainingRun.objects.get(pk=run_id)
    except Exception as exc:
        store.discard_incoming(run_id)
        logger.exception("training run %s failed", run_id)
        reason = str(exc) or exc.__class__.__name__
        with contextlib.suppress(InvalidTransition):  # cancelled meanwhile
            _transition(
                run_id,
                TrainingRun.Status.FAILED,
                finished_at=timezone.now(),
                error=reason,
                log="\n".join([*reporter.lines, f"failed: {reason}"][-LOG_LINES:]),
            )
        return TrainingRun.objects.get(pk=run_id)


def _execute(run: TrainingRun, reporter: RunReporter) -> TrainingRun:
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    reporter.log("reading labels")
    train, validation, validation_given, sources = _load_examples(run)
    train, conflicts = datasets.merge_duplicates(train)
    if not validation_given:
        train, validation = datasets.split_by_resume(train, fraction=0.2, seed=run.pk or 0)
    checks = dataset_checks_module.dataset_checks(
        train,
        validation,
        conflicts=conflicts,
        validation_given=validation_given,
        force=bool(run.params.get("force")),
    )
    dataset = {
        "sources": sources,
        "train": datasets.statistics(train),
        "validation": datasets.statistics(validation),
        "conflicts": conflicts,
    }
    TrainingRun.objects.filter(pk=run.pk).update(
        checks=[c.as_dict() for c in checks], dataset=dataset
    )
    for c in checks:
        reporter.log(f"check {c.level}: {c.message}")
    errors = dataset_checks_module.blocking(checks)
    if errors:
        raise DatasetError(" ".join(c.message for c in errors))

    base = scoring_model_active()
    TrainingRun.objects.filter(pk=run.pk).update(base_model=base)
    reporter.log(f"embedding {len(train)} training and {len(validation)} validation pairs")
    t = time.perf_counter()
    train_inputs = examples_features(train, base.encoder_key)
    val_inputs = examples_features(validation, base.encoder_key)
    timings["embedding_s"] = round(time.perf_counter() - t, 2)
    reporter(0.3, "measuring the live model")
    y_val = _scores(validation)
    live_pred = scorer_for(base)(
        val_inputs.resume_vectors, val_inputs.job_vectors, val_inputs.features
    )
    metrics_live = {**metrics.evaluate(y_val, live_pred), "model": base.version}

    folder = store.start_incoming(run.pk)
    version = store.new_version(run.pk)
    extra: dict = {}
    t = time.perf_counter()
    if run.mode == TrainingRun.Mode.FULL:
        from training.full import FullParams, fine_tune

        reporter.log("fine-tuning the transformer")
        extra["fine_tune"] = fine_tune(
            train,
            validation,
            base_path=encoder_path(base.encoder_key),
            output_dir=folder,
            params=FullParams(
                epochs=int(run.params.get("epochs", 2)),
                batch_size=int(run.params.get("batch_size", 16)),
            ),
            progress=reporter.span(0.35, 0.85),
        )
        encoder_key = version
        # The new encoder embeds differently: the head learns on its vectors, read from
        # the incoming folder without touching the cache (the version is not live).
        incoming = store.incoming_key(run.pk)
        train_inputs = examples_features(train, incoming, cache=False)
        val_inputs = examples_features(validation, incoming, cache=False)
        head_span = reporter.span(0.85, 0.95)
    else:
        encoder_key = base.encoder_key
        store.link_encoder(encoder_path(base.encoder_key), folder)
        head_span = reporter.span(0.35, 0.9)
    from training.fast import train_fast

    reporter.log("fitting the scoring head")
    head, chosen = train_fast(
        train_inputs,
        _scores(train),
        np.array([e.group for e in train]),
        progress=head_span,
    )
    timings["training_s"] = round(time.perf_counter() - t, 2)
    candidate_pred = head(val_inputs.resume_vectors, val_inputs.job_vectors, val_inputs.features)
    metrics_candidate = {**metrics.evaluate(y_val, candidate_pred), "model": version}
    better = (metrics_candidate["spearman"] or -1.0) >= (metrics_live["spearman"] or -1.0)
    reporter.log(
        f"validation Spearman: live {metrics_live['spearman']}, candidate "
        f"{metrics_candidate['spearman']}"
    )

    head.save(folder)
    timings["total_s"] = round(time.perf_counter() - t0, 2)
    params = {**run.params, "mode": run.mode, "head": chosen}
    store.write_metadata(
        folder,
        {
            "version": version,
            "mode": run.mode,
            "run": run.pk,
            "base_model": base.version,
            "encoder_key": encoder_key,
            "data": dataset,
            "parameters": params,
            "metrics": {"candidate": metrics_candidate, "live": metrics_live},
            "timings": timings,
            **extra,
        },
    )
    reporter(0.97, "publishing the model folder")
    # Row, status and folder together: a run cancelled at this moment raises in
    # _transition before the rename, and a failed rename rolls the rows back.
    with transaction.atomic():
        model = ScoringModel.objects.create(
            version=version,
            kind=ScoringModel.Kind.CUSTOM,
            path=version,
            encoder_key=encoder_key,
            metrics={
                **metrics_candidate,
                "live_at_training": metrics_live,
                "better_than_live": better,
                "run": run.pk,
            },
        )
        run = _transition(
            run.pk,
            TrainingRun.Status.SUCCEEDED,
            finished_at=timezone.now(),
            progress=1.0,
            stage="done",
            output_model=model,
            metrics_live=metrics_live,
            metrics_candidate=metrics_candidate,
            validation_predictions={
                "human": [round(float(v), 4) for v in y_val],
                "candidate": [round(float(v), 4) for v in candidate_pred],
                "live": [round(float(v), 4) for v in live_pred],
            },
            dataset={**dataset, "timings": timings, **extra},
        )
        store.publish(run.pk, version)
    if run.params.get("activate"):
        try:
            model_activate(model=model, force=bool(run.params.get("activate_if_worse")))
            reporter.lines.append(f"activated {version}")
        except ActivationRefused as exc:
            reporter.lines.append(str(exc))
        TrainingRun.objects.filter(pk=run.pk).update(log="\n".join(reporter.lines[-LOG_LINES:]))
    return TrainingRun.objects.get(pk=run.pk)


# --- models ------------------------------------------------------------------------------


def model_activate(*, model: ScoringModel, force: bool = False) -> ScoringModel:
    """Activate a version (see matching.services.scoring_model_activate)."""
    return scoring_model_activate(model=model, force=force)
