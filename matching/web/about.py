"""How a score is made: what the ranking page's "advisory" note links to. The live model,
what it was measured at, what goes into a score and what never does, in words a reviewer
or a candidate asking for an explanation can follow."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from matching import bands
from matching.models import ScoringModel
from matching.scoring import activation as scoring_activation
from matching.scoring.features import BLEND_WEIGHTS, SENIORITY_FLOOR
from matching.scoring.judgments import CREDENTIAL_FLOOR


@login_required
def how_scores_are_made(request: HttpRequest) -> HttpResponse:
    model = scoring_activation.scoring_model_active()
    metrics = model.metrics or {}
    return render(
        request,
        "matching/how_scores_are_made.html",
        {
            "model": model,
            "custom": model.kind == ScoringModel.Kind.CUSTOM,
            "spearman": metrics.get("spearman"),
            "spearman_ci": (metrics.get("ci") or {}).get("spearman"),
            "band_accuracy": metrics.get("band_accuracy"),
            "verdict": (metrics.get("comparison") or {}).get("verdict"),
            "validation_pairs": metrics.get("n"),
            "weights": BLEND_WEIGHTS,
            "seniority_floor_pct": round(SENIORITY_FLOOR * 100),
            "credential_floor_pct": round(CREDENTIAL_FLOOR * 100),
            "poor_below_pct": round(bands.POOR_BELOW * 100),
            "good_from_pct": round(bands.GOOD_FROM * 100),
        },
    )
