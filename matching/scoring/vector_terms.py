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
    """(u * u) @ weights per resume, in row blocks."""
    w = weights.astype(np.float32)
    out = np.empty(len(resume_vectors))
    for start in range(0, len(resume_vectors), ROW_BLOCK):
        u = resume_vectors[start : start + ROW_BLOCK]
        out[start : start + ROW_BLOCK] = (u * u) @ w
    return out


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
