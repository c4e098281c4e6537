"""The vector columns of a trained head, [u * v, (u - v)^2 or |u - v|], and their weights
applied without building those columns (matching.scoring.heads; training.fast fits on
the columns themselves, design_matrix)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from matching.scoring.features import FEATURE_NAMES

# How a head weighs the difference of the two vectors (heads.DIFFERENCE_OF_FORMAT).
ABSOLUTE, SQUARED = "absolute", "squared"
# Rows per block when applying a head: temporaries of a few MB instead of the n x dim
# (or n x memory) arrays that dominated the time at 100,000 resumes.
ROW_BLOCK = 4096
# Rows per block of (u * u) @ w: the squares of 256 rows (384 KB) stay in the core's own
# cache until the product reads them; at ROW_BLOCK rows they went out to memory and back,
# which took twice as long (25 against 12.5 ms for 100,000 resumes on a 2-core Xeon).
SQUARE_BLOCK = 256


def design_matrix(
    resume_vectors: np.ndarray,
    job_vectors: np.ndarray,
    features: Mapping[str, np.ndarray],
    memory: np.ndarray,
    feature_names: tuple[str, ...] = FEATURE_NAMES,
    difference: str = SQUARED,
) -> np.ndarray:
    """[u * v, (u - v)^2 or |u - v|, pair features, memory]: the columns the ridge weighs."""
    columns = [np.asarray(features[name], np.float64)[:, None] for name in feature_names]
    return np.hstack(
        [
            resume_vectors * job_vectors,
            _difference(resume_vectors, job_vectors, difference),
            *columns,
            np.asarray(memory, np.float64)[:, None],
        ]
    )


def _difference(u: np.ndarray, v: np.ndarray, difference: str) -> np.ndarray:
    return np.square(u - v) if difference == SQUARED else np.abs(u - v)


def resume_squares(resume_vectors: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(u * u) @ weights per resume, in small row blocks through one scratch array, in the
    vectors' precision (float32 from the cache, float64 where training passes it)."""
    dtype = np.result_type(resume_vectors.dtype, np.float32)
    w = weights.astype(dtype)
    n = len(resume_vectors)
    out = np.empty(n, dtype)
    scratch = np.empty((min(n, SQUARE_BLOCK), len(w)), dtype)
    for start in range(0, n, SQUARE_BLOCK):
        u = resume_vectors[start : start + SQUARE_BLOCK]
        squares = scratch[: len(u)]
        np.multiply(u, u, out=squares)
        np.matmul(squares, w, out=out[start : start + SQUARE_BLOCK])
    return out.astype(np.float64)


def linear_part(
    resume_vectors: np.ndarray,
    job_vectors: np.ndarray,
    coef: np.ndarray,
    difference: str = SQUARED,
    *,
    squares: np.ndarray | None = None,
) -> np.ndarray:
    """[u * v, difference] @ coef's first 2 * dim weights without building those columns.

    For one job, (u * v) @ w is u @ (v * w), and (u - v)^2 @ w' is
    (u * u) @ w' - 2 u @ (v * w') + (v * v) @ w': one matrix-vector product per job, plus
    the job-independent (u * u) @ w' (`squares`, kept per resume matrix by the head).
    |u - v| (format 1 heads) and per-pair jobs are taken in float32 row blocks that stay
    in cache."""
    dim = resume_vectors.shape[1]
    w_product = coef[:dim].astype(np.float32)
    w_difference = coef[dim : 2 * dim].astype(np.float32)
    if job_vectors.ndim == 1 and difference == SQUARED:
        v = job_vectors.astype(np.float32)
        if squares is None:
            squares = resume_squares(resume_vectors, w_difference)
        cross = resume_vectors @ (v * w_product - 2 * v * w_difference)
        return cross + squares + float((v * v) @ w_difference)
    out = np.empty(len(resume_vectors))
    for start in range(0, len(resume_vectors), ROW_BLOCK):
        u = resume_vectors[start : start + ROW_BLOCK]
        v = job_vectors if job_vectors.ndim == 1 else job_vectors[start : start + ROW_BLOCK]
        product = u @ (v * w_product) if job_vectors.ndim == 1 else (u * v) @ w_product
        out[start : start + ROW_BLOCK] = product + _difference(u, v, difference) @ w_difference
    return out
