"""Scorers: from pair features and vectors to a calibrated score 0..1.

The pre-trained model uses the fixed blend of matching.scoring.features. A custom model trained by
the training app keeps a `TrainedHead` in its folder (head.npz); it is defined and loaded
here, in numpy only, so that matching serves any model without importing training.

A trained head has three parts, each cheap to apply to 100,000 resumes at once:
- a ridge regression over the element-wise product and squared difference of the resume
  and job vectors plus the pre-trained pair features (FEATURE_NAMES),
- a memory of the rated pairs it was trained on: a kernel-weighted mean of the labels of
  rated pairs whose job and resume both resemble this one (what reviewers said about
  similar candidates for similar jobs, including how generous they are for a given job),
  which the ridge takes as one more feature,
- a monotone calibration fitted on held-out predictions, so that the fixed bands work:
  below 0.3 poor, 0.7 and above good.

Ranking scores every job against the same loaded batch of resumes, so what a head
computes from the resumes alone (the memory kernel, the squared difference's resume
term) is kept for that batch's matrix while it lives (`_ResumeSide`): each further job
costs two matrix-vector products over it. The memory kernel itself is computed in 8-bit
integers (matching.scoring.kernel).
"""

from __future__ import annotations

import dataclasses
import threading
import weakref
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from matching import bands, models_store
from matching.errors import ModelUnavailable
from matching.models import ScoringModel
from matching.scoring.features import pretrained_scores
from matching.scoring.kernel import MemoryKernel
from matching.scoring.vector_terms import ABSOLUTE, ROW_BLOCK, SQUARED, linear_part, resume_squares

# (resume vectors [n, dim], job vector [dim] or per-pair job vectors [n, dim], features)
Scorer = Callable[[np.ndarray, np.ndarray, Mapping[str, np.ndarray]], np.ndarray]


HEAD_FORMAT = 2  # the format new heads are written in
# How a format weighs the difference of the two vectors. Format 1 took |u - v|, which has
# no matrix-product form (82 ms of a 100,000-resume pass on its own); (u - v)^2 does,
# and cross-validates the same on gulp-dev (docs/benchmarks.md). Format 1 heads still load.
DIFFERENCE_OF_FORMAT = {1: ABSOLUTE, 2: SQUARED}
_FORMAT_OF_DIFFERENCE = {difference: f for f, difference in DIFFERENCE_OF_FORMAT.items()}
# The calibration maps its four knots on the raw scale to these scores.
KNOT_SCORES = np.array(bands.KNOTS)
# Memory entries whose job weighs less than this share of the best match are skipped: it
# bounds the work per job without changing the result.
MEMORY_CUTOFF = 1e-4
# Pseudo-weight of the global label mean: a pair with no similar rated pair gets the mean.
MEMORY_PRIOR = 1e-3
# What a head keeps of a resume matrix it scores many jobs against: the kernel to its
# remembered resumes (rows x distinct remembered resumes, float32) when it fits this many
# bytes, and only for matrices of this many rows or more (smaller ones are quick anyway,
# and are mostly slices made for one call).
KERNEL_CACHE_BYTES = 256 * 2**20
CACHE_MIN_ROWS = 2048
# Rows per run of the kernel graph when a batch's kernel is kept: fewer, larger runs
# (16 against 19 ms for 100,000 x 52 at 4,096 rows on a 2-core Xeon; the same at 500).
KERNEL_BLOCK = 16_384


@dataclass
class _ResumeSide:
    """What a head computed from one resume matrix alone, valid while that matrix lives."""

    matrix: weakref.ref[np.ndarray]
    squares: np.ndarray | None = None  # (u * u) @ w_difference per resume
    kernel: np.ndarray | None = None  # k(resume, remembered resume), float32[rows, distinct]


