"""The named steps of a training run, in the order training.runs.execute calls them.

prepare_dataset -> measure_live -> fit_candidate -> learning_curve -> publish ->
activate_if_asked. Each step reads what the earlier ones returned (Prepared, Measured,
Candidate); only publish creates the ScoringModel, inside the transaction that marks the
run succeeded and renames its folder.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from matching import models_store
from matching.errors import ActivationRefused
from matching.models import ScoringModel
from matching.scoring.activation import scoring_model_activate, scoring_model_active
from matching.scoring.heads import TrainedHead, scorer_for
from matching.scoring.inputs import PairInputs, TextPair, texts_features
from training import datasets, fast, full, metrics, store
from training.checks import Check, blocking, dataset_checks
from training.datasets import Example
from training.errors import DatasetError, RunCancelled
from training.models import TrainingRun
from training.reporting import LOG_LINES, RunReporter

logger = logging.getLogger(__name__)


@dataclass
class Prepared:
    """The examples a run trains and validates on, with the checks and statistics."""

    train: list[Example]
    validation: list[Example]
    dataset: dict[str, Any]
    checks: list[Check]


@dataclass
class Measured:
    """The live model on the validation pairs, and both sets' inputs under its encoder."""

    base: ScoringModel
    train_inputs: PairInputs
    val_inputs: PairInputs
    y_val: np.ndarray
    live_pred: np.ndarray
    metrics_live: dict[str, Any]
    embedding_s: float


@dataclass
class Candidate:
    """The fitted candidate in its incoming folder, and how it did on validation."""

    folder: Path
    version: str
    encoder_key: str
    head: TrainedHead
    chosen: dict[str, Any]
    train_inputs: PairInputs
    val_inputs: PairInputs
    candidate_pred: np.ndarray
    metrics_candidate: dict[str, Any]
    better: bool
    training_s: float
    extra: dict[str, Any] = field(default_factory=dict)


def examples_features(
    examples: list[Example], encoder_key: str, *, cache: bool = True
) -> PairInputs:
    """Vectors and pair features of examples under an encoder (what trainers read)."""
    return texts_features(
        pairs=[TextPair(resume=e.resume, job=e.job) for e in examples],
        encoder_key=encoder_key,
        cache=cache,
    )


def scores(examples: list[Example]) -> np.ndarray:
    """The human scores of examples, in order."""
    return np.array([e.score for e in examples], dtype=np.float64)


def prepare_dataset(run: TrainingRun, reporter: RunReporter) -> Prepared:
    """Read, merge and split the examples, and check them; the run's row gets the checks
    and the statistics. Raises DatasetError when a check blocks the run."""
    train, validation, validation_given, sources = datasets.run_examples(run)
    train, conflicts = datasets.merge_duplicates(train)
    if not validation_given:
        train, validation = datasets.split_by_resume(train, fraction=0.2, seed=run.pk or 0)
    found = dataset_checks(
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
        checks=[c.as_dict() for c in found], dataset=dataset
    )
    for c in found:
        reporter.log(f"check {c.level}: {c.message}")
    errors = blocking(found)
    if errors:
        raise DatasetError(" ".join(c.message for c in errors))
    return Prepared(train=train, validation=validation, dataset=dataset, checks=found)


def measure_live(run: TrainingRun, prepared: Prepared, reporter: RunReporter) -> Measured:
    """Embed both sets under the live model's encoder and score the validation pairs."""
    train, validation = prepared.train, prepared.validation
    base = scoring_model_active()
    TrainingRun.objects.filter(pk=run.pk).update(base_model=base)
    reporter.log(f"embedding {len(train)} training and {len(validation)} validation pairs")
    t = time.perf_counter()
    train_inputs = examples_features(train, base.encoder_key)
    val_inputs = examples_features(validation, base.encoder_key)
    embedding_s = round(time.perf_counter() - t, 2)
    reporter(0.3, "measuring the live model")
    y_val = scores(validation)
    live_pred = scorer_for(base)(
        val_inputs.resume_vectors, val_inputs.job_vectors, val_inputs.features
    )
    metrics_live = {**metrics.evaluate(y_val, live_pred), "model": base.version}
    return Measured(
        base=base,
        train_inputs=train_inputs,
        val_inputs=val_inputs,
        y_val=y_val,
        live_pred=live_pred,
        metrics_live=metrics_live,
        embedding_s=embedding_s,
    )


