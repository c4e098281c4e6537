"""The metrics every evaluation reports, on the same definitions everywhere."""

from __future__ import annotations

import numpy as np
from scipy.stats import pearsonr, rankdata, spearmanr

from matching.bands import band_index


def evaluate(human: np.ndarray, predicted: np.ndarray) -> dict:
    human = np.asarray(human, dtype=np.float64)
    predicted = np.asarray(predicted, dtype=np.float64)
    n = len(human)
    # Correlations are undefined for fewer than two points or a constant side.
    varied = n >= 2 and human.std() > 0 and predicted.std() > 0
    return {
        "n": n,
        "spearman": round(float(spearmanr(human, predicted)[0]), 4) if varied else None,
        "pearson": round(float(pearsonr(human, predicted)[0]), 4) if varied else None,
        "mae": round(float(np.abs(human - predicted).mean()), 4) if n else None,
        "band_accuracy": round(float((band_index(human) == band_index(predicted)).mean()), 4)
        if n
        else None,
    }


def calibration_by_band(human: np.ndarray, predicted: np.ndarray) -> list[dict]:
    """Per predicted band: how many pairs, and the mean human and predicted score."""
    human, predicted = np.asarray(human), np.asarray(predicted)
    out = []
    for k, name in enumerate(("poor", "partial", "good")):
        mask = band_index(predicted) == k
        out.append(
            {
                "band": name,
                "n": int(mask.sum()),
                "human_mean": round(float(human[mask].mean()), 3) if mask.any() else None,
                "predicted_mean": round(float(predicted[mask].mean()), 3) if mask.any() else None,
            }
        )
    return out


# A job's order is measured where it has at least this many pairs with varied grades.
WITHIN_MIN_PAIRS = 3


def within_group_spearman(
    human: np.ndarray, predicted: np.ndarray, groups: np.ndarray
) -> dict[str, float | int | None]:
    """The mean Spearman within each group (a job: the order a ranking page shows), over
    the groups of WITHIN_MIN_PAIRS or more pairs whose grades vary. A model that scores
    such a group's pairs all alike counts 0 there, so that every model is measured on the
    same groups."""
    human, predicted = np.asarray(human, np.float64), np.asarray(predicted, np.float64)
    values = []
    for rows in _group_rows(groups):
        if len(rows) >= WITHIN_MIN_PAIRS and human[rows].std() > 0:
            rho = _spearman(human[rows], predicted[rows])
            values.append(rho if np.isfinite(rho) else 0.0)
    return {
        "spearman": round(float(np.mean(values)), 4) if values else None,
        "groups": len(values),
    }


# --- confidence intervals -------------------------------------------------------------------
#
# Pairs of one resume are not independent (one resume misread skews all its pairs), so the
# intervals resample whole resumes: a cluster bootstrap. scipy.stats.bootstrap resamples
# observations, not clusters, and scikit-learn has no bootstrap; the resampling here is a
# few lines over numpy, the percentile interval is scipy's definition.

BOOTSTRAP_RESAMPLES = 1000
CONFIDENCE = 0.95
CI_METRICS = ("spearman", "pearson", "band_accuracy", "mae")
# Resampling fewer resumes than this says nothing about the next resume.
CI_MIN_GROUPS = 3


def _group_rows(groups: np.ndarray) -> list[np.ndarray]:
    """The row indices of each group, in the groups' sorted order."""
    _, inverse = np.unique(np.asarray(groups), return_inverse=True)
    inverse = inverse.ravel()
    count = int(inverse.max()) + 1 if len(inverse) else 0
    return [np.flatnonzero(inverse == g) for g in range(count)]


def _draws(groups: np.ndarray, resamples: int, seed: int) -> list[np.ndarray]:
    """Row indices of each resample: as many groups as there are, drawn with replacement
    (none when there are too few groups for an interval)."""
    members = _group_rows(groups)
    if len(members) < CI_MIN_GROUPS:
        return []
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(resamples):
        chosen = rng.integers(0, len(members), len(members))
        out.append(np.concatenate([members[g] for g in chosen]))
    return out


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(rankdata(a), rankdata(b))[0, 1])


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


_METRIC_FNS = {
    "spearman": _spearman,
    "pearson": _pearson,
    "band_accuracy": lambda h, p: float((band_index(h) == band_index(p)).mean()),
    "mae": lambda h, p: float(np.abs(h - p).mean()),
}


def _interval(values: list[float]) -> list[float] | None:
    finite = np.asarray(values, np.float64)
    finite = finite[np.isfinite(finite)]
    if len(finite) < 0.9 * len(values) or not len(finite):
        return None  # most resamples undefined (too few resumes, or a constant side)
    tail = (1 - CONFIDENCE) / 2 * 100
    lo, hi = np.percentile(finite, [tail, 100 - tail])
    return [round(float(lo), 4), round(float(hi), 4)]


def evaluate_with_ci(
    human: np.ndarray,
    predicted: np.ndarray,
    groups: np.ndarray,
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = 0,
) -> dict:
    """evaluate() plus a 95% interval of each metric (resampling resumes) and the number
    of resumes the interval rests on."""
    human = np.asarray(human, np.float64)
    predicted = np.asarray(predicted, np.float64)
    out = evaluate(human, predicted)
    draws = _draws(groups, resamples, seed)
    out["resumes"] = len(np.unique(np.asarray(groups))) if len(human) else 0
    out["ci"] = {
        name: _interval([fn(human[d], predicted[d]) for d in draws]) if draws else None
        for name, fn in _METRIC_FNS.items()
    }
    return out


def difference_ci(
    human: np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    groups: np.ndarray,
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = 0,
) -> dict:
    """Spearman of `second` minus that of `first` on the same pairs, with a 95% interval
    from the same resamples for both (a paired bootstrap): the interval of the gain."""
    human, first, second = (np.asarray(a, np.float64) for a in (human, first, second))
    point = _spearman(human, second) - _spearman(human, first)
    draws = _draws(groups, resamples, seed)
    gains = [_spearman(human[d], second[d]) - _spearman(human[d], first[d]) for d in draws]
    return {
        "spearman_gain": round(point, 4) if np.isfinite(point) else None,
        "ci": _interval(gains) if draws else None,
    }
