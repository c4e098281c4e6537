"""Writes of the training app: labels in, runs queued and executed, models activated.

A run never touches the live model or the data unless it succeeds: it reads labels,
writes only into its incoming folder and its own row, and a new ScoringModel appears
only after the folder is complete. Activation is a separate step (matching.services).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from audit.services import audit_record
from matching.heads import scorer_for
from matching.models import ScoringModel
from matching.services import (
    ActivationRefused,
    PairInputs,
    TextPair,
    resume_text_key,
    scoring_model_activate,
    scoring_model_active,
    texts_features,
)
from matching.vectors import encoder_path
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
        resume_sha256=resume_text_key(resume_text),
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
        audit_record(
            actor=user,
            action="training_queued",
            target=run,
            details={"mode": mode, **params},
        )
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


def training_run_cancel(*, run: TrainingRun, actor=None) -> TrainingRun:
    """Queued runs stop at once; a running one stops at its next progress report."""
    with transaction.atomic():
        cancelled = _transition(run.pk, TrainingRun.Status.CANCELLED, finished_at=timezone.now())
        audit_record(actor=actor, action="training_cancelled", target=cancelled)
    return cancelled


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
                    "(killed, timed out or crashed). The live model is unchanged. A run is "
                    "not resumed: queue it again."
                ),
            )
        except InvalidTransition:
            continue
        _discard_run_folders(run.pk)
    return len(stale)


def _discard_run_folders(run_id: int) -> None:
    """The run's incoming folder, and a version folder whose row never committed."""
    published = ScoringModel.objects.filter(version__endswith=f"-run{run_id}")
    store.discard_unpublished(run_id, keep=published.values_list("version", flat=True))


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


@contextlib.contextmanager
def _heartbeat(run_id: int):
    """Keep a run's heartbeat fresh while its worker is alive, reporting or not.

    Progress reports also beat, but some steps report nothing for minutes (embedding a
    large training set is one call), and the stale sweep (runs_fail_stale) would mark
    such a live run failed. A thread of the worker beats every TRAINING_HEARTBEAT_S
    instead; it dies with the worker, so a killed run still goes stale."""
    stop = threading.Event()
    every = float(settings.TRAINING_HEARTBEAT_S)

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    TrainingRun.objects.filter(pk=run_id, status=TrainingRun.Status.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:  # the next beat tries again; the run goes on
                    logger.warning("heartbeat of run %s not written", run_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"training-run-{run_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)


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
        with _heartbeat(run_id):
            return _execute(run, reporter)
    except RunCancelled:
        store.discard_incoming(run_id)
        reporter.lines.append("cancelled")
        TrainingRun.objects.filter(pk=run_id).update(log="\n".join(reporter.lines))
        return TrainingRun.objects.get(pk=run_id)
    except Exception as exc:
        _discard_run_folders(run_id)
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

    t = time.perf_counter()
    curve = _learning_curve(
        run,
        reporter,
        train,
        train_inputs,
        val_inputs,
        y_val,
        metrics_candidate,
        metrics_live,
        alpha=chosen.get("alpha"),
    )
    timings["learning_curve_s"] = round(time.perf_counter() - t, 2)

    head.save(folder)
    timings["total_s"] = round(time.perf_counter() - t0, 2)
    params = {**run.params, "mode": run.mode, "head": chosen}
    # Before the rename and outside its transaction, so no worker exports on first use.
    store.export_encoder(folder, version=version, encoder_key=encoder_key)
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
                "learning_curve": curve,
            },
            dataset={**dataset, "timings": timings, **extra},
        )
        store.publish(run.pk, version)
    if run.params.get("activate"):
        try:
            scoring_model_activate(
                model=model,
                force=bool(run.params.get("activate_if_worse")),
                actor=run.created_by,
            )
            reporter.lines.append(f"activated {version}")
        except ActivationRefused as exc:
            reporter.lines.append(str(exc))
        TrainingRun.objects.filter(pk=run.pk).update(log="\n".join(reporter.lines[-LOG_LINES:]))
    return TrainingRun.objects.get(pk=run.pk)


def _learning_curve(
    run: TrainingRun,
    reporter: RunReporter,
    train: list[Example],
    train_inputs: PairInputs,
    val_inputs: PairInputs,
    y_val: np.ndarray,
    metrics_candidate: dict,
    metrics_live: dict,
    *,
    alpha: float | None = None,
) -> dict:
    """The candidate head refitted on growing shares of the training resumes, measured on
    the same validation pairs (training.fast.learning_curve), with the live model's
    values as the line to beat. Kept in validation_predictions beside the other plot
    data: no migration, and it stays out of the model's metrics the API lists.

    Full runs fit the heads on the fine-tuned encoder's vectors; the encoder itself is
    not retrained per share (that would cost a fine-tune each). A curve that cannot be
    drawn never fails the run: the reason goes to the log."""
    from training.fast import learning_curve

    try:
        points = learning_curve(
            train_inputs,
            _scores(train),
            np.array([e.group for e in train]),
            val_inputs,
            y_val,
            full=metrics_candidate,
            alpha=alpha,
            progress=reporter.span(0.95, 0.97),
        )
    except RunCancelled:
        raise
    except Exception as exc:  # a plot is not worth a run
        logger.warning("run %s: learning curve skipped", run.pk, exc_info=True)
        reporter.log(f"learning curve skipped: {exc}")
        return {}
    reporter.log(
        "learning curve (Spearman by share of resumes): "
        + ", ".join(f"{p['fraction']:.0%} {p['spearman']}" for p in points)
    )
    return {
        "points": points,
        "live": {k: metrics_live.get(k) for k in ("spearman", "band_accuracy")},
        "encoder": "fine-tuned on all training pairs" if run.mode == TrainingRun.Mode.FULL else "",
    }