def fit_candidate(
    run: TrainingRun, prepared: Prepared, measured: Measured, reporter: RunReporter
) -> Candidate:
    """Fit the candidate in the run's incoming folder: a head on the live encoder's
    vectors (fast), or a fine-tuned encoder and a head on its vectors (full)."""
    train, base = prepared.train, measured.base
    folder = store.start_incoming(run.pk)
    version = models_store.new_version(run.pk)
    extra: dict[str, Any] = {}
    train_inputs, val_inputs = measured.train_inputs, measured.val_inputs
    t = time.perf_counter()
    if run.mode == TrainingRun.Mode.FULL:
        extra["fine_tune"], train_inputs, val_inputs = _fine_tune_encoder(
            run, prepared, base, folder, reporter
        )
        encoder_key = version
        head_span = reporter.span(0.85, 0.95)
    else:
        encoder_key = base.encoder_key
        store.link_encoder(models_store.encoder_path(base.encoder_key), folder)
        head_span = reporter.span(0.35, 0.9)
    reporter.log("fitting the scoring head")
    head, chosen = fast.train_fast(
        train_inputs,
        scores(train),
        np.array([e.group for e in train]),
        progress=head_span,
    )
    training_s = round(time.perf_counter() - t, 2)
    candidate_pred = head(val_inputs.resume_vectors, val_inputs.job_vectors, val_inputs.features)
    metrics_candidate = {**metrics.evaluate(measured.y_val, candidate_pred), "model": version}
    metrics_live = measured.metrics_live
    better = (metrics_candidate["spearman"] or -1.0) >= (metrics_live["spearman"] or -1.0)
    reporter.log(
        f"validation Spearman: live {metrics_live['spearman']}, candidate "
        f"{metrics_candidate['spearman']}"
    )
    return Candidate(
        folder=folder,
        version=version,
        encoder_key=encoder_key,
        head=head,
        chosen=chosen,
        train_inputs=train_inputs,
        val_inputs=val_inputs,
        candidate_pred=candidate_pred,
        metrics_candidate=metrics_candidate,
        better=better,
        training_s=training_s,
        extra=extra,
    )


def _fine_tune_encoder(
    run: TrainingRun, prepared: Prepared, base: ScoringModel, folder: Path, reporter: RunReporter
) -> tuple[dict[str, Any], PairInputs, PairInputs]:
    """Fine-tune the live encoder into the incoming folder; both sets' inputs under it."""
    train, validation = prepared.train, prepared.validation
    reporter.log("fine-tuning the transformer")
    history = full.fine_tune(
        train,
        validation,
        base_path=models_store.encoder_path(base.encoder_key),
        output_dir=folder,
        params=full.FullParams(
            epochs=int(run.params.get("epochs", 2)),
            batch_size=int(run.params.get("batch_size", 16)),
        ),
        progress=reporter.span(0.35, 0.85),
    )
    # The new encoder embeds differently: the head learns on its vectors, read from
    # the incoming folder without touching the cache (the version is not live).
    incoming = models_store.incoming_key(run.pk)
    train_inputs = examples_features(train, incoming, cache=False)
    val_inputs = examples_features(validation, incoming, cache=False)
    return history, train_inputs, val_inputs


def learning_curve(
    run: TrainingRun,
    reporter: RunReporter,
    prepared: Prepared,
    measured: Measured,
    candidate: Candidate,
) -> dict[str, Any]:
    """The candidate head refitted on growing shares of the training resumes, measured on
    the same validation pairs (training.fast.learning_curve), with the live model's
    values as the line to beat. Kept in validation_predictions beside the other plot
    data: no migration, and it stays out of the model's metrics the API lists.

    Full runs fit the heads on the fine-tuned encoder's vectors; the encoder itself is
    not retrained per share (that would cost a fine-tune each). A curve that cannot be
    drawn never fails the run: the reason goes to the log."""
    train = prepared.train
    try:
        points = fast.learning_curve(
            candidate.train_inputs,
            scores(train),
            np.array([e.group for e in train]),
            candidate.val_inputs,
            measured.y_val,
            full=candidate.metrics_candidate,
            alpha=candidate.chosen.get("alpha"),
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
        "live": {k: measured.metrics_live.get(k) for k in ("spearman", "band_accuracy")},
        "encoder": "fine-tuned on all training pairs" if run.mode == TrainingRun.Mode.FULL else "",
    }


