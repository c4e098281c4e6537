"""Model cards: what a model version is for, what it learnt from, how well it measured,
how it treats groups, and who trained and activated it (EU AI Act Art. 13 and 15; the
model-card practice of Mitchell et al., 2019).

The part fixed at training (data, metrics with their intervals, parameters, who queued
the run) is written into the version's training_metadata.json as `model_card` when the
run publishes it, and read back from there; the part that changes later (activations,
the adverse-impact figures of the applications it has scored) is added when the card is
read. Served as JSON and Markdown by the API and the run's admin page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from audit.models import AuditEvent
from fairness import selectors as fairness_selectors
from fairness.impact import rounded
from fairness.models import SelfIdentification
from matching.models import ScoringModel
from matching.models_store import read_metadata
from training.models import TrainingRun

CARD_FORMAT = 1
INTENDED_USE = (
    "Orders the resumes of a job's applicants for recruiters to read, by how well each "
    "matches the posting. Advisory: it rejects no one; reviewers rate and leads decide."
)
LIMITS = [
    "Trained and measured on the labels its deployer gave it; figures on other jobs, "
    "sectors or languages are not known until measured there.",
    "Reads the text of a resume only: what a candidate did not write, it cannot see.",
    "The pre-trained encoder is English; other languages score lower (docs/benchmarks.md).",
    "Not for decisions without a person: the score is one input for a recruiter.",
]
COUNTERFACTUAL = (
    "Measured for the scorer of this product with bench/counterfactual.py "
    "(docs/benchmarks.md, 'Counterfactual test'); a trained head shares its encoder."
)


def card_at_training(run: TrainingRun, *, version: str, metrics: dict, dataset: dict) -> dict:
    """The part of a card fixed when the run publishes its version."""
    return {
        "format": CARD_FORMAT,
        "version": version,
        "kind": "custom",
        "intended_use": INTENDED_USE,
        "limits": LIMITS,
        "training": {
            "run": run.pk,
            "mode": run.mode,
            "queued_by": run.created_by.get_username() if run.created_by else None,
            "queued_at": run.created_at.isoformat() if run.created_at else None,
            "data": dataset,
        },
        "metrics": metrics,
        "counterfactual": COUNTERFACTUAL,
    }


def model_card(
    model: ScoringModel, *, reader: AbstractBaseUser | AnonymousUser | None
) -> dict[str, Any]:
    """The whole card of a version: the stored part, or for the pre-trained model the
    fixed text, plus its activations and the adverse impact of its stored scores."""
    stored = (read_metadata(model.version) or {}).get("model_card")
    card: dict[str, Any] = (
        dict(stored)
        if isinstance(stored, dict)
        else {
            "format": CARD_FORMAT,
            "version": model.version,
            "kind": model.kind,
            "intended_use": INTENDED_USE,
            "limits": LIMITS,
            "training": None,
            "metrics": model.metrics or {},
            "counterfactual": COUNTERFACTUAL,
        }
    )
    card["live"] = model.is_active
    card["activations"] = [
        {
            "at": e.at.isoformat(),
            "by": e.actor_name or "system",
            "action": e.action,
            "forced": bool(e.details.get("force")),
            "previous": e.details.get("previous"),
        }
        for e in AuditEvent.objects.filter(
            action__in=("activated", "rolled_back"), details__version=model.version
        ).order_by("at", "pk")
    ]
    card["adverse_impact"] = _impact(model, reader=reader)
    return card


def _impact(model: ScoringModel, *, reader: AbstractBaseUser | AnonymousUser | None) -> dict:
    """Impact ratios of the applications this version has scored, by sex and by
    race/ethnicity (counts and ratios only: no applicant's answers)."""
    if not SelfIdentification.objects.exists():
        return {"measured": False, "why": "no self-identification data has been imported"}
    scoped = fairness_selectors.adverse_impact(
        fairness_selectors.Scope(), reader=reader, model=model
    )
    if not scoped.report.total:
        return {"measured": False, "why": "this version holds no scores of applications"}
    return {
        "measured": True,
        "applications": scoped.report.total,
        "with_self_identification": scoped.with_self_identification,
        "median_score": scoped.report.median_score,
        "breakdowns": {
            b.name: {
                r.category: {
                    "count": r.count,
                    "scoring_impact_ratio": rounded(r.scoring_impact_ratio),
                    "selection_impact_ratio": rounded(r.selection_impact_ratio),
                    "under_four_fifths": r.under_four_fifths,
                    "small": r.small,
                }
                for r in b.rows
            }
            for b in scoped.report.breakdowns
            if b.name in ("Sex", "Race/ethnicity")
        },
    }


def card_markdown(card: dict[str, Any]) -> str:
    """The card as a Markdown document."""
    lines = [f"# Model card: {card['version']}", "", f"Kind: {card['kind']}. Live: {card['live']}."]
    lines += ["", "## Intended use", "", card["intended_use"], "", "## Limits", ""]
    lines += [f"- {limit}" for limit in card["limits"]]
    lines += ["", "## Training", "", *_training_md(card.get("training"))]
    lines += ["", "## Validation", "", *_metrics_md(card.get("metrics") or {})]
    lines += ["", "## Adverse impact", "", *_impact_md(card["adverse_impact"])]
    lines += ["", "## Counterfactual test", "", card["counterfactual"], "", "## Activations", ""]
    lines += [
        f"- {a['at']}: {a['action']} by {a['by']}{' (forced)' if a['forced'] else ''}"
        for a in card["activations"]
    ] or ["Never activated."]
    return "\n".join(lines) + "\n"


def _training_md(training: dict | None) -> list[str]:
    if not training:
        return ["The bundled pre-trained model: not trained on this deployment's labels."]
    data = training.get("data") or {}
    train, validation = data.get("train") or {}, data.get("validation") or {}
    return [
        f"Run #{training['run']} ({training['mode']}), queued by "
        f"{training['queued_by'] or 'the system'} at {training['queued_at']}.",
        f"Training data: {train.get('examples')} pairs of {train.get('resumes')} resumes and "
        f"{train.get('jobs')} jobs (sources: {data.get('sources')}); validation: "
        f"{validation.get('examples')} pairs of {validation.get('resumes')} resumes.",
    ]


def _metrics_md(metrics: dict) -> list[str]:
    if not metrics:
        return ["Not measured on this deployment's labels."]
    intervals = metrics.get("ci") or {}
    lines = []
    for name in ("spearman", "band_accuracy", "mae"):
        if metrics.get(name) is not None:
            ci = intervals.get(name)
            shown = f" (95% interval {ci[0]} to {ci[1]})" if ci else ""
            lines.append(f"- {name}: {metrics[name]}{shown}")
    verdict = (metrics.get("comparison") or {}).get("verdict")
    if verdict:
        lines.append(f"- against the model live at training: {verdict}")
    return lines


def _impact_md(impact: dict) -> list[str]:
    if not impact.get("measured"):
        return [f"Not measured: {impact['why']}."]
    lines = [
        f"{impact['applications']} scored applications, "
        f"{impact['with_self_identification']} with self-identification."
    ]
    for name, rows in impact["breakdowns"].items():
        lines += ["", f"| {name} | count | scoring ratio | selection ratio |", "|---|---|---|---|"]
        lines += [
            f"| {cat} | {r['count']} | {r['scoring_impact_ratio']} | "
            f"{r['selection_impact_ratio']}{' (below 4/5)' if r['under_four_fifths'] else ''} |"
            for cat, r in rows.items()
        ]
    return lines
