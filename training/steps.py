"""The named steps of a training run, in the order training.runs.execute calls them.

prepare_dataset -> measure_live -> check_labels -> fit_candidate -> learning_curve, then
training.publish's publish -> activate_if_asked. Each step reads what the earlier ones
returned (Prepared, Measured, Candidate); only publish creates the ScoringModel, inside
the transaction that marks the run succeeded and renames its folder.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matching import models_store
from matching.models import ScoringModel
from matching.scoring.activation import scoring_model_active
from matching.scoring.heads import TrainedHead, scorer_for
from matching.scoring.inputs import PairInputs, TextPair, texts_features
from training import datasets, fast, full, gate, store
from training.checks import Check, dataset_checks, refuse_if_blocking
from training.datasets import Example
from training.errors import RunCancelled
from training.label_checks import label_checks
from training.models import TrainingRun
from training.reporting import RunReporter

logger = logging.getLogger(__name__)


@dataclass
class Prepared:
    """The examples a run trains and validates on, with the checks and statistics."""

    train: list[Example]
    validation: list[Example]
    dataset: dict[str, Any]
    checks: list[Check]
    gold: list[Example] = field(default_factory=list)  # the standing gold set (training.gate)


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
    live_train_pred: np.ndarray  # what the label checks compare the labels with
    gold_inputs: PairInputs | None = None
    live_gold_pred: np.ndarray | None = None


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
    training_s: float
    comparison: dict[str, Any]  # training.gate.verdict
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def better(self) -> bool:
        return self.comparison["verdict"] == gate.BETTER


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
    # Read once: the run may train on it, and the gold set is taken from it.
    db = datasets.examples_from_db()
    train, validation, validation_given, sources = datasets.run_examples(run, db=db)
    train, conflicts = datasets.merge_duplicates(train)
    held = gate.gold_split(
        train, validation, db, train_on_gold=bool(run.params.get("train_on_gold"))
    )
    train, validation = held.train, held.validation
    if not validation_given:
        train, validation = datasets.split_by_resume(train, fraction=0.2, seed=run.pk or 0)
    found = (
        dataset_checks(
            train,
            validation,
            conflicts=conflicts,
            validation_given=validation_given,
            force=bool(run.params.get("force")),
        )
        + held.checks
    )
    dataset = {
        "sources": sources,
        "train": datasets.statistics(train),
        "validation": datasets.statistics(validation),
        **({"gold": datasets.statistics(held.gold)} if held.gold else {}),
        "conflicts": conflicts,
    }
    TrainingRun.objects.filter(pk=run.pk).update(
        checks=[c.as_dict() for c in found], dataset=dataset
    )
    for c in found:
        reporter.log(f"check {c.level}: {c.message}")
    refuse_if_blocking(found)
    return Prepared(
        train=train, validation=validation, dataset=dataset, checks=found, gold=held.gold
    )


def measure_live(run: TrainingRun, prepared: Prepared, reporter: RunReporter) -> Measured:
    """Embed both sets under the live model's encoder and score the validation pairs."""
    train, validation = prepared.train, prepared.validation
    base = scoring_model_active()
    TrainingRun.objects.filter(pk=run.pk).update(base_model=base)
    reporter.log(f"embedding {len(train)} training and {len(validation)} validation pairs")
    t = time.perf_counter()
    train_inputs = examples_features(train, base.encoder_key)
    val_inputs = examples_features(validation, base.encoder_key)
    gold_inputs = examples_features(prepared.gold, base.encoder_key) if prepared.gold else None
    embedding_s = round(time.perf_counter() - t, 2)
    reporter(0.3, "measuring the live model")
    live = scorer_for(base)
    live_pred = _apply(live, val_inputs)
    live_gold_pred = _apply(live, gold_inputs) if gold_inputs else None
    return Measured(
        base=base,
        train_inputs=train_inputs,
        val_inputs=val_inputs,
        y_val=scores(validation),
        live_pred=live_pred,
        metrics_live=_measured(prepared, base.version, live_pred, live_gold_pred),
        embedding_s=embedding_s,
        live_train_pred=_apply(live, train_inputs),
        gold_inputs=gold_inputs,
        live_gold_pred=live_gold_pred,
    )


def _apply(scorer: Any, inputs: PairInputs) -> np.ndarray:
    return scorer(inputs.resume_vectors, inputs.job_vectors, inputs.features)


def _measured(
    prepared: Prepared, version: str, predicted: np.ndarray, gold_pred: np.ndarray | None
) -> dict[str, Any]:
    """A model's metrics on the validation set, and on the gold set when there is one."""
    out = gate.measured_on(prepared.validation, predicted, version)
    if gold_pred is not None:
        out["gold"] = gate.measured_on(prepared.gold, gold_pred, version)
    return out


def check_labels(run: TrainingRun, prepared: Prepared, measured: Measured) -> list[Check]:
    """The label checks that need the live model's scores (training.label_checks), added
    to the run's checks. Raises DatasetError when one blocks the run."""
    found = label_checks(
        prepared.train + prepared.validation,
        np.concatenate([measured.live_train_pred, measured.live_pred]),
        prepared.validation,
        gold=prepared.gold,
        force=bool(run.params.get("force")),
    )
    prepared.checks += found
    TrainingRun.objects.filter(pk=run.pk).update(checks=[c.as_dict() for c in prepared.checks])
    refuse_if_blocking(found)
    return found


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
    gold_inputs = measured.gold_inputs
    if run.mode == TrainingRun.Mode.FULL:
        extra["fine_tune"], train_inputs, val_inputs, gold_inputs = _fine_tune_encoder(
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
    candidate_pred = _apply(head, val_inputs)
    candidate_gold = _apply(head, gold_inputs) if gold_inputs else None
    comparison = gate.verdict(
        validation=prepared.validation,
        live_val=measured.live_pred,
        candidate_val=candidate_pred,
        gold=prepared.gold,
        live_gold=measured.live_gold_pred,
        candidate_gold=candidate_gold,
        checks=prepared.checks,
    )
    reasons = "; ".join(comparison["reasons"])
    reporter.log(f"against the live model: {comparison['verdict']} ({reasons})")
    return Candidate(
        folder=folder,
        version=version,
        encoder_key=encoder_key,
        head=head,
        chosen=chosen,
        train_inputs=train_inputs,
        val_inputs=val_inputs,
        candidate_pred=candidate_pred,
        metrics_candidate=_measured(prepared, version, candidate_pred, candidate_gold),
        training_s=training_s,
        comparison=comparison,
        extra=extra,
    )


def _fine_tune_encoder(
    run: TrainingRun, prepared: Prepared, base: ScoringModel, folder: Path, reporter: RunReporter
) -> tuple[dict[str, Any], PairInputs, PairInputs, PairInputs | None]:
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
    gold = examples_features(prepared.gold, incoming, cache=False) if prepared.gold else None
    return history, train_inputs, val_inputs, gold


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