def publish(
    run: TrainingRun,
    prepared: Prepared,
    measured: Measured,
    candidate: Candidate,
    curve: dict[str, Any],
    timings: dict[str, float],
    started: float,
    reporter: RunReporter,
) -> tuple[TrainingRun, ScoringModel]:
    """Write the candidate's folder, then create its ScoringModel, mark the run succeeded
    and rename the folder to its version, together."""
    _write_folder(run, prepared, measured, candidate, timings, started)
    reporter(0.97, "publishing the model folder")
    return _commit(run, prepared, measured, candidate, curve, timings)


def _write_folder(
    run: TrainingRun,
    prepared: Prepared,
    measured: Measured,
    candidate: Candidate,
    timings: dict[str, float],
    started: float,
) -> None:
    folder, version, encoder_key = candidate.folder, candidate.version, candidate.encoder_key
    candidate.head.save(folder)
    timings["total_s"] = round(time.perf_counter() - started, 2)
    params = {**run.params, "mode": run.mode, "head": candidate.chosen}
    # Before the rename and outside its transaction, so no worker exports on first use.
    store.export_encoder(folder, version=version, encoder_key=encoder_key)
    store.write_metadata(
        folder,
        {
            "version": version,
            "mode": run.mode,
            "run": run.pk,
            "base_model": measured.base.version,
            "encoder_key": encoder_key,
            "data": prepared.dataset,
            "parameters": params,
            "metrics": {
                "candidate": candidate.metrics_candidate,
                "live": measured.metrics_live,
            },
            "timings": timings,
            **candidate.extra,
        },
    )


def _commit(
    run: TrainingRun,
    prepared: Prepared,
    measured: Measured,
    candidate: Candidate,
    curve: dict[str, Any],
    timings: dict[str, float],
) -> tuple[TrainingRun, ScoringModel]:
    # Row, status and folder together: a run cancelled at this moment raises in
    # TrainingRun.transition before the rename, and a failed rename rolls the rows back.
    metrics_live = measured.metrics_live
    with transaction.atomic():
        model = ScoringModel.objects.create(
            version=candidate.version,
            kind=ScoringModel.Kind.CUSTOM,
            path=candidate.version,
            encoder_key=candidate.encoder_key,
            metrics={
                **candidate.metrics_candidate,
                "live_at_training": metrics_live,
                "better_than_live": candidate.better,
                "run": run.pk,
            },
        )
        run = TrainingRun.transition(
            run.pk,
            TrainingRun.Status.SUCCEEDED,
            finished_at=timezone.now(),
            progress=1.0,
            stage="done",
            output_model=model,
            metrics_live=metrics_live,
            metrics_candidate=candidate.metrics_candidate,
            validation_predictions={
                "human": [round(float(v), 4) for v in measured.y_val],
                "candidate": [round(float(v), 4) for v in candidate.candidate_pred],
                "live": [round(float(v), 4) for v in measured.live_pred],
                "learning_curve": curve,
            },
            dataset={**prepared.dataset, "timings": timings, **candidate.extra},
        )
        store.publish(run.pk, candidate.version)
    return run, model


def activate_if_asked(run: TrainingRun, model: ScoringModel, reporter: RunReporter) -> None:
    """Activate the new model when the run was queued with activate (a refusal, e.g. a
    worse model without activate_if_worse, goes to the log)."""
    if not run.params.get("activate"):
        return
    try:
        scoring_model_activate(
            model=model,
            force=bool(run.params.get("activate_if_worse")),
            actor=run.created_by,
        )
        reporter.lines.append(f"activated {model.version}")
    except ActivationRefused as exc:
        reporter.lines.append(str(exc))
    TrainingRun.objects.filter(pk=run.pk).update(log="\n".join(reporter.lines[-LOG_LINES:]))