# --- models ------------------------------------------------------------------------------


# --- erasure (training.signals.erase_training_copies) --------------------------------------


def training_files_erase_resume(*, text_key: str) -> int:
    """Take the examples of one resume text out of every run's uploaded training and
    validation file; returns the rows removed. The file keeps its format (a list, or
    {"examples": [...]}); the run's log says how many rows went and when.

    Rows are matched on the text with whitespace ignored (matching.services.resume_text_key),
    so a row that differs from the stored text only in spacing or line endings goes too.
    Every file is read: that hash is the only key, and these files are few
    (one or two per run) and small next to the time a run takes.
    """
    removed = 0
    runs = TrainingRun.objects.exclude(train_file="", validation_file="").only(
        "pk", "train_file", "validation_file", "log"
    )
    for run in runs:
        notes = []
        for field_name in ("train_file", "validation_file"):
            if not getattr(run, field_name):
                continue
            count, note = _file_erase_resume(run, field_name, text_key=text_key)
            removed += count
            if note:
                notes.append(note)
        if notes:
            line = f"{timezone.now():%Y-%m-%d %H:%M:%S} erasure of a resume: {'; '.join(notes)}"
            TrainingRun.objects.filter(pk=run.pk).update(
                log="\n".join([*run.log.splitlines(), line][-LOG_LINES:])
            )
    return removed


def _file_erase_resume(run: TrainingRun, field_name: str, *, text_key: str) -> tuple[int, str]:
    import json

    field_file = getattr(run, field_name)
    storage, name = field_file.storage, field_file.name
    if not storage.exists(name):
        return 0, ""
    with storage.open(name, "rb") as fh:
        raw = fh.read()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    rows = data["examples"] if isinstance(data, dict) else data
    if not isinstance(rows, list):
        # Files are checked when a run is queued; one that no longer parses cannot be
        # searched for the resume, so it cannot be kept either.
        storage.delete(name)
        TrainingRun.objects.filter(pk=run.pk).update(**{field_name: ""})
        return 0, f"{field_name} could not be read and was deleted"
    kept = [
        row
        for row in rows
        if not (isinstance(row, dict) and resume_text_key(str(row.get("resume", ""))) == text_key)
    ]
    if len(kept) == len(rows):
        return 0, ""
    out = {**data, "examples": kept} if isinstance(data, dict) else kept
    storage.delete(name)
    saved = storage.save(name, ContentFile(json.dumps(out, ensure_ascii=False).encode()))
    if saved != name:  # the storage chose another name: the run points at the new file
        TrainingRun.objects.filter(pk=run.pk).update(**{field_name: saved})
    count = len(rows) - len(kept)
    return count, f"{count} example(s) removed from {field_name}"


# Document vectors are stored as float32 twice (the cache and the head): a copy of one
# resume's vector matches to rounding.
MEMORY_MATCH_TOLERANCE = 1e-5


def trained_heads_erase_resume(
    *, vectors: dict[str, np.ndarray]
) -> tuple[dict[str, int], list[str]]:
    """Take one resume's pairs out of the memory of every trained head (matching.heads:
    the head remembers rated pairs' vectors and labels). Returns rows removed per version,
    and the versions that could not be checked because the resume was never embedded by
    their encoder (a fine-tuned encoder that never scored it)."""
    import dataclasses
    import os
    import shutil
    import tempfile

    from matching import heads

    removed: dict[str, int] = {}
    unchecked: list[str] = []
    for model in ScoringModel.objects.filter(kind=ScoringModel.Kind.CUSTOM):
        folder = heads.model_folder(model)
        if not (folder / heads.HEAD_FILE).exists():
            continue
        vector = vectors.get(model.encoder_key)
        if vector is None:
            unchecked.append(model.version)
            continue
        try:
            head = heads.TrainedHead.load(folder)
        except heads.ModelUnavailable:
            continue
        memory = np.asarray(head.memory_resumes, np.float32)
        if memory.shape[0] == 0 or memory.shape[1] != vector.shape[0]:
            continue
        match = np.abs(memory - vector[None, :]).max(axis=1) <= MEMORY_MATCH_TOLERANCE
        if not match.any():
            continue
        keep = ~match
        smaller = dataclasses.replace(
            head,
            memory_resumes=head.memory_resumes[keep],
            memory_jobs=head.memory_jobs[keep],
            memory_scores=head.memory_scores[keep],
        )
        # Written beside the old file and renamed over it: a process loading the head
        # meanwhile reads the old one or the new one, never half of one.
        temp = Path(tempfile.mkdtemp(prefix=".erasure-", dir=folder))
        try:
            smaller.save(temp)
            os.replace(temp / heads.HEAD_FILE, folder / heads.HEAD_FILE)
        finally:
            shutil.rmtree(temp, ignore_errors=True)
        # This process serves the smaller head from now on; others when they next load
        # the version (a restart or an activation).
        heads.forget(model.version)
        removed[model.version] = int(match.sum())
    return removed, unchecked
