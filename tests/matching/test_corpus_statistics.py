"""Stable scores (issue 16, item 5): the lexical features' corpus statistics are frozen
per model version, so every pair is weighed by the same statistics whatever order the
resumes came in, re-scoring reproduces a stored score, and when the corpus has doubled
the statistics are refreshed and every pair re-scored with them."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from matching.intake.terms import resume_term_vector
from matching.models import Pair, Resume, ScoringModel
from matching.scoring import activation as scoring_activation
from matching.scoring import corpus, lexical
from matching.scoring.reconcile import scoring_reconcile
from matching.scoring.services import _store_scores, pairs_score
from tests.factories import JobFactory, ResumeFactory

pytestmark = pytest.mark.django_db

SKILLS = "python django sql java spring react nursing triage sales excel docker payroll".split()


def _resume(i: int) -> Resume:
    words = " and ".join(SKILLS[(i * k) % len(SKILLS)] for k in (1, 5, 7))
    return ResumeFactory(text=f"Candidate {i}. Worked with {words} for {i % 6} years.")


def _scores() -> dict[str, float]:
    return dict(Pair.objects.values_list("resume__text", "score"))


def _live() -> ScoringModel:
    return ScoringModel.objects.get(is_active=True)


def test_the_idf_from_stored_frequencies_is_the_idf_of_the_corpus_to_the_bit():
    resumes = [_resume(i) for i in range(25)]
    ids, df, n = corpus.document_frequencies()
    expected = lexical.idf_from(lexical.stack([resume_term_vector(r.text) for r in resumes]))
    assert n == 25
    assert np.array_equal(corpus.idf_of(ids, df, n), expected)


def test_resumes_imported_later_are_weighed_by_the_same_statistics_and_rescoring_reproduces():
    JobFactory(description="Python, Django and SQL", must_have="Python")
    first = [_resume(i) for i in range(30)]
    pairs_score(resume_ids=[r.pk for r in first])
    frozen = _live()
    assert frozen.corpus_size == 30
    before = _scores()
    later = [_resume(i) for i in range(30, 45)]  # an import that does not double the corpus
    pairs_score(resume_ids=[r.pk for r in later])
    assert _live().corpus_at == frozen.corpus_at  # the same statistics
    pairs_score()  # everything again, with the same model
    after = _scores()
    assert all(after[text] == score for text, score in before.items())
    assert not corpus.corpus_refresh_due(_live())


def test_a_doubled_corpus_refreshes_the_statistics_and_every_pair_is_rescored_with_them():
    JobFactory(description="Python, Django and SQL", must_have="Python")
    pairs_score(resume_ids=[_resume(i).pk for i in range(20)])
    model = _live()
    ScoringModel.objects.filter(pk=model.pk).update(
        activated_at=timezone.now() - timedelta(hours=1),
        corpus_at=timezone.now() - timedelta(hours=1),
    )
    pairs_score(resume_ids=[_resume(i).pk for i in range(20, 40)])
    assert corpus.corpus_refresh_due(_live())
    result = scoring_reconcile()  # the 5-minute schedule
    assert "corpus statistics refreshed" in result.skipped
    refreshed = _live()
    assert refreshed.corpus_size == 40
    # The refresh queued the re-scoring (inline here): every pair is on the new statistics.
    assert not Pair.objects.filter(scored_at__lt=refreshed.corpus_at).exists()
    assert Pair.objects.count() == 40


def test_the_order_resumes_came_in_does_not_change_their_scores():
    """Two installations receive the same 40 resumes in opposite orders, scored as each
    import comes in; at the same corpus size their statistics and scores are the same."""
    job = JobFactory(description="Python, Django and SQL", must_have="Python")

    def receive(order: list[int]) -> dict[str, float]:
        for start in range(0, len(order), 10):  # imports of 10
            pairs_score(resume_ids=[_resume(i).pk for i in order[start : start + 10]])
            model = _live()
            past = timezone.now() - timedelta(hours=1)
            ScoringModel.objects.filter(pk=model.pk).update(activated_at=past, corpus_at=past)
            Resume.objects.update(updated_at=past)
            scoring_reconcile()
        return _scores()

    forward = receive(list(range(40)))
    Resume.objects.all().delete()
    scoring_activation.scoring_model_activate(model=_live(), force=True)  # a fresh start
    backward = receive(list(reversed(range(40))))
    assert Pair.objects.filter(job=job).count() == 40
    assert backward == forward


def test_a_pass_that_read_statistics_since_refreshed_writes_nothing():
    job = JobFactory()
    [resume] = [_resume(1)]
    pairs_score(resume_ids=[resume.pk])
    stale = _live()
    ScoringModel.objects.filter(pk=stale.pk).update(corpus_at=timezone.now())
    written = _store_scores(job=job, resume_ids=[resume.pk], scores=np.array([0.5]), model=stale)
    assert written is None


def test_activation_freezes_the_statistics_afresh_at_the_first_scoring():
    JobFactory()
    pairs_score(resume_ids=[_resume(i).pk for i in range(3)])
    assert _live().corpus_size == 3
    _resume(3)
    scoring_activation.scoring_model_activate(model=_live(), force=True)
    assert _live().corpus_size == 4 and _live().corpus_at is not None  # its re-scoring froze it
