"""Adverse-impact figures of a sample of scored applications: pure arithmetic, no database.

What is computed is what New York City's Local Law 144 rules (6 RCNY 5-301) ask of a bias
audit of a tool that scores, plus the EEOC's four-fifths rule on selections:
- the median score of the whole sample (unknown categories included: they were scored),
- per category, its scoring rate (the share of its members scored above that median) and
  impact ratio (its scoring rate over the highest category's),
- for sex, race/ethnicity and their intersections; members with the category unknown are
  counted apart and in no rate,
- categories under 2% of the sample are flagged (the rules let an auditor leave them out
  of the impact ratios) and are not taken as the highest rate, whose tiny groups would
  make every other ratio noise,
- for a selection (a score in a band or above: the product's "strong match" and up), each
  category's selection rate and impact ratio, the four-fifths flag (ratio below 0.8), and
  Fisher's exact test of the category against the highest-rate one, since a small group's
  ratio can fall below 0.8 by chance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import fisher_exact

FOUR_FIFTHS = 0.8
SMALL_SHARE = 0.02
SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class Applicant:
    score: float
    sex: str  # "" when not stated
    race_ethnicity: str  # "" when not stated


@dataclass(frozen=True)
class CategoryRow:
    category: str
    count: int
    share: float  # of the whole sample
    scored_above_median: int
    scoring_rate: float
    scoring_impact_ratio: float | None
    selected: int
    selection_rate: float
    selection_impact_ratio: float | None
    under_four_fifths: bool  # selection impact ratio below 0.8
    fisher_p: float | None  # selection against the highest-rate category; None for it
    small: bool  # under 2% of the sample

    @property
    def significant(self) -> bool:
        return self.fisher_p is not None and self.fisher_p < SIGNIFICANCE


@dataclass(frozen=True)
class Breakdown:
    """One way of dividing the sample (sex, race/ethnicity, their intersection)."""

    name: str
    rows: list[CategoryRow]
    unknown: int  # members whose category is not stated


@dataclass(frozen=True)
class ImpactReport:
    total: int
    median_score: float | None
    selection_threshold: float
    breakdowns: list[Breakdown] = field(default_factory=list)

    def breakdown(self, name: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.name == name)


def rounded(ratio: float | None) -> float | None:
    """A ratio as reports and cards show it."""
    return None if ratio is None else round(ratio, 3)


def impact_report(
    applicants: Sequence[Applicant],
    *,
    selection_threshold: float,
    labels: Callable[[str, str], str] | None = None,
) -> ImpactReport:
    """The report of a sample. `labels(kind, value)` names a category for display
    (kind "sex" or "race_ethnicity"); values are shown as given without it."""
    name = labels or (lambda kind, value: value)
    if not applicants:
        return ImpactReport(total=0, median_score=None, selection_threshold=selection_threshold)
    scores = np.array([a.score for a in applicants], dtype=np.float64)
    median = float(np.median(scores))
    above = scores > median
    selected = scores >= selection_threshold

    def key_sex(a: Applicant) -> str | None:
        return name("sex", a.sex) if a.sex else None

    def key_race(a: Applicant) -> str | None:
        return name("race_ethnicity", a.race_ethnicity) if a.race_ethnicity else None

    def key_both(a: Applicant) -> str | None:
        if not (a.sex and a.race_ethnicity):
            return None
        return f"{name('sex', a.sex)} / {name('race_ethnicity', a.race_ethnicity)}"

    breakdowns = [
        _breakdown(title, [key(a) for a in applicants], above, selected)
        for title, key in (
            ("Sex", key_sex),
            ("Race/ethnicity", key_race),
            ("Intersection of sex and race/ethnicity", key_both),
        )
    ]
    return ImpactReport(
        total=len(applicants),
        median_score=median,
        selection_threshold=selection_threshold,
        breakdowns=breakdowns,
    )


def _breakdown(
    title: str, keys: list[str | None], above: np.ndarray, selected: np.ndarray
) -> Breakdown:
    total = len(keys)
    members: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key is not None:
            members.setdefault(key, []).append(i)
    counts = {k: len(rows) for k, rows in members.items()}
    small = {k: c / total < SMALL_SHARE for k, c in counts.items()}
    scoring = {k: float(above[rows].mean()) for k, rows in members.items()}
    selecting = {k: float(selected[rows].mean()) for k, rows in members.items()}
    # The reference is the highest rate among categories large enough to count; with only
    # small categories, the highest of them.
    eligible = [k for k in members if not small[k]] or list(members)
    top_scoring = max((scoring[k] for k in eligible), default=0.0)
    top_key = max(eligible, key=lambda k: (selecting[k], counts[k]), default=None)
    top_selecting = selecting[top_key] if top_key is not None else 0.0

    rows = []
    for key in sorted(members, key=lambda k: (-counts[k], k)):
        chosen = int(selected[members[key]].sum())
        selection_ratio = selecting[key] / top_selecting if top_selecting > 0 else None
        p_value = None
        if top_key is not None and key != top_key:
            top_chosen = int(selected[members[top_key]].sum())
            table = [
                [chosen, counts[key] - chosen],
                [top_chosen, counts[top_key] - top_chosen],
            ]
            p_value = float(fisher_exact(table)[1])
        rows.append(
            CategoryRow(
                category=key,
                count=counts[key],
                share=counts[key] / total,
                scored_above_median=int(above[members[key]].sum()),
                scoring_rate=scoring[key],
                scoring_impact_ratio=scoring[key] / top_scoring if top_scoring > 0 else None,
                selected=chosen,
                selection_rate=selecting[key],
                selection_impact_ratio=selection_ratio,
                under_four_fifths=selection_ratio is not None and selection_ratio < FOUR_FIFTHS,
                fisher_p=p_value,
                small=small[key],
            )
        )
    return Breakdown(name=title, rows=rows, unknown=total - sum(counts.values()))