@dataclass(frozen=True)
class TrainedHead:
    coef: np.ndarray  # float64[2 * dim + len(feature_names) + 1]
    intercept: float
    feature_names: tuple[str, ...]
    memory_resumes: np.ndarray  # float32[N, dim]
    memory_jobs: np.ndarray  # float32[N, dim]
    memory_scores: np.ndarray  # float32[N]
    resume_temperature: float
    job_temperature: float
    knots: np.ndarray  # float64[4], increasing raw values mapped to KNOT_SCORES
    difference: str = DIFFERENCE_OF_FORMAT[HEAD_FORMAT]  # ABSOLUTE for format 1 heads

    # --- applying -----------------------------------------------------------------------

    def memory_scores_for(self, resume_vectors: np.ndarray, job_vector: np.ndarray) -> np.ndarray:
        """Kernel-weighted mean label of remembered pairs, for one job and many resumes.

        The weight of a remembered pair is k(resume) * k(job). The job kernel is one
        number per pair here, so pairs that share a remembered resume fold into one
        column: the resume kernel is computed once per distinct remembered resume, in
        8-bit integers and row blocks (the 100,000 x 500 float64 kernel was most of a
        0.9 s pass), for every column, of which a job reads those it weighs."""
        prior = float(self.memory_scores.mean()) if len(self.memory_scores) else 0.5
        if len(self.memory_scores) == 0:
            return np.full(len(resume_vectors), prior)
        job_w = np.exp((self.memory_jobs @ job_vector - 1.0) / self.job_temperature)
        keep = np.flatnonzero(job_w >= job_w.max() * MEMORY_CUTOFF)
        resumes, resume_of = self._distinct_memory_resumes
        side = self._resume_side(resume_vectors)
        if side is not None and side.kernel is not None:
            # Every remembered resume is a column; those of dissimilar jobs weigh 0.
            used = np.arange(len(resumes))
            column = resume_of[keep]
        else:
            found = np.unique(resume_of[keep], return_inverse=True)
            used, column = found[0], found[1].ravel()
        label_weight = np.bincount(
            column, weights=job_w[keep] * self.memory_scores[keep], minlength=len(used)
        )
        total_weight = np.bincount(column, weights=job_w[keep], minlength=len(used))
        weights = np.stack([label_weight, total_weight], axis=1).astype(np.float32)
        out = np.empty(len(resume_vectors))
        for start in range(0, len(resume_vectors), ROW_BLOCK):
            if side is not None and side.kernel is not None:
                kernel = side.kernel[start : start + ROW_BLOCK]
            else:
                # Every column, then those used: one kernel graph per head, whatever the job.
                kernel = self._kernel(resume_vectors[start : start + ROW_BLOCK])[:, used]
            num, den = (kernel @ weights).astype(np.float64).T
            out[start : start + ROW_BLOCK] = (num + MEMORY_PRIOR * prior) / (den + MEMORY_PRIOR)
        return out

    @cached_property
    def _kernel(self) -> MemoryKernel:
        """k(resume, remembered resume) for every distinct remembered resume, in 8-bit
        integers (matching.scoring.kernel: 2-3x faster than float32, the same row for a
        resume in any batch)."""
        return MemoryKernel(self._distinct_memory_resumes[0], self.resume_temperature)

    def _resume_side(self, resume_vectors: np.ndarray) -> _ResumeSide | None:
        """The job-independent work on this resume matrix, computed on its first job and
        kept while the matrix lives (one matrix per head: a new batch replaces it).
        None for small matrices, which are quick to score and mostly one-off slices."""
        if len(resume_vectors) < CACHE_MIN_ROWS:
            return None
        side: _ResumeSide | None = self.__dict__.get("_side")
        if side is not None and side.matrix() is resume_vectors:
            return side
        # One preparation at a time per head: two threads must not both take the spare.
        with self._side_lock:
            side = self.__dict__.get("_side")
            if side is not None and side.matrix() is resume_vectors:
                return side
            side = self._prepare_side(resume_vectors, side)
            # A frozen dataclass: the cache is not part of the head's value.
            object.__setattr__(self, "_side", side)
            return side

    def _prepare_side(self, resume_vectors: np.ndarray, old: _ResumeSide | None) -> _ResumeSide:
        # A previous batch that is gone leaves its kernel's memory to the new one: 200 MB
        # of fresh pages cost ~400 ms of page faults in a VM, 20 times the work of
        # filling them. Only when gone: a thread still scoring it holds the matrix.
        spare = old.kernel if old is not None and old.matrix() is None else None
        side = _ResumeSide(matrix=weakref.ref(resume_vectors))
        dim = resume_vectors.shape[1]
        if self.difference == SQUARED and len(self.coef) >= 2 * dim:
            side.squares = resume_squares(resume_vectors, self.coef[dim : 2 * dim])
        resumes, _ = self._distinct_memory_resumes
        if len(resumes) > 0 and resume_vectors.shape[0] * len(resumes) * 4 <= KERNEL_CACHE_BYTES:
            shape = (len(resume_vectors), len(resumes))
            kernel = spare if spare is not None and spare.shape == shape else None
            if kernel is None:
                kernel = np.empty(shape, np.float32)
            for start in range(0, len(resume_vectors), KERNEL_BLOCK):
                block = resume_vectors[start : start + KERNEL_BLOCK]
                self._kernel(block, out=kernel[start : start + KERNEL_BLOCK])
            side.kernel = kernel
        return side

    @property
    def _side_lock(self) -> threading.Lock:
        lock: threading.Lock | None = self.__dict__.get("_side_lock_")
        # setdefault is atomic: two threads asking first get the same lock.
        return lock or self.__dict__.setdefault("_side_lock_", threading.Lock())

    @cached_property
    def _distinct_memory_resumes(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct remembered resume vectors, and each remembered pair's row among
        them. Found once per head: np.unique over float rows sorts them, ~16 ms for 800
        rows, and a training run asks for the memory of every job it rates (400 jobs of
        gulp-dev: 7 s of a 9 s fit when it was found per job)."""
        distinct, row = np.unique(self.memory_resumes, axis=0, return_inverse=True)
        return distinct, row.ravel()

    def memory_scores_pairs(
        self, resume_vectors: np.ndarray, job_vectors: np.ndarray
    ) -> np.ndarray:
        """Memory feature for pairs with their own job each: one pass per distinct job."""
        out = np.empty(len(resume_vectors))
        jobs, inverse = np.unique(job_vectors, axis=0, return_inverse=True)
        for k in range(len(jobs)):
            rows = np.flatnonzero(inverse.ravel() == k)
            out[rows] = self.memory_scores_for(resume_vectors[rows], jobs[k])
        return out

    def raw(
        self,
        resume_vectors: np.ndarray,
        job_vectors: np.ndarray,
        features: Mapping[str, np.ndarray],
        memory: np.ndarray | None = None,
    ) -> np.ndarray:
        if memory is None:
            memory = (
                self.memory_scores_for(resume_vectors, job_vectors)
                if job_vectors.ndim == 1
                else self.memory_scores_pairs(resume_vectors, job_vectors)
            )
        side = self._resume_side(resume_vectors) if job_vectors.ndim == 1 else None
        return (
            linear_part(
                resume_vectors,
                job_vectors,
                self.coef,
                self.difference,
                squares=side.squares if side is not None else None,
            )
            + np.column_stack(
                [np.asarray(features[name], np.float64) for name in self.feature_names]
                + [np.asarray(memory, np.float64)]
            )
            @ self.coef[2 * resume_vectors.shape[1] :]
            + self.intercept
        )

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        return np.interp(raw, self.knots, KNOT_SCORES).astype(np.float32)

    def __call__(
        self,
        resume_vectors: np.ndarray,
        job_vectors: np.ndarray,
        features: Mapping[str, np.ndarray],
    ) -> np.ndarray:
        if len(resume_vectors) == 0:
            return np.zeros(0, np.float32)
        return self.calibrate(self.raw(resume_vectors, job_vectors, features))

    # --- storage ------------------------------------------------------------------------

    def without_resume(self, vector: np.ndarray, *, tolerance: float) -> tuple[TrainedHead, int]:
        """A copy of this head without the remembered pairs of one resume (its vector, to
        within `tolerance` per component), and how many rows it dropped. Erasure uses it:
        the head remembers rated pairs' vectors and labels."""
        memory = np.asarray(self.memory_resumes, np.float32)
        if memory.shape[0] == 0 or memory.shape[1] != vector.shape[0]:
            return self, 0
        match = np.abs(memory - vector[None, :]).max(axis=1) <= tolerance
        if not match.any():
            return self, 0
        keep = ~match
        smaller = dataclasses.replace(
            self,
            memory_resumes=self.memory_resumes[keep],
            memory_jobs=self.memory_jobs[keep],
            memory_scores=self.memory_scores[keep],
        )
        return smaller, int(match.sum())

    def save(self, folder: Path) -> Path:
        """Write head.npz atomically: a process loading the head meanwhile reads the old
        file or the new one, never half of one."""
        path = models_store.head_path(Path(folder))
        models_store.write_atomic(path, self._write)
        return path

    def _write(self, path: Path) -> None:
        # Through a file object: given a name, numpy would append ".npz" to a temp name.
        with open(path, "wb") as out:
            np.savez_compressed(
                out,
                format=np.array(_FORMAT_OF_DIFFERENCE[self.difference]),
                coef=self.coef,
                intercept=np.array(self.intercept),
                feature_names=np.array(self.feature_names),
                memory_resumes=self.memory_resumes.astype(np.float32),
                memory_jobs=self.memory_jobs.astype(np.float32),
                memory_scores=self.memory_scores.astype(np.float32),
                temperatures=np.array([self.resume_temperature, self.job_temperature]),
                knots=self.knots,
            )

    @classmethod
    def load(cls, folder: Path) -> TrainedHead:
        path = models_store.head_path(Path(folder))
        if not path.exists():
            raise ModelUnavailable(f"{path} is missing.")
        # A truncated or foreign file, or one without the arrays this version writes, is
        # as unusable as a missing one: callers handle ModelUnavailable, not numpy's errors.
        try:
            with np.load(path, allow_pickle=False) as data:
                found = int(data["format"])
                if found not in DIFFERENCE_OF_FORMAT:
                    readable = ", ".join(str(f) for f in DIFFERENCE_OF_FORMAT)
                    raise ModelUnavailable(
                        f"{path} has format {found}; this code reads formats {readable}."
                    )
                temperatures = data["temperatures"]
                return cls(
                    coef=data["coef"],
                    intercept=float(data["intercept"]),
                    feature_names=tuple(str(n) for n in data["feature_names"]),
                    memory_resumes=data["memory_resumes"],
                    memory_jobs=data["memory_jobs"],
                    memory_scores=data["memory_scores"],
                    resume_temperature=float(temperatures[0]),
                    job_temperature=float(temperatures[1]),
                    knots=data["knots"],
                    difference=DIFFERENCE_OF_FORMAT[found],
                )
        except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as exc:
            raise ModelUnavailable(f"{path} cannot be read: {exc}") from exc


# --- which scorer serves a model ----------------------------------------------------------

_lock = threading.Lock()
_heads: dict[str, TrainedHead] = {}


def _pretrained(
    resume_vectors: np.ndarray, job_vectors: np.ndarray, features: Mapping[str, np.ndarray]
) -> np.ndarray:
    return pretrained_scores(dict(features))


def forget(version: str | None = None) -> None:
    """Drop a loaded head (all of them with None): the process reads its file again the
    next time the version scores, e.g. after erasure rewrote it."""
    with _lock:
        if version is None:
            _heads.clear()
        else:
            _heads.pop(version, None)


def scorer_for(model: ScoringModel) -> Scorer:
    """The scorer of a model. Heads are loaded once per process and version; only the
    latest stays loaded, so activating a new version frees the old one."""
    if model.kind == ScoringModel.Kind.PRETRAINED:
        return _pretrained
    with _lock:
        head = _heads.get(model.version)
        if head is None:
            head = TrainedHead.load(models_store.version_dir(model))
            _heads.clear()
            _heads[model.version] = head
        return head
