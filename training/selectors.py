"""Reads of the training app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from matching.models import Rating, ScoringModel
from matching.scoring.activation import scoring_model_active
from training.models import LabeledExample, TrainingRun


@dataclass(frozen=True)
class RetrainStatus:
    new_labels: int
    threshold: int
    since: datetime | None
    live_model: str
    run_in_progress: bool

    @property
    def suggested(self) -> bool:
        return self.new_labels >= self.threshold and not self.run_in_progress


def retrain_status() -> RetrainStatus:
    """New labels since the live model was trained (all labels for the pre-trained one)."""
    live = scoring_model_active()
    since = live.created_at if live.kind == live.Kind.CUSTOM else None
    ratings = Rating.objects.all()
    examples = LabeledExample.objects.all()
    if since is not None:
        ratings = ratings.filter(created_at__gt=since)
        examples = examples.filter(created_at__gt=since)
    return RetrainStatus(
        new_labels=ratings.count() + examples.count(),
        threshold=settings.RETRAIN_SUGGEST_AFTER,
        since=since,
        live_model=live.version,
        run_in_progress=runs_in_progress().exists(),
    )


def runs_in_progress():
    return TrainingRun.objects.filter(
        status__in=[TrainingRun.Status.QUEUED, TrainingRun.Status.RUNNING]
    )


def model_previously_active() -> ScoringModel | None:
    """The version that was live before the current one, for a rollback: every activation
    stamps activated_at, so among the versions not live now it is the one activated last
    (rolling back twice returns to where it started). None before the first switch."""
    return (
        ScoringModel.objects.filter(is_active=False, activated_at__isnull=False)
        .order_by("-activated_at", "-pk")
        .first()
    )
