"""The fairness check of a candidate model, before anyone activates it: its impact ratios
on the applications it would score, beside the live model's on the same applications.

Run when a training run publishes its version (training.publish); the result is kept in
the version's metrics under "fairness" and shown on the run page. A category whose ratio
(scoring, as LL144 defines it, or selection, the four-fifths rule) would fall below 0.8
where the live model's is at 0.8 or above is a "drop": activation then asks for explicit
confirmation (matching.scoring.activation refuses without force and records the drops in
the audit log when forced). Small categories (under 2%) are shown, never a drop.
"""

from __future__ import annotations

from typing import Any

from audit.services import Target, audit_record
from fairness.impact import FOUR_FIFTHS, Applicant, rounded
from fairness.selectors import product_report
from matching.models import Pair, Resume, ScoringModel
from matching.scoring import services as scoring_services
from matching.scoring.activation import scoring_model_active


def candidate_fairness(model: ScoringModel) -> dict[str, Any]:
    """The comparison for `model` against the live model, on the open jobs' pairs whose
    applicant answered the survey and which the live model has scored."""
    live = scoring_model_active()
    rows = list(
        Pair.objects.filter(
            Resume.scorable_q("resume"),
            job__is_open=True,
            scoring_model=live,
            score__isnull=False,
            resume__self_identification__isnull=False,
        ).values_list(
            "pk",
            "score",
            "resume__self_identification__sex",
            "resume__self_identification__race_ethnicity",
        )
    )
    if not rows:
        return {"measured": False, "why": "no scored application has self-identification"}
    candidate = scoring_services.pairs_scores_under(model=model, pair_ids=[r[0] for r in rows])
    audit_record(
        actor=None,
        action="self_id_read",
        target=Target.of(model, label=model.version),
        details={"report": "fairness check of a candidate", "applications": len(rows)},
    )

    def report(scores: dict[int, float]) -> Any:
        return product_report([Applicant(scores[pk], sex, race) for pk, _, sex, race in rows])

    before = report({pk: float(score) for pk, score, _, _ in rows})
    after = report(candidate)
    categories, drops = [], []
    for b_live, b_cand in zip(before.breakdowns, after.breakdowns, strict=True):
        live_rows = {r.category: r for r in b_live.rows}
        for r in b_cand.rows:
            old = live_rows.get(r.category)
            entry = {
                "breakdown": b_cand.name,
                "category": r.category,
                "count": r.count,
                "small": r.small,
                "live_scoring": rounded(old.scoring_impact_ratio if old else None),
                "candidate_scoring": rounded(r.scoring_impact_ratio),
                "live_selection": rounded(old.selection_impact_ratio if old else None),
                "candidate_selection": rounded(r.selection_impact_ratio),
            }
            categories.append(entry)
            if not r.small:
                drops += _drops(entry)
    return {
        "measured": True,
        "live_model": live.version,
        "applications": len(rows),
        "categories": categories,
        "drops": drops,
    }


def _drops(entry: dict[str, Any]) -> list[str]:
    found = []
    for kind in ("scoring", "selection"):
        was, now = entry[f"live_{kind}"], entry[f"candidate_{kind}"]
        if was is not None and now is not None and was >= FOUR_FIFTHS > now:
            found.append(
                f"{entry['breakdown']}: {entry['category']} {kind} impact ratio "
                f"{was:.2f} -> {now:.2f}"
            )
    return found
