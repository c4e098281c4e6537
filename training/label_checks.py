"""Checks of the labels themselves, once the live model has scored the run's pairs.

training.checks looks at the data's shape before anything is embedded; these need the
live model's scores of the same pairs, or the reviewers behind the labels:

- labels anti-correlated with the live model (an inverted scale: 1 meant "poor" to whoever
  wrote them): trained on, they teach the model to rank backwards, and the run's own
  held-out labels, inverted the same way, would call that better;
- labels that copy the live model's scores: the model would learn what it already says;
- one reviewer behind most labels: the model learns one person's taste;
- a reviewer who agrees with the others far less than the rest do;
- too few resumes or jobs to validate on: the comparison would be noise.

The first two block the run (a warning with --force, and the candidate is then never
called better: training.gate); the others are warnings the run page shows.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
from django.contrib.auth import get_user_model

from matching.models import Rating
from matching.review.agreement import krippendorff_alpha_interval
from training import metrics
from training.checks import ECHO_SHARE, ECHO_TOLERANCE, Check
from training.datasets import Example

# The labels' Spearman with the live model must be below 0 with 95% confidence.
INVERTED = "labels_inverted"
COPIED = "labels_copy_model"
BLOCKING_CODES = (INVERTED, COPIED)
# Labels this close to the live model's ranking are a copy of it, whatever their scale
# (two people rating the same pairs reach about 0.75 on gulp-dev). Ranks, since a score
# copied from a page and the run's own scoring of the pair differ a little: the lexical
# weights depend on the batch of texts scored together.
COPY_SPEARMAN = 0.95
# One reviewer behind more than this share of the rated labels.
ONE_REVIEWER_SHARE = 0.75
ONE_REVIEWER_MIN_LABELS = 20
# A reviewer's agreement (Krippendorff's alpha with the others on pairs they share) this
# far below the others' among themselves, on at least this many shared pairs.
AGREEMENT_GAP = 0.3
AGREEMENT_MIN_PAIRS = 5
# Fewer validation resumes or jobs than this make the comparison noise.
MIN_VALIDATION_RESUMES = 5
MIN_VALIDATION_JOBS = 2


def label_checks(
    examples: list[Example],
    live_pred: np.ndarray,
    validation: list[Example],
    *,
    gold: list[Example] | None = None,
    force: bool = False,
) -> list[Check]:
    """Every label check of a run: `examples` are all its labels (training and
    validation) and `live_pred` the live model's scores of them, in order; the reviewers
    of the gold set the run is judged on are checked too."""
    level = "warning" if force else "error"
    human = np.array([e.score for e in examples], np.float64)
    groups = np.array([e.group for e in examples])
    return [
        *_scale_checks(human, np.asarray(live_pred, np.float64), groups, level),
        *_reviewer_checks(examples, gold or []),
        *_validation_size_checks(validation),
    ]


def _scale_checks(human: np.ndarray, live: np.ndarray, groups: np.ndarray, level: str) -> list:
    if len(human) < 3 or human.std() == 0 or live.std() == 0:
        return []
    measured = metrics.evaluate_with_ci(human, live, groups, resamples=500)
    rho, ci = measured["spearman"], measured["ci"]["spearman"]
    echoed = float((np.abs(human - live) <= ECHO_TOLERANCE).mean())
    if rho is not None and ci is not None and ci[1] < 0:
        return [
            Check(
                INVERTED,
                level,
                f"The labels rank the pairs against the live model (Spearman {rho:.2f}, 95% "
                f"interval {ci[0]:.2f} to {ci[1]:.2f} over {measured['resumes']} resumes): "
                "is the scale inverted (1 meaning a poor match)? A model trained on them "
                "would rank backwards, and the run's own held-out labels would call it "
                "better. Check the scale (0 poor, 1 strong).",
            )
        ]
    if echoed > ECHO_SHARE or (rho is not None and rho >= COPY_SPEARMAN):
        return [
            Check(
                COPIED,
                level,
                f"The labels copy the live model's scores ({echoed:.0%} within "
                f"{ECHO_TOLERANCE} of them, Spearman {rho:.2f}): a model trained on them "
                "learns what the live model already says. Labels must come from people "
                "who rated without the model's score.",
            )
        ]
    return []


def _reviewer_checks(examples: list[Example], gold: list[Example]) -> list[Check]:
    rated = [e for e in examples if e.reviewers]
    per_reviewer = Counter(r for e in rated for r in set(e.reviewers))
    judging = set(per_reviewer) | {r for e in gold for r in e.reviewers}
    out: list[Check] = []
    names = dict(get_user_model().objects.filter(pk__in=judging).values_list("pk", "username"))
    if len(rated) >= ONE_REVIEWER_MIN_LABELS and per_reviewer:
        top, count = per_reviewer.most_common(1)[0]
        if count / len(rated) > ONE_REVIEWER_SHARE:
            out.append(
                Check(
                    "one_reviewer",
                    "warning",
                    f"{names.get(top, top)} rated {count} of the {len(rated)} rated pairs "
                    f"({count / len(rated):.0%}): the model learns one person's judgment. "
                    "Have other reviewers rate some of the same jobs.",
                )
            )
    out += _agreement_checks(judging, names)
    return out


def _agreement_checks(reviewers: set[int], names: dict) -> list[Check]:
    """A reviewer whose alpha with the others is far below the others' among themselves."""
    rows = list(
        Rating.objects.filter(reviewer__isnull=False, pair__rating_count__gte=2)
        .values_list("pair_id", "reviewer_id", "score")
        .order_by()
    )
    by_pair: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for pair, reviewer, score in rows:
        by_pair[pair].append((reviewer, score))
    out = []
    for reviewer in sorted(reviewers):
        shared = [v for v in by_pair.values() if len(v) >= 2 and any(r == reviewer for r, _ in v)]
        if len(shared) < AGREEMENT_MIN_PAIRS:
            continue
        # Their score beside the others' mean on each pair they share.
        theirs = _alpha(
            [
                [
                    (0, next(s for r, s in v if r == reviewer)),
                    (1, float(np.mean([s for r, s in v if r != reviewer]))),
                ]
                for v in shared
            ]
        )
        others = _alpha([[(r, s) for r, s in v if r != reviewer] for v in by_pair.values()])
        if theirs is None or others is None or others - theirs < AGREEMENT_GAP:
            continue
        out.append(
            Check(
                "reviewer_disagrees",
                "warning",
                f"{names.get(reviewer, reviewer)} agrees with the other reviewers far less "
                f"than they agree among themselves (Krippendorff's alpha {theirs:.2f} on "
                f"{len(shared)} shared pairs, against {others:.2f}): their labels may "
                "read the scale differently. Compare their ratings in the admin's "
                "reviewer agreement page.",
            )
        )
    return out


def _alpha(pairs: list[list[tuple[int, float]]]) -> float | None:
    units = [k for k, v in enumerate(pairs) for _ in v if len(v) >= 2]
    values = [s for v in pairs if len(v) >= 2 for _, s in v]
    return krippendorff_alpha_interval(np.array(units), np.array(values)) if units else None


def _validation_size_checks(validation: list[Example]) -> list[Check]:
    resumes = len({e.group for e in validation})
    jobs = len({e.key[1] for e in validation})
    if not validation or (resumes >= MIN_VALIDATION_RESUMES and jobs >= MIN_VALIDATION_JOBS):
        return []
    return [
        Check(
            "validation_too_small",
            "warning",
            f"The validation set holds {resumes} resumes and {jobs} jobs: too few for the "
            f"comparison with the live model to mean much (at least "
            f"{MIN_VALIDATION_RESUMES} resumes and {MIN_VALIDATION_JOBS} jobs). Its "
            "intervals say how wide the noise is.",
        )
    ]
