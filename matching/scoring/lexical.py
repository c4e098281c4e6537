"""Lexical scoring: IDF over the corpus being ranked and requirement coverage.

Term vectors themselves (tokenize, stem, the hashed TermVector) are computed at upload and
live in matching.intake.terms; this module weighs them. IDF comes from the corpus being
ranked (all resumes of the job), as in any search engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

from matching.intake.terms import N_FEATURES, TermVector, term_id, terms


def stack(vectors: Sequence[TermVector]) -> sparse.csr_matrix:
    """Rows of raw term counts as one CSR matrix, built without a Python loop over terms."""
    lengths = np.fromiter((v.ids.size for v in vectors), dtype=np.int64, count=len(vectors))
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    if indptr[-1]:
        indices = np.concatenate([v.ids for v in vectors])
        data = np.concatenate([v.counts for v in vectors])
    else:
        indices, data = np.zeros(0, np.int32), np.zeros(0, np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(vectors), N_FEATURES))


def idf_from(corpus: sparse.csr_matrix) -> np.ndarray:
    """Smoothed IDF of every hashed term over the rows of a corpus (sklearn's formula)."""
    n = corpus.shape[0]
    df = np.bincount(corpus.indices, minlength=N_FEATURES).astype(np.float32)
    return (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)


def tfidf_rows(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf times idf, rows scaled to unit length."""
    m = counts.copy().astype(np.float32)
    m.data = (1 + np.log(m.data)) * idf[m.indices]
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ m)


def requirement_terms(requirements: Iterable[str]) -> list[list[int]]:
    return [[term_id(t) for t in terms(r)] for r in requirements]


def coverage(
    resumes: sparse.csr_matrix, requirements: list[list[int]], idf: np.ndarray | None = None
) -> np.ndarray:
    """For each resume and requirement, the (IDF-weighted) share of its terms present.

    Returns float32[n_resumes, n_requirements]. A requirement with no usable terms
    ("5+ years") counts as covered by no one and is left to the semantic side.
    """
    n = resumes.shape[0]
    out = np.zeros((n, len(requirements)), dtype=np.float32)
    present = resumes.copy()
    present.data = np.ones_like(present.data)
    for k, ids in enumerate(requirements):
        if not ids:
            continue
        ids_arr = np.asarray(ids)
        weights = idf[ids_arr] if idf is not None else np.ones(len(ids), np.float32)
        hits = present[:, ids_arr].toarray()
        out[:, k] = hits @ weights / weights.sum()
    return out
