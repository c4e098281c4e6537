"""Active learning on gulp-dev: does the review queue's order need fewer labels than random?

The review queue decides which pair a reviewer rates next. This simulates it: the labels of
gulp-dev are revealed in the order a strategy asks for them, the fast head is retrained
every --step labels, and its Spearman on held-out resumes is recorded against the label
count. Folds hold out whole resumes (5 folds), each strategy is run with --seeds tie-break
seeds per fold, and the curves are the mean over folds and seeds.

Strategies (the first ones are what matching.review.selectors.review_queue can order by):
- random: a random order, the baseline;
- uncertainty: the job with the fewest labels first, then the pair the live model is
  least sure of (pre-trained score nearest 0.5): the queue's order until this bench showed
  it below random order;
- queue: the job with the fewest labels first, then a random pair of it: the queue's order
  now (a fixed draw per pair);
- spread: the pair whose job and resume have the fewest labels together, then the live
  model's uncertainty: labels spread across resumes as well as jobs;
- disagree: the job with the fewest labels first, then the pair where the head trained so
  far and the live model disagree most (a committee of two), updated at every retrain.

Reported: the curves, and per strategy the fewest labels whose mean Spearman reaches
random order's at --target labels. With --svg the curves are drawn (docs/).

    .venv/bin/python bench/active_learning.py [--seeds 3] [--step 25] [--max 500]
        [--target 500] [--json OUT] [--svg OUT]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scratch

scratch.setup("bench-active-")

from django.core.management import call_command  # noqa: E402
from django.utils.safestring import mark_safe  # noqa: E402

from matching.models_store import PRETRAINED_KEY  # noqa: E402
from matching.scoring.heads import scorer_for  # noqa: E402
from matching.scoring.inputs import PairInputs  # noqa: E402
from training import svg  # noqa: E402
from training.fast import group_folds, train_fast  # noqa: E402
from training.metrics import evaluate  # noqa: E402
from training.steps import examples_features  # noqa: E402

PRETRAINED = scratch.pretrained()
STRATEGIES = ("random", "uncertainty", "queue", "spread", "disagree", "variance")
COLOURS = {
    "random": "#64748b",
    "uncertainty": "#dc2626",
    "queue": "#2563eb",
    "spread": "#16a34a",
    "disagree": "#d97706",
    "variance": "#9333ea",
}


class Pool:
    """The unlabelled pairs of one fold and the labels revealed so far."""

    def __init__(self, rows: np.ndarray, jobs: np.ndarray, resumes: np.ndarray, live: np.ndarray):
        self.rows = rows
        self.jobs, self.resumes, self.live = jobs[rows], resumes[rows], live[rows]
        self.taken = np.zeros(len(rows), dtype=bool)
        self.order: list[int] = []
        self.job_labels: dict[str, int] = {}
        self.resume_labels: dict[str, int] = {}
        self.variance: Variance

    def take(self, k: int) -> None:
        self.taken[k] = True
        self.order.append(int(self.rows[k]))
        j, r = self.jobs[k], self.resumes[k]
        self.job_labels[j] = self.job_labels.get(j, 0) + 1
        self.resume_labels[r] = self.resume_labels.get(r, 0) + 1

    def counts(self, labels: dict[str, int], keys: np.ndarray) -> np.ndarray:
        return np.array([labels.get(k, 0) for k in keys])


# A strategy picks the next `n` pairs of a pool; `head` is the latest head's prediction for
# every pool pair (None before the first retrain), `tie` a random number per pool pair.
Pick = Callable[[Pool, int, np.ndarray | None, np.ndarray], None]


def _pick_by(
    pool: Pool,
    n: int,
    keys: Callable[[], tuple[np.ndarray, ...]],
    after: Callable[[int], None] | None = None,
) -> None:
    """One pair at a time, the lexicographic minimum of keys (last key most significant,
    as numpy.lexsort reads them); the counts change after every pick."""
    for _ in range(n):
        free = np.flatnonzero(~pool.taken)
        if not len(free):
            return
        order = np.lexsort(tuple(k[free] for k in keys()))
        pool.take(int(free[order[0]]))
        if after is not None:
            after(int(free[order[0]]))


def pick_random(pool: Pool, n: int, head: np.ndarray | None, tie: np.ndarray) -> None:
    _pick_by(pool, n, lambda: (tie,))


def pick_uncertainty(pool: Pool, n: int, head: np.ndarray | None, tie: np.ndarray) -> None:
    unsure = np.abs(pool.live - 0.5)
    _pick_by(pool, n, lambda: (tie, unsure, pool.counts(pool.job_labels, pool.jobs)))


def pick_queue(pool: Pool, n: int, head: np.ndarray | None, tie: np.ndarray) -> None:
    _pick_by(pool, n, lambda: (tie, pool.counts(pool.job_labels, pool.jobs)))


def pick_spread(pool: Pool, n: int, head: np.ndarray | None, tie: np.ndarray) -> None:
    unsure = np.abs(pool.live - 0.5)

    def keys() -> tuple[np.ndarray, ...]:
        seen = pool.counts(pool.job_labels, pool.jobs) + pool.counts(
            pool.resume_labels, pool.resumes
        )
        return (tie, unsure, seen)

    _pick_by(pool, n, keys)


def pick_disagree(pool: Pool, n: int, head: np.ndarray | None, tie: np.ndarray) -> None:
    if head is None:
        pick_uncertainty(pool, n, head, tie)
        return
    apart = -np.abs(head - pool.live)
    _pick_by(pool, n, lambda: (tie, apart, pool.counts(pool.job_labels, pool.jobs)))


class Variance:
    """The predictive variance of a ridge on the pair's vectors (in their top principal
    directions, whitened): how much a label there would tell the head that the labels so
    far have not. Updated after every pick (Sherman-Morrison), so it spreads the labels
    across what the pairs are about rather than around one score."""

    DIMS = 64

    def __init__(self, pool: Pool, design: np.ndarray) -> None:
        x = design[pool.rows]
        x = x - x.mean(axis=0)
        _, s, vt = np.linalg.svd(x, full_matrices=False)
        k = min(self.DIMS, len(s))
        self.x = x @ vt[:k].T / (s[:k] / np.sqrt(len(x)))
        self.inv = np.eye(k)
        self.var = np.einsum("ij,ij->i", self.x, self.x)

    def taken(self, k: int) -> None:
        z = self.inv @ self.x[k]
        denom = 1.0 + float(self.x[k] @ z)
        self.inv -= np.outer(z, z) / denom
        self.var -= (self.x @ z) ** 2 / denom


def pick_variance(pool: Pool, n: int, head: np.ndarray | None, tie: np.ndarray) -> None:
    state = pool.variance
    _pick_by(
        pool, n, lambda: (tie, -state.var, pool.counts(pool.job_labels, pool.jobs)), state.taken
    )


PICKS: dict[str, Pick] = {
    "random": pick_random,
    "uncertainty": pick_uncertainty,
    "queue": pick_queue,
    "spread": pick_spread,
    "disagree": pick_disagree,
    "variance": pick_variance,
}


def simulate(
    strategy: str,
    inputs: PairInputs,
    y: np.ndarray,
    data: dict[str, np.ndarray],
    fold: np.ndarray,
    seed: int,
    counts: list[int],
) -> list[float | None]:
    """Spearman on the held-out fold after each label count of `counts`."""
    rest = np.setdiff1d(np.arange(len(y)), fold)
    pool = Pool(rest, data["jobs"], data["resumes"], data["live"])
    if strategy == "variance":
        pool.variance = Variance(pool, data["design"])
    tie = np.random.default_rng(seed).random(len(rest))
    held = inputs.take(fold)
    pool_in = inputs.take(rest)
    head_pred: np.ndarray | None = None
    curve: list[float | None] = []
    for count in counts:
        PICKS[strategy](pool, count - len(pool.order), head_pred, tie)
        rows = np.array(pool.order)
        head, _ = train_fast(inputs.take(rows), y[rows], data["resumes"][rows])
        curve.append(
            evaluate(y[fold], head(held.resume_vectors, held.job_vectors, held.features))[
                "spearman"
            ]
        )
        if strategy == "disagree":
            head_pred = head(pool_in.resume_vectors, pool_in.job_vectors, pool_in.features)
    return curve


def per_count(runs: list[list[float | None]], reduce: Callable) -> list[float]:
    """One figure per label count over the runs (folds x seeds); a run whose head predicted
    a constant (no Spearman) counts for nothing."""
    return [
        float(reduce([np.nan if v is None else v for v in col])) for col in zip(*runs, strict=True)
    ]


def labels_to_reach(counts: list[int], mean: list[float], goal: float) -> int | None:
    return next((c for c, m in zip(counts, mean, strict=True) if m >= goal), None)


def plot(counts: list[int], curves: dict[str, list[float]], goal: float) -> str:
    lo = float(np.floor(min(min(c) for c in curves.values()) * 20) / 20)
    hi = float(np.ceil(max(max(c) for c in curves.values()) * 20) / 20)
    ticks = tuple(round(t, 2) for t in np.arange(lo, hi + 1e-9, 0.05))
    top = counts[-1]
    parts = [svg.y_axis("Spearman, held-out resumes", ticks, lo, hi)]
    for c in counts:
        if c % 100 == 0:
            parts.append(
                svg.html(
                    '<text x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>',
                    svg.plot_x(c / top),
                    svg.plot_y(lo, lo, hi) + 14,
                    str(c),
                )
            )
    parts.append(
        svg.html(
            '<line x1="{:.1f}" y1="{y:.1f}" x2="{:.1f}" y2="{y:.1f}" stroke="#64748b" '
            'stroke-dasharray="4 3"/>',
            svg.plot_x(0),
            svg.plot_x(1),
            y=svg.plot_y(goal, lo, hi),
        )
    )
    for name, mean in curves.items():
        points = " ".join(
            f"{svg.plot_x(c / top):.1f},{svg.plot_y(m, lo, hi):.1f}"
            for c, m in zip(counts, mean, strict=True)
        )
        parts.append(
            svg.html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                points,
                COLOURS[name],
            )
        )
    parts.append(svg.x_title("labels revealed"))
    # Three swatches a row: the plot is as narrow as the run page's.
    names = list(curves)
    for row in range(0, len(names), 3):
        parts.append(
            svg.html(
                '<g transform="translate(0 {})">{}</g>',
                row // 3 * 13,
                svg.legend([(n, COLOURS[n], False) for n in names[row : row + 3]]),
            )
        )
    body = mark_safe("".join(str(p) for p in parts))
    label = "Active learning on gulp-dev: Spearman on held-out resumes against labels"
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + str(
        svg.svg("active-learning", label, body)
    ).replace('class="run-plot" ', 'xmlns="http://www.w3.org/2000/svg" ')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gulp", type=Path, default=scratch.GULP)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--step", type=int, default=25)
    parser.add_argument("--max", type=int, default=500)
    parser.add_argument("--target", type=int, default=500, help="Random order's label count.")
    parser.add_argument("--strategies", nargs="*", default=list(STRATEGIES))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--svg", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    examples = scratch.gulp_examples(args.gulp)
    inputs = examples_features(examples, PRETRAINED_KEY, cache=False)
    y = np.array([e.score for e in examples])
    data = {
        "resumes": np.array([e.group for e in examples]),
        "jobs": np.array([e.key[1] for e in examples]),
        "live": scorer_for(PRETRAINED)(inputs.resume_vectors, inputs.job_vectors, inputs.features),
        "design": np.hstack(
            [
                inputs.resume_vectors * inputs.job_vectors,
                np.square(inputs.resume_vectors - inputs.job_vectors),
            ]
        ),
    }
    counts = list(range(args.step, args.max + 1, args.step))
    if args.target not in counts:
        counts = sorted({*counts, args.target})
    folds = group_folds(data["resumes"], args.folds)
    runs: dict[str, list[list[float | None]]] = {s: [] for s in args.strategies}
    for k, fold in enumerate(folds):
        for seed in range(args.seeds):
            for strategy in args.strategies:
                runs[strategy].append(simulate(strategy, inputs, y, data, fold, seed, counts))
        print(f"fold {k + 1} of {len(folds)} done ({time.perf_counter() - started:.0f} s)")
    curves = {s: per_count(r, np.nanmean) for s, r in runs.items()}
    spread = {s: per_count(r, np.nanstd) for s, r in runs.items()}
    goal = curves["random"][counts.index(args.target)] if "random" in curves else float("nan")
    result = {
        "pairs": len(y),
        "resumes": len(set(data["resumes"])),
        "jobs": len(set(data["jobs"])),
        "folds": len(folds),
        "seeds": args.seeds,
        "counts": counts,
        "mean_spearman": {s: [round(v, 4) for v in c] for s, c in curves.items()},
        "sd_spearman": {s: [round(v, 4) for v in c] for s, c in spread.items()},
        "goal": {"random_labels": args.target, "spearman": round(goal, 4)},
        "labels_to_reach_goal": {s: labels_to_reach(counts, c, goal) for s, c in curves.items()},
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    if args.svg:
        args.svg.write_text(plot(counts, curves, goal))


if __name__ == "__main__":
    main()
