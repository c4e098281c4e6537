"""The fast trainer: a scoring head on frozen, cached document vectors (seconds, not hours).

What it fits (applied by matching.scoring.heads.TrainedHead):
1. The memory feature of every training pair is computed out of fold (grouped by resume),
   so the ridge learns how far to trust what similar rated pairs say about a pair it has
   not seen, not a copy of its own label.
2. A ridge regression over [u * v, (u - v)^2, pair features, memory]; its penalty is chosen
   by grouped cross-validation on Spearman.
3. A monotone calibration: two thresholds on out-of-fold predictions that best reproduce
   the human bands (poor < 0.3, good >= 0.7) are mapped to 0.3 and 0.7, so the fixed bands
   mean the same for the model as for the reviewers. Monotone, so ranking is unchanged.

On gulp-dev (profile-disjoint folds) the memory adds about 0.03 Spearman over the ridge
alone, and the calibration lifts band accuracy from about 0.69 to 0.78
(docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.stats import spearmanr

from matching import bands
from matching.scoring.features import FEATURE_NAMES
from matching.scoring.heads import TrainedHead
from matching.scoring.inputs import PairInputs
from matching.scoring.vector_terms import design_matrix

ALPHAS = (0.3, 1.0, 3.0)
RESUME_TEMPERATURE = 0.1
JOB_TEMPERATURE = 0.1
FOLDS = 5

Progress = Callable[[float, str], None]


@dataclass
class FastParams:
    alphas: tuple[float, ...] = ALPHAS
    resume_temperature: float = RESUME_TEMPERATURE
    job_temperature: float = JOB_TEMPERATURE
    folds: int = FOLDS


def group_folds(groups: np.ndarray, folds: int) -> list[np.ndarray]:
    """Row indices of each fold; all rows of a group in one fold, folds of similar size."""
    uniq, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    k = max(2, min(folds, len(uniq)))
    load = np.zeros(k)
    fold_of = np.empty(len(uniq), dtype=int)
    # Largest groups first into the emptiest fold (as scikit-learn's GroupKFold does).
    for g in np.argsort(-counts, kind="stable"):
        f = int(np.argmin(load))
        fold_of[g] = f
        load[f] += counts[g]
    row_fold = fold_of[inverse.ravel()]
    return [np.flatnonzero(row_fold == f) for f in range(k)]


def _memory_head(inputs: PairInputs, scores: np.ndarray, rows: np.ndarray, p: FastParams):
    return TrainedHead(
        coef=np.zeros(0),
        intercept=0.0,
        feature_names=FEATURE_NAMES,
        memory_resumes=inputs.resume_vectors[rows],
        memory_jobs=inputs.job_vectors[rows],
        memory_scores=scores[rows].astype(np.float32),
        resume_temperature=p.resume_temperature,
        job_temperature=p.job_temperature,
        knots=np.array(bands.KNOTS),
    )


def _memory_out_of_fold(inputs, scores, rows, groups, p: FastParams) -> np.ndarray:
    """The memory feature of `rows`, each computed from the other folds' pairs."""
    out = np.empty(len(rows))
    for fold in group_folds(groups[rows], p.folds):
        rest = np.setdiff1d(np.arange(len(rows)), fold)
        head = _memory_head(inputs, scores, rows[rest], p)
        out[fold] = head.memory_scores_pairs(
            inputs.resume_vectors[rows[fold]], inputs.job_vectors[rows[fold]]
        )
    return out


def _ridge(x: np.ndarray, y: np.ndarray, alpha: float) -> tuple[np.ndarray, float]:
    """Ridge with an unpenalised intercept, solved in the smaller of the two spaces."""
    x_mean, y_mean = x.mean(axis=0), y.mean()
    xc, yc = x - x_mean, y - y_mean
    n, d = xc.shape
    if n < d:  # dual: (XX' + aI)^-1 y
        coef = xc.T @ np.linalg.solve(xc @ xc.T + alpha * np.eye(n), yc)
    else:
        coef = np.linalg.solve(xc.T @ xc + alpha * np.eye(d), xc.T @ yc)
    return coef, float(y_mean - x_mean @ coef)


def _band_knots(raw: np.ndarray, human: np.ndarray) -> np.ndarray:
    """Knots (min, t_poor, t_good, max) whose bands best match the human bands."""
    target = bands.band_index(human)
    candidates = np.unique(np.quantile(raw, np.linspace(0.02, 0.98, 49)))
    best, best_acc = (candidates[0], candidates[-1]), -1.0
    for i, lo in enumerate(candidates):
        for hi in candidates[i + 1 :]:
            acc = float((np.digitize(raw, [lo, hi]) == target).mean())
            if acc > best_acc:
                best, best_acc = (lo, hi), acc
    lo, hi = best
    low_end, high_end = min(raw.min(), lo) - 1e-6, max(raw.max(), hi) + 1e-6
    knots = np.array([low_end, lo, hi, high_end], dtype=np.float64)
    # np.interp needs increasing knots.
    return np.maximum.accumulate(knots + np.arange(4) * 1e-9)


