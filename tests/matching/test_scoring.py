"""The vectorised pair features against their per-resume definitions."""

from __future__ import annotations

import numpy as np
import pytest

from matching.intake import terms as intake_terms
from matching.scoring.features import WINDOW_BLOCK, JobInput, ResumeBatch, pair_features

DIM = 24


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


@pytest.mark.parametrize("job_windows", [1, 3])
def test_window_features_match_their_definition_across_blocks(job_windows):
    """Resumes of 1-7 windows, enough of them that windows span several blocks and
    resumes straddle block edges: every feature equals the per-resume loop."""
    rng = np.random.default_rng(job_windows)
    counts = rng.integers(1, 8, size=(3 * WINDOW_BLOCK) // 4 + 7)
    windows = [_unit(rng.normal(size=(c, DIM))) for c in counts]
    vectors = [_unit(w.mean(axis=0)) for w in windows]
    terms = [intake_terms.term_vector("python developer") for _ in counts]
    batch = ResumeBatch.build(vectors, windows, terms)
    assert batch.chunks.shape[0] > WINDOW_BLOCK
    job_chunks = _unit(rng.normal(size=(job_windows, DIM)))
    job_vector = job_chunks[0] if job_windows == 1 else _unit(job_chunks.mean(axis=0))
    job = JobInput(
        title="Developer",
        text="python developer",
        must_have=[],
        nice_to_have=[],
        vector=job_vector,
        chunk_vectors=job_chunks,
        terms=intake_terms.term_vector("python developer"),
    )
    features = pair_features(job, batch)
    passage = [float((w @ job_vector).max()) for w in windows]
    maxsim = [float(np.mean([(w @ q).max() for q in job_chunks])) for w in windows]
    np.testing.assert_allclose(features["passage"], passage, atol=1e-6)
    np.testing.assert_allclose(features["maxsim"], maxsim, atol=1e-6)
    np.testing.assert_allclose(features["cosine"], np.stack(vectors) @ job_vector, atol=1e-6)
