"""The last steps of a training run: publish the candidate (its folder, its
ScoringModel, the run marked succeeded, together) and activate it when the run asks."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairness.activation import candidate_fairness
from matching.errors import ActivationRefused
from matching.models import ScoringModel
from matching.scoring.activation import scoring_model_activate
from training import cards, store
from training.models import TrainingRun
from training.reporting import LOG_LINES, RunReporter
from training.steps import Candidate, Measured, Prepared

logger = logging.getLogger(__name__)


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
    run, model = _commit(run, prepared, measured, candidate, curve, timings)
    _check_fairness(model)
    return run, model


def _check_fairness(model: ScoringModel) -> None:
    """The candidate's impact ratios beside the live model's (fairness.activation), kept in
    its metrics for the run page and the activation. It reads and scores, never fails the
    run: an error is recorded as the reason the check was not measured. After the run is
    marked succeeded, so it reports nothing to the run (its reporter writes running runs
    only): the run page shows the result."""
    try:
        result = candidate_fairness(model)
    except Exception as exc:  # a published version stays published, whatever the check hit
        logger.exception("fairness check of %s failed", model.version)
        result = {"measured": False, "why": f"the check failed: {exc}"}
    model.metrics = {**model.metrics, "fairness": result}
    model.save(update_fields=["metrics"])
    for drop in result.get("drops", []):
        logger.warning("fairness check of %s: %s", model.version, drop)


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
            "model_card": cards.card_at_training(
                run,
                version=version,
                metrics={**candidate.metrics_candidate, "comparison": candidate.comparison},
                dataset=prepared.dataset,
            ),
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
                "comparison": candidate.comparison,
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
