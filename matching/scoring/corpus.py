"""Corpus statistics, frozen per model version: the IDF of the lexical features.

A pair's score must not depend on the order resumes came in, and re-scoring with the
same model must reproduce it. IDF over the live corpus did neither (every import changed
it, so a resume scored early and one scored late were weighed by different statistics),
and every scoring task rebuilt it over every resume, which made a 10,000-resume import
1.47x worse than linear.

So each model version freezes the document frequencies once, the first time it scores
after going live, and keeps them (`ScoringModel.corpus_*`). They are refreshed when the
corpus has doubled or halved since (a few times over a growing corpus's life, not per
import): the new statistics are stored, and every pair of the model is re-scored with
them, as after an activation (scores written before `corpus_at` count as stale for the
re-scoring and the reconciler).
"""

from __future__ import annotations

import logging
import threading

import numpy as np
from django.utils import timezone

from matching import queue
from matching.intake import terms as intake_terms
from matching.models import Pair, Resume, ScoringModel

logger = logging.getLogger(__name__)

# Below this many resumes the statistics say little; growing past it refreshes them.
MIN_CORPUS = 20
REFRESH_FACTOR = 2  # refresh when the corpus has grown or shrunk this many times
# A model's statistics before its first scoring (set again when it goes live).
UNFROZEN: dict = {"corpus_df": b"", "corpus_size": 0, "corpus_at": None}

_lock = threading.Lock()
_cache: dict[tuple[int, str], np.ndarray] = {}


def document_frequencies() -> tuple[np.ndarray, np.ndarray, int]:
    """(term ids, their document counts, number of documents) over every readable resume."""
    rows = (
        Resume.objects.filter(status=Resume.Status.EXTRACTED)
        .values_list("term_ids", "term_counts")
        .iterator(chunk_size=5000)
    )
    df = np.zeros(intake_terms.N_FEATURES, np.int32)
    n = 0
    for ids, counts in rows:
        df[intake_terms.TermVector.from_bytes(bytes(ids), bytes(counts)).ids] += 1
        n += 1
    present = np.flatnonzero(df).astype(np.int32)
    return present, df[present], n


def idf_of(ids: np.ndarray, df: np.ndarray, n: int) -> np.ndarray:
    """Smoothed IDF from sparse frequencies, by lexical.idf_from's formula to the bit."""
    dense = np.zeros(intake_terms.N_FEATURES, np.float32)
    dense[ids] = df
    return (np.log((1 + n) / (1 + dense)) + 1).astype(np.float32)


def _frozen(ids: np.ndarray, df: np.ndarray, n: int) -> dict:
    stored = np.concatenate([ids.astype(np.int32), df.astype(np.int32)]).tobytes()
    return {"corpus_df": stored, "corpus_size": n, "corpus_at": timezone.now()}


def model_idf(model: ScoringModel) -> tuple[ScoringModel, np.ndarray]:
    """The IDF `model` scores with, frozen now if it has none yet (the first to freeze it
    wins when two workers try at once); returns the model as stored with it, whose
    `corpus_at` the scores' write checks."""
    if model.corpus_at is None:
        froze = ScoringModel.objects.filter(pk=model.pk, corpus_at__isnull=True).update(
            **_frozen(*document_frequencies())
        )
        model = ScoringModel.objects.defer("corpus_df").get(pk=model.pk)
        assert model.corpus_at is not None
        # Its scores from before (a database upgraded to frozen statistics) are stale.
        stale = Pair.objects.filter(scoring_model=model, scored_at__lt=model.corpus_at)
        if froze and stale.exists():
            queue.enqueue_rescore_all()
    assert model.corpus_at is not None
    key = (model.pk, model.corpus_at.isoformat())
    with _lock:
        if key in _cache:
            return model, _cache[key]
    blob = ScoringModel.objects.filter(pk=model.pk).values_list("corpus_df", flat=True).get()
    pairs = np.frombuffer(bytes(blob), dtype=np.int32)
    half = pairs.size // 2
    idf = idf_of(pairs[:half], pairs[half:], model.corpus_size)
    with _lock:
        _cache.clear()  # one model version's statistics at a time
        _cache[key] = idf
    return model, idf


def corpus_refresh_due(model: ScoringModel) -> bool:
    """Whether the corpus has doubled (from at least MIN_CORPUS) or halved since `model`
    froze its statistics."""
    if model.corpus_at is None:
        return False
    n = Resume.objects.filter(status=Resume.Status.EXTRACTED).count()
    grown = n >= max(REFRESH_FACTOR * model.corpus_size, MIN_CORPUS) and n > model.corpus_size
    shrunk = n * REFRESH_FACTOR <= model.corpus_size
    return grown or shrunk


def corpus_refresh(model: ScoringModel) -> bool:
    """Freeze the statistics of the corpus as it is now and queue the re-scoring of every
    pair with them. False, doing nothing, when another process refreshed them first."""
    ids, df, n = document_frequencies()
    refreshed = ScoringModel.objects.filter(
        pk=model.pk, is_active=True, corpus_at=model.corpus_at
    ).update(**_frozen(ids, df, n))
    if refreshed:
        logger.info(
            "corpus statistics of %s refreshed: %d resumes (were %d); re-scoring every pair",
            model.version,
            n,
            model.corpus_size,
        )
        queue.enqueue_rescore_all()
    return bool(refreshed)
