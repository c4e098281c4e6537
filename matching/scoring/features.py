"""Pair features and scores, computed for one job against many resumes in one pass.

The pre-trained scorer is a fixed, calibrated blend that needs no training data:
- maxsim: each window of the job finds its best matching window of the resume, and the
  mean is taken (a long resume is not diluted by its unrelated parts, as a
  whole-document mean is),
- lexical: TF-IDF cosine over the corpus being ranked (exact skills and jargon that a
  small English model misses, e.g. in German texts), on stemmed terms (intake_terms.terms),
- coverage: the IDF-weighted share of the job's must-have requirements (or, with none
  given, its title) that the resume names, on the same stemmed terms,
- seniority: the candidate's years of dated experience over the years the must-haves
  ask, at most 1 (1 when either is not stated: an unknown is not a shortfall).
All of them read the resume's evidence (matching.intake.sections.evidence_text): an
objective or a skills list is not read, so a posting's words pasted there buy nothing.
Weights were chosen on gulp-dev and the English role set together, and the blend beats
plain MiniLM cosine and plain TF-IDF on gulp-dev and both role sets (docs/benchmarks.md).
The calibration puts the median candidate of the right profession at 0.8 and of other
professions near 0.04 on the role set: slope and centre are solved from those medians;
above 0.8 a slower tail keeps the best candidates apart (calibrate).
The calibrated blend is then scaled by seniority (SENIORITY_FLOOR at no experience): a
candidate short of the asked years cannot be a strong match however close the words.
A trained head (training app) replaces the blend with learned weights over the same
features plus the vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import sparse

from matching.intake import terms as intake_terms
from matching.scoring import lexical

FEATURE_NAMES = (
    "cosine",
    "passage",
    "maxsim",
    "lexical",
    "coverage",
    "nice_coverage",
    "seniority",
)

# Blend of the pre-trained scorer on raw feature values, then a logistic calibration
# that puts a strong match near 0.8 and a poor one near 0.2 (see module docstring).
BLEND_WEIGHTS = {"maxsim": 0.25, "lexical": 2.0, "coverage": 0.1}
CALIBRATION_SLOPE = 10.5
CALIBRATION_CENTER = 0.42
# Above "strong" (0.8) the logistic would reach 0.99 at a raw blend of 0.86, which a
# tenth of the role set's right-profession resumes pass, so the best few of every job
# all read 99-100% and the order among them is invisible. Above 0.8 the score instead
# approaches 1 with a scale of CALIBRATION_TAIL raw units: the best resume of the role
# sets (raw 0.94-0.97) reads about 95%, and 99.5% needs a raw of about 1.5, which no
# resume reaches whose evidence is not the posting's own words. Below 0.8 nothing moves.
CALIBRATION_STRONG = 0.8
CALIBRATION_TAIL = 0.27
# The score's share left to a candidate with none of the asked years: half, so one
# short of them ranks below those who have them and can still be found.
SENIORITY_FLOOR = 0.5
# Resume windows per block when several job windows are compared in one pass: 1,024 x 384
# float32 is 1.5 MB, which stays in cache while each job window reads it.
WINDOW_BLOCK = 1024


@dataclass
class JobInput:
    title: str
    text: str
    must_have: list[str]
    nice_to_have: list[str]
    vector: np.ndarray  # float32[dim]
    chunk_vectors: np.ndarray  # float32[m, dim]
    terms: intake_terms.TermVector
    years_required: float | None = None  # the most years any must-have asks


@dataclass
class ResumeBatch:
    """Cached vectors and terms of many resumes, stacked for vectorised scoring."""

    vectors: np.ndarray  # float32[n, dim]
    chunks: np.ndarray  # float32[total_chunks, dim], all resumes' windows concatenated
    chunk_offsets: np.ndarray  # int64[n], start row of each resume in `chunks`
    terms: sparse.csr_matrix  # raw term counts, n rows
    idf: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))
    # Years of dated experience (Resume.profile), NaN where the resume does not say.
    years: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0, np.float32))

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    @cached_property
    def tfidf_columns(self) -> sparse.csc_matrix:
        """The resumes' unit TF-IDF rows, stored by column: a job then reads only the
        columns of its own terms. Built once per batch and shared by every job scored
        against it; redoing it per job cost ~0.5 s per 100,000 resumes."""
        return lexical.tfidf_rows(self.terms, self.idf).tocsc()

    @classmethod
    def build(
        cls,
        vectors: Sequence[np.ndarray],
        chunk_vectors: Sequence[np.ndarray],
        terms: Sequence[intake_terms.TermVector],
        idf: np.ndarray | None = None,
        years: Sequence[float | None] | None = None,
    ) -> ResumeBatch:
        dim = vectors[0].shape[0] if len(vectors) else 384
        counts = np.fromiter((c.shape[0] for c in chunk_vectors), np.int64, len(chunk_vectors))
        offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]) if len(counts) else counts
        term_matrix = lexical.stack(terms)
        return cls(
            vectors=np.vstack(vectors) if len(vectors) else np.zeros((0, dim), np.float32),
            chunks=np.vstack(chunk_vectors)
            if len(chunk_vectors)
            else np.zeros((0, dim), np.float32),
            chunk_offsets=offsets,
            terms=term_matrix,
            idf=lexical.idf_from(term_matrix) if idf is None else idf,
            years=np.array(
                [np.nan if y is None else y for y in years or [None] * len(vectors)],
                np.float32,
            ),
        )


def _segment_max(values: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Max of each resume's segment along the last axis (all segments non-empty)."""
    if values.shape[-1] == 0:
        return np.zeros((*values.shape[:-1], 0), np.float32)
    return np.maximum.reduceat(values, offsets, axis=-1)