def train_fast(
    inputs: PairInputs,
    scores: np.ndarray,
    groups: np.ndarray,
    *,
    params: FastParams | None = None,
    progress: Progress | None = None,
) -> tuple[TrainedHead, dict]:
    """Fit a head on training pairs; returns it and what was chosen (for the run's log)."""
    p = params or FastParams()
    report = progress or (lambda fraction, stage: None)
    scores = np.asarray(scores, dtype=np.float64)
    groups = np.asarray(groups)
    rows = np.arange(len(scores))
    folds = group_folds(groups, p.folds)

    report(0.1, "memory feature, out of fold")
    memory = _memory_out_of_fold(inputs, scores, rows, groups, p)
    x = design_matrix(inputs.resume_vectors, inputs.job_vectors, inputs.features, memory)

    # Out-of-fold predictions per penalty: choose the penalty, then fit the calibration
    # on the chosen one's predictions (data the ridge did not see).
    oof = {alpha: np.empty(len(scores)) for alpha in p.alphas}
    for k, fold in enumerate(folds):
        report(0.2 + 0.6 * k / len(folds), f"cross-validation fold {k + 1} of {len(folds)}")
        rest = np.setdiff1d(rows, fold)
        for alpha in p.alphas:
            coef, intercept = _ridge(x[rest], scores[rest], alpha)
            oof[alpha][fold] = x[fold] @ coef + intercept
    cv = {alpha: float(spearmanr(pred, scores)[0]) for alpha, pred in oof.items()}
    alpha = max(cv, key=lambda a: (np.nan_to_num(cv[a], nan=-1.0), a))

    report(0.85, "final fit")
    coef, intercept = _ridge(x, scores, alpha)
    knots = _band_knots(oof[alpha], scores)
    head = TrainedHead(
        coef=coef,
        intercept=intercept,
        feature_names=FEATURE_NAMES,
        memory_resumes=inputs.resume_vectors.astype(np.float32),
        memory_jobs=inputs.job_vectors.astype(np.float32),
        memory_scores=scores.astype(np.float32),
        resume_temperature=p.resume_temperature,
        job_temperature=p.job_temperature,
        knots=knots,
    )
    chosen = {
        "alpha": alpha,
        "cv_spearman": {str(a): round(v, 4) for a, v in cv.items()},
        "knots": [round(float(k), 4) for k in knots],
        "folds": len(folds),
    }
    report(1.0, "head fitted")
    return head, chosen


# --- learning curve: would more labels help? ------------------------------------------------

CURVE_FRACTIONS = (0.2, 0.4, 0.6, 0.8)
# Draws per share: three steady the curve on small data sets, where a fit is quick; above
# CURVE_MANY_PAIRS one draw each keeps the whole curve at about one more fit of the head.
CURVE_SEEDS = 3
CURVE_MANY_PAIRS = 1000
# Fewer resumes than this and the head's grouped cross-validation has nothing to split.
CURVE_MIN_GROUPS = 4


def learning_curve(
    inputs: PairInputs,
    scores: np.ndarray,
    groups: np.ndarray,
    validation: PairInputs,
    human: np.ndarray,
    *,
    full: dict,
    alpha: float | None = None,
    progress: Progress | None = None,
) -> list[dict]:
    """Validation metrics of heads fitted on growing shares of the training resumes.

    Each share is drawn by resume (a resume's pairs stay together, as in the real split)
    and fitted like the candidate; the last point is the candidate itself (`full`, its
    metrics), not fitted again. A curve still climbing at 100% says more labels will help.
    `alpha`: the candidate's penalty, reused rather than chosen again per share (a third
    of the cross-validation work).
    """
    from training.metrics import evaluate

    report = progress or (lambda fraction, stage: None)
    params = FastParams(alphas=(alpha,)) if alpha is not None else None
    scores = np.asarray(scores, dtype=np.float64)
    groups = np.asarray(groups)
    uniq = np.unique(groups)
    seeds = CURVE_SEEDS if len(scores) <= CURVE_MANY_PAIRS else 1
    points: list[dict] = []
    for k, fraction in enumerate(CURVE_FRACTIONS):
        report(k / len(CURVE_FRACTIONS), f"learning curve: {fraction:.0%} of the resumes")
        take = max(1, round(fraction * len(uniq)))
        if take < CURVE_MIN_GROUPS:
            continue
        runs, pairs = [], 0
        for seed in range(seeds):
            chosen = np.random.default_rng(seed).choice(uniq, size=take, replace=False)
            rows = np.flatnonzero(np.isin(groups, chosen))
            head, _ = train_fast(inputs.take(rows), scores[rows], groups[rows], params=params)
            predicted = head(validation.resume_vectors, validation.job_vectors, validation.features)
            runs.append(evaluate(human, predicted))
            pairs += len(rows)
        points.append(_curve_point(fraction, take, pairs // seeds, runs))
    points.append(_curve_point(1.0, len(uniq), len(scores), [full]))
    report(1.0, "learning curve done")
    return points


def _curve_point(fraction: float, resumes: int, pairs: int, runs: list[dict]) -> dict:
    def mean(name: str) -> float | None:
        values = [r[name] for r in runs if r.get(name) is not None]
        return round(float(np.mean(values)), 4) if values else None

    def spread(name: str) -> float | None:
        values = [r[name] for r in runs if r.get(name) is not None]
        return round(float(np.std(values)), 4) if len(values) > 1 else None

    return {
        "fraction": fraction,
        "resumes": resumes,
        "pairs": pairs,
        "draws": len(runs),
        "spearman": mean("spearman"),
        "spearman_sd": spread("spearman"),
        "band_accuracy": mean("band_accuracy"),
        "band_accuracy_sd": spread("band_accuracy"),
    }
