"""The gate between a candidate and the live model: measured on data the run had no say
in, and "better" only beyond noise.

A run's own held-out labels come from the same source as its training labels: labels on
an inverted scale, or one reviewer's taste, are in both, and a candidate that learned them
measures better on them. So the candidate and the live model are also measured on the
standing gold set: pairs that more than one person stands behind (rated by two reviewers
or more, or settled by a lead), kept out of every run's training unless a run asks for
them (`--train-on-gold`). Every figure comes with a 95% interval from resampling resumes
(training.metrics), and the verdict is:

- better: the candidate's Spearman gain over the live model is above 0 with 95%
  confidence on the validation set or the gold set, and below 0 on neither;
- worse: the gain is below 0 with 95% confidence on either set;
- unclear: neither (the difference is within noise, or there are too few resumes to say);
- untrusted: a blocking label check (training.label_checks) fired and the run was forced.

Only a better candidate goes live without insisting (matching.scoring.activation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from training import metrics
from training.checks import Check
from training.datasets import Example
from training.label_checks import BLOCKING_CODES

# A gold set smaller than this says nothing about a candidate; the run's validation decides.
GOLD_MIN_PAIRS = 10
GOLD_MIN_RESUMES = 3

BETTER, WORSE, UNCLEAR, UNTRUSTED = "better", "worse", "unclear", "untrusted"


@dataclass
class GoldSplit:
    train: list[Example]
    validation: list[Example]
    gold: list[Example]
    checks: list[Check]


def gold_split(
    train: list[Example],
    validation: list[Example],
    db: list[Example],
    *,
    train_on_gold: bool = False,
) -> GoldSplit:
    """Take the standing gold set (the gold examples of `db`, datasets.examples_from_db)
    out of a run's examples (any pair of it, whichever source brought it), unless the run
    trains on it; it then judges nothing."""
    standing = [e for e in db if e.is_gold]
    if not standing:
        return GoldSplit(train, validation, [], [])
    if train_on_gold:
        note = (
            f"Trained on the gold set ({len(standing)} pairs rated by several reviewers or "
            "settled): the candidate is compared on the validation set only."
        )
        return GoldSplit(train, validation, [], [Check("gold_in_training", "warning", note)])
    keys = {e.key for e in standing}
    kept_train = [e for e in train if e.key not in keys]
    kept_validation = [e for e in validation if e.key not in keys]
    checks = []
    dropped = len(train) + len(validation) - len(kept_train) - len(kept_validation)
    if dropped:
        checks.append(
            Check(
                "gold_held_out",
                "info",
                f"{dropped} examples are pairs of the gold set: kept out of this run's "
                "training and validation, the models are measured on them instead.",
            )
        )
    resumes = len({e.group for e in standing})
    if len(standing) < GOLD_MIN_PAIRS or resumes < GOLD_MIN_RESUMES:
        checks.append(
            Check(
                "gold_too_small",
                "info",
                f"The gold set holds {len(standing)} pairs of {resumes} resumes: too few to "
                f"judge a model on (at least {GOLD_MIN_PAIRS} pairs of {GOLD_MIN_RESUMES} "
                "resumes); the run's validation set decides alone.",
            )
        )
        standing = []
    return GoldSplit(kept_train, kept_validation, standing, checks)


def groups_of(examples: list[Example]) -> np.ndarray:
    return np.array([e.group for e in examples])


def measured_on(examples: list[Example], predicted: np.ndarray, model: str) -> dict[str, Any]:
    """A model's metrics on examples, with their intervals, as the run stores them."""
    human = np.array([e.score for e in examples], np.float64)
    return {**metrics.evaluate_with_ci(human, predicted, groups_of(examples)), "model": model}


def verdict(
    *,
    validation: list[Example],
    live_val: np.ndarray,
    candidate_val: np.ndarray,
    gold: list[Example],
    live_gold: np.ndarray | None,
    candidate_gold: np.ndarray | None,
    checks: list[Check],
) -> dict[str, Any]:
    """The candidate against the live model on each set: the Spearman gain with its
    interval, and the verdict with the reasons behind it."""
    sets = {"validation": _gain(validation, live_val, candidate_val)}
    if gold and live_gold is not None and candidate_gold is not None:
        sets["gold"] = _gain(gold, live_gold, candidate_gold)
    untrusted = [c for c in checks if c.code in BLOCKING_CODES]
    reasons = [f"{name}: {_said(gain)}" for name, gain in sets.items()]
    if untrusted:
        found = UNTRUSTED
        reasons.insert(0, "the labels failed the check " + ", ".join(c.code for c in untrusted))
    elif any(_below(g) for g in sets.values()):
        found = WORSE
    elif any(_above(g) for g in sets.values()) and all(
        (g["spearman_gain"] or 0) >= 0 for g in sets.values()
    ):
        found = BETTER
    else:
        found = UNCLEAR
    return {"verdict": found, **sets, "reasons": reasons}


def _gain(examples: list[Example], live: np.ndarray, candidate: np.ndarray) -> dict[str, Any]:
    human = np.array([e.score for e in examples], np.float64)
    return {**metrics.difference_ci(human, live, candidate, groups_of(examples)), "n": len(human)}


def _below(gain: dict) -> bool:
    ci, point = gain["ci"], gain["spearman_gain"]
    return (ci[1] < 0) if ci else (point is not None and point < 0)


def _above(gain: dict) -> bool:
    return bool(gain["ci"]) and gain["ci"][0] > 0


def _said(gain: dict) -> str:
    point, ci = gain["spearman_gain"], gain["ci"]
    if point is None:
        return "no Spearman (a constant side)"
    interval = f", 95% interval {ci[0]:+.3f} to {ci[1]:+.3f}" if ci else ", no interval"
    return f"Spearman gain {point:+.3f}{interval} over {gain['n']} pairs"
