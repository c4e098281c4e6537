"""Agreement between reviewers: Krippendorff's alpha with the interval metric.

krippendorff_alpha_interval computes it with the `krippendorff` package; reviewer_agreement
feeds it the ratings of the database. Alpha is
1 when reviewers always agree, 0 when they agree no better than chance, below 0 when
they disagree systematically. Unlike a mean pairwise correlation it copes with any
number of reviewers per pair and with reviewers who rated different pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import krippendorff
import numpy as np
from django.db.models import Avg, Count

from matching.models import Job, Rating
from matching.review.selectors import pairs_conflicting


def krippendorff_alpha_interval(units: np.ndarray, values: np.ndarray) -> float | None:
    """Alpha of `values` (one rating each) grouped by `units` (the pair each belongs to),
    by the `krippendorff` package with the interval metric.

    Alpha needs no rater identity, only the values each unit holds, so unit u's values
    fill column u of the reliability matrix from the top (NaN below). Units with one
    value are not pairable and leave alpha unchanged, as Krippendorff (2011) prescribes.
    None when nothing can be measured: no unit with two values, or no variation at all
    (the package raises there)."""
    units = np.asarray(units)
    values = np.asarray(values, dtype=np.float64)
    if units.shape != values.shape:
        raise ValueError("units and values must have the same length")
    _, idx = np.unique(units, return_inverse=True)
    idx = idx.ravel()
    counts = np.bincount(idx) if idx.size else np.zeros(0, int)
    pairable = counts[idx] >= 2 if idx.size else np.zeros(0, bool)
    if pairable.sum() < 2 or np.ptp(values[pairable]) <= 1e-12:
        return None
    order = np.argsort(idx, kind="stable")
    row = np.arange(len(idx)) - np.concatenate([[0], np.cumsum(counts)[:-1]])[idx[order]]
    matrix = np.full((int(counts.max()), len(counts)), np.nan)
    matrix[row, idx[order]] = values[order]
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval"))


@dataclass
class AgreementRow:
    job: Job | None  # None: every job together
    alpha: float | None  # None: fewer than two reviewers on any pair, or no variation
    pairs: int  # pairs with two reviewers or more (the units alpha is measured on)
    ratings: int  # their ratings, one per reviewer and pair
    conflicts: int  # pairs a band or more apart, not settled yet


@dataclass
class AgreementReport:
    overall: AgreementRow
    jobs: list[AgreementRow]


def reviewer_agreement() -> AgreementReport:
    """Krippendorff's alpha (interval) between reviewers, per job and over every job.

    Units are pairs, values the reviewers' ratings; ratings without a reviewer (imports,
    anonymous feedback) are left out, since they could be anyone. A reviewer with two
    ratings of one pair (from before rating_submit) counts once, with their mean.
    Three queries: the ratings of pairs rated at least twice, the jobs, the conflicts.
    """
    rows = np.array(
        list(
            Rating.objects.filter(reviewer__isnull=False, pair__rating_count__gte=2)
            .values("pair_id", "pair__job_id", "reviewer_id")
            .annotate(score=Avg("score"))
            .order_by()
            .values_list("pair_id", "pair__job_id", "score")
        ),
        dtype=np.float64,
    ).reshape(-1, 3)
    pair_ids, job_ids, scores = rows[:, 0].astype(np.int64), rows[:, 1].astype(np.int64), rows[:, 2]
    conflicts = dict(
        pairs_conflicting()
        .filter(settled_score__isnull=True)
        .order_by()
        .values("job")
        .annotate(n=Count("pk"))
        .values_list("job", "n")
    )

    def row(job: Job | None, mask: np.ndarray) -> AgreementRow:
        _, counts = np.unique(pair_ids[mask], return_counts=True)
        pairable = counts >= 2
        return AgreementRow(
            job=job,
            alpha=krippendorff_alpha_interval(pair_ids[mask], scores[mask]),
            pairs=int(pairable.sum()),
            ratings=int(counts[pairable].sum()),
            conflicts=sum(conflicts.values()) if job is None else conflicts.get(job.pk, 0),
        )

    jobs = Job.objects.filter(pk__in=set(job_ids.tolist()) | set(conflicts)).order_by("title")
    return AgreementReport(
        overall=row(None, np.ones(len(pair_ids), dtype=bool)),
        jobs=[row(job, job_ids == job.pk) for job in jobs],
    )
