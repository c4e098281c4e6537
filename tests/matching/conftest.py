"""Fixtures of the ranking-page tests (test_pages.py, test_browser.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from django.utils import timezone

from matching.encoding.cache import ensure_vectors, resume_cache_key
from matching.intake.sections import evidence_text
from matching.models import Job, Pair
from matching.scoring import activation as scoring_activation
from matching.scoring.judgments import pairs_judge
from matching.texts import text_hash
from tests.factories import JobFactory, PairFactory, ResumeFactory

RankedJob = tuple[Job, list[Pair]]


@pytest.fixture
def make_ranked_job() -> Callable[..., RankedJob]:
    """Builds a job with scored candidates, ready for the ranking page.

    Pairs are written directly with the given scores (no scoring run), by the live model,
    every text is embedded (by the suite's fake encoder) so explanations have passages, and
    the requirements are judged as scoring judges them. Pairs come back in the order of
    `scores`, not ranked.
    """

    def build(
        scores: Sequence[float],
        *,
        texts: Sequence[str] | None = None,
        names: Sequence[str] | None = None,
        **job_fields,
    ) -> RankedJob:
        model = scoring_activation.scoring_model_active()
        job = JobFactory(**job_fields)
        resumes = []
        for i, _ in enumerate(scores):
            fields = {}
            if texts is not None:
                fields["text"] = texts[i]
            if names is not None:
                fields["original_name"] = names[i]
            resumes.append(ResumeFactory(**fields))
        now = timezone.now()
        pairs = [
            PairFactory(resume=resume, job=job, score=score, scoring_model=model, scored_at=now)
            for resume, score in zip(resumes, scores, strict=True)
        ]
        job_text = job.embedded_text
        ensure_vectors(texts={text_hash(job_text): job_text}, encoder_key=model.encoder_key)
        ensure_vectors(
            texts={r.text_sha256: evidence_text(r.text) for r in resumes},
            encoder_key=resume_cache_key(model.encoder_key),
        )
        pairs_judge(jobs=[job])  # as scoring does: the requirement verdicts, stored
        for pair in pairs:
            pair.refresh_from_db(fields=["verdicts", "verdicts_key"])
        return job, pairs

    return build