def _best_windows(chunks: np.ndarray, offsets: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Each resume's best window similarity to each query: float32[len(queries), n].

    One query is one matrix-vector product. Several are multiplied in blocks of windows
    whose products stay in cache, so the windows are read once for all of them: a job
    of three windows at 100,000 resumes took four full passes before (now 1.5x faster)."""
    queries = queries.astype(np.float32)
    if len(queries) == 1:
        return _segment_max((chunks @ queries[0])[None], offsets)
    sims = np.empty((len(chunks), len(queries)), np.float32)
    columns = np.ascontiguousarray(queries.T)
    for start in range(0, len(chunks), WINDOW_BLOCK):
        np.matmul(
            chunks[start : start + WINDOW_BLOCK], columns, out=sims[start : start + WINDOW_BLOCK]
        )
    return _segment_max(sims.T, offsets)


def pair_features(job: JobInput, batch: ResumeBatch) -> dict[str, np.ndarray]:
    """Every feature of FEATURE_NAMES for the job against each resume, float32[n] each."""
    n = len(batch)
    if n == 0:
        return {name: np.zeros(0, np.float32) for name in FEATURE_NAMES}
    cosine = batch.vectors @ job.vector
    # The resume windows are the biggest array (~600 MB per 100,000 resumes): reading
    # them costs more than the arithmetic, so every distinct job vector is compared in
    # the same pass (_best_windows). A job of one window has that window as its document
    # vector: one query.
    queries = [job.vector]
    rows = []  # the row of `best` of each job window
    for window in job.chunk_vectors:
        if np.allclose(window, job.vector, atol=1e-6, rtol=0):
            rows.append(0)
        else:
            rows.append(len(queries))
            queries.append(window)
    best = _best_windows(batch.chunks, batch.chunk_offsets, np.vstack(queries))
    passage = best[0]
    # MaxSim: each job window finds its best resume window; the mean over job windows.
    maxsim = best[rows].mean(axis=0) if rows else np.zeros(n, np.float32)
    columns = batch.tfidf_columns
    job_tfidf = lexical.tfidf_rows(lexical.stack([job.terms]), batch.idf)
    lex = columns[:, job_tfidf.indices] @ job_tfidf.data
    must = job.must_have or [job.title]
    cov = _coverage(columns, lexical.requirement_terms(must), batch.idf)
    nice = _coverage(columns, lexical.requirement_terms(job.nice_to_have), batch.idf)
    return {
        "cosine": cosine.astype(np.float32),
        "passage": passage.astype(np.float32),
        "maxsim": maxsim.astype(np.float32),
        "lexical": lex.astype(np.float32),
        "coverage": cov.mean(axis=1) if cov.shape[1] else np.zeros(n, np.float32),
        "nice_coverage": nice.mean(axis=1) if nice.shape[1] else np.zeros(n, np.float32),
        "seniority": seniority(batch.years, job.years_required),
    }


def seniority(years: np.ndarray, required: float | None) -> np.ndarray:
    """Years over the years asked, in [0, 1]; 1 where either is unknown. float32[n]."""
    if not required or years.size == 0:
        return np.ones(years.size, np.float32)
    fit = np.clip(years / required, 0.0, 1.0)
    return np.where(np.isnan(years), 1.0, fit).astype(np.float32)


def _coverage(
    columns: sparse.csc_matrix, requirements: list[list[int]], idf: np.ndarray
) -> np.ndarray:
    """lexical.coverage over a batch's TF-IDF columns: a requirement's terms are a few
    columns, read without touching the rest of the matrix. float32[n, n_requirements]."""
    out = np.zeros((columns.shape[0], len(requirements)), dtype=np.float32)
    for k, ids in enumerate(requirements):
        if not ids:
            continue
        ids_arr = np.asarray(ids)
        weights = idf[ids_arr]
        present = columns[:, ids_arr]
        present.data = np.ones_like(present.data)
        out[:, k] = present @ weights / weights.sum()
    return out


def pretrained_scores(features: dict[str, np.ndarray]) -> np.ndarray:
    raw = sum(weight * features[name] for name, weight in BLEND_WEIGHTS.items())
    scores = calibrate(np.asarray(raw, dtype=np.float64))
    fit = features["seniority"]
    return (scores * (SENIORITY_FLOOR + (1 - SENIORITY_FLOOR) * fit)).astype(np.float32)


# The raw blend at which the logistic reads CALIBRATION_STRONG.
CALIBRATION_STRONG_RAW = float(
    CALIBRATION_CENTER + np.log(CALIBRATION_STRONG / (1 - CALIBRATION_STRONG)) / CALIBRATION_SLOPE
)


def calibrate(raw: np.ndarray) -> np.ndarray:
    """The raw blend on 0-1: the logistic up to "strong", then a slower exponential
    approach to 1 (continuous and increasing, so a job's order is the raw blend's)."""
    raw = np.asarray(raw, dtype=np.float64)
    logistic = 1.0 / (1.0 + np.exp(-CALIBRATION_SLOPE * (raw - CALIBRATION_CENTER)))
    above = np.maximum(raw - CALIBRATION_STRONG_RAW, 0.0)
    tail = CALIBRATION_STRONG + (1 - CALIBRATION_STRONG) * -np.expm1(-above / CALIBRATION_TAIL)
    return np.where(raw > CALIBRATION_STRONG_RAW, tail, logistic).astype(np.float32)
