"""Scoring writes: pairs scored with the live model, and ad-hoc scores of texts.

A stored score is the model's score times the pair's credentials factor
(matching.scoring.judgments.credentials_factors: the must-have licences and degrees its
stored verdicts find), whatever model is live: a candidate without them cannot be a
strong match. Verdicts are judged on pairs that exist, so a new pair is scored, judged,
and scored again (`pairs_score_judged`); re-scoring reads the stored verdicts, and so
reproduces the stored score. Ad-hoc scores of texts (`texts_score`) have no stated
requirements and are the model's alone."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import numpy as np
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from matching.models import Job, Pair, Resume, ScoringModel
from matching.scoring import oversight
from matching.scoring.activation import scoring_model_active
from matching.scoring.corpus import model_idf
from matching.scoring.features import pair_features
from matching.scoring.heads import scorer_for
from matching.scoring.inputs import TextPair, job_input, resume_batch, texts_features
from matching.scoring.judgments import (
    JobRequirements,
    credentials_factors,
    pairs_judged,
)

logger = logging.getLogger(__name__)


# Resumes scored per pass: 20,000 resumes of ~4 windows are ~120 MB of float32 vectors.
SCORING_BATCH = 20_000


def pairs_score(
    *,
    jobs: Iterable[Job] | None = None,
    resume_ids: list[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Score resumes against jobs with the live model; returns the number of pairs written.

    Defaults: every open job, every resume with text. Each job is one vectorised pass over
    the stacked vectors of the resumes; resumes are embedded first if not cached. Nothing
    while a lead has paused automated scoring (matching.scoring.oversight), and a pass
    under way stops at its next batch.
    """
    if oversight.scoring_paused() is not None:
        logger.info("automated scoring is paused: nothing scored")
        return 0
    model, idf = model_idf(scoring_model_active())
    scorer = scorer_for(model)
    jobs = list(Job.objects.filter(is_open=True) if jobs is None else jobs)
    resumes = Resume.objects.filter(Resume.scorable_q())
    if resume_ids is not None:
        resumes = resumes.filter(pk__in=resume_ids)
    ids = list(resumes.order_by("pk").values_list("pk", flat=True))
    if not ids or not jobs:
        return 0
    job_inputs = [(job, job_input(job, encoder_key=model.encoder_key)) for job in jobs]
    written = 0
    total = len(ids) * len(jobs)
    # Batches bound the memory of the stacked vectors, not the speed: each job is still
    # one vectorised pass per batch.
    for start in range(0, len(ids), SCORING_BATCH):
        if start and oversight.scoring_paused() is not None:
            logger.info("automated scoring paused: stopped after %d pairs", written)
            return written
        batch, batch_ids = resume_batch(
            resume_ids=ids[start : start + SCORING_BATCH], encoder_key=model.encoder_key, idf=idf
        )
        for job, inputs in job_inputs:
            scores = scorer(batch.vectors, inputs.vector, pair_features(inputs, batch))
            scores = scores * credentials_factors(job=job, resume_ids=batch_ids)
            stored = _store_scores(job=job, resume_ids=batch_ids, scores=scores, model=model)
            if stored is None:
                logger.info("stopped scoring with %s: another model went live", model.version)
                return written
            written += stored
            if progress:
                progress(written, total)
    return written


def pairs_score_judged(
    *, jobs: Iterable[Job] | None = None, resume_ids: list[int] | None = None
) -> tuple[int, int]:
    """Score, judge the requirements of the pairs not judged on what they are now, and
    score again those whose verdicts can move the score: what scoring new resumes or a
    changed job does. Returns (pairs scored, pairs judged)."""
    jobs = list(Job.objects.filter(is_open=True) if jobs is None else jobs)
    written = pairs_score(jobs=jobs, resume_ids=resume_ids)
    return written, pairs_judge_rescore(jobs=jobs, resume_ids=resume_ids)


def pairs_judge_rescore(
    *, jobs: list[Job], resume_ids: list[int] | None = None, force: bool = False
) -> int:
    """pairs_judge, then score again the judged pairs of jobs whose verdicts move the
    score (a must-have licence or degree); returns the number of pairs judged."""
    judged = pairs_judged(jobs=jobs, resume_ids=resume_ids, force=force)
    for job in jobs:
        if judged.get(job.pk) and JobRequirements.of(job).scored:
            pairs_score(jobs=[job], resume_ids=judged[job.pk])
    return sum(len(ids) for ids in judged.values())


def pairs_scores_under(*, model: ScoringModel, pair_ids: list[int]) -> dict[int, float]:
    """What `model` would score these stored pairs, writing nothing: a candidate measured
    on the applications it would score before anyone activates it (the fairness check of
    training.publish). One vectorised pass per job."""
    # The live model's frozen corpus statistics: a candidate freezes its own when it first
    # scores as the live model, from the same resumes.
    _, idf = model_idf(scoring_model_active())
    scorer = scorer_for(model)
    by_job: dict[int, list[tuple[int, int]]] = {}
    for pk, job_id, resume_id in Pair.objects.filter(pk__in=pair_ids).values_list(
        "pk", "job_id", "resume_id"
    ):
        by_job.setdefault(job_id, []).append((pk, resume_id))
    out: dict[int, float] = {}
    for job in Job.objects.filter(pk__in=by_job):
        wanted = dict((resume_id, pk) for pk, resume_id in by_job[job.pk])
        batch, batch_ids = resume_batch(
            resume_ids=sorted(wanted), encoder_key=model.encoder_key, idf=idf
        )
        inputs = job_input(job, encoder_key=model.encoder_key)
        scores = scorer(batch.vectors, inputs.vector, pair_features(inputs, batch))
        scores = scores * credentials_factors(job=job, resume_ids=batch_ids)
        out.update({wanted[rid]: float(s) for rid, s in zip(batch_ids, scores, strict=True)})
    return out


def pairs_rescore(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Score with the live model every open job it has not fully scored since it went
    live: after an activation, every job; when that re-scoring was interrupted (a worker
    killed) and runs again, only the jobs it had not finished."""
    model = scoring_model_active()
    total = Resume.objects.filter(Resume.scorable_q()).count()
    done = Q(
        pairs__scoring_model=model,
        pairs__score__isnull=False,
        pairs__resume__status=Resume.Status.EXTRACTED,
    )
    if model.scores_since is not None:
        done &= Q(pairs__scored_at__gte=model.scores_since)
    jobs = (
        Job.objects.filter(is_open=True)
        .annotate(live_pairs=Count("pairs", filter=done))
        .filter(live_pairs__lt=total)
        .order_by("pk")
    )
    return pairs_score(jobs=list(jobs), progress=progress)


def _store_scores(
    *, job: Job, resume_ids: list[int], scores: np.ndarray, model: ScoringModel
) -> int | None:
    """Write the scores; None, writing nothing, when `model` is no longer live."""
    now = timezone.now()
    rows = [
        Pair(resume_id=rid, job=job, score=float(s), scoring_model=model, scored_at=now)
        for rid, s in zip(resume_ids, scores, strict=True)
    ]
    with transaction.atomic():
        # Locks the model's row while it is live, as activation does: a pass that began
        # before an activation never overwrites the new model's scores (the activation
        # re-scores everything), and an activation waits for the batch being written.
        # The same holds for a refresh of its corpus statistics (scoring.corpus): a pass
        # that read the old ones stops, and the refresh re-scores everything.
        live = ScoringModel.objects.select_for_update().filter(
            pk=model.pk, is_active=True, corpus_at=model.corpus_at
        )
        if live.values_list("pk", flat=True).first() is None:
            return None
        # Only the score's columns: ratings and settled scores written meanwhile stay.
        Pair.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["resume", "job"],
            update_fields=["score", "scoring_model", "scored_at"],
            batch_size=1000,
        )
    return len(rows)


def texts_score(
    *, pairs: list[TextPair], model: ScoringModel | None = None, cache: bool = True
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Scores (and features) of text pairs under a model, the live one by default."""
    model = model or scoring_model_active()
    scorer = scorer_for(model)
    inputs = texts_features(pairs=pairs, encoder_key=model.encoder_key, cache=cache)
    if not pairs:
        return np.zeros(0, np.float32), inputs.features
    scores = scorer(inputs.resume_vectors, inputs.job_vectors, inputs.features)
    return np.asarray(scores, np.float32), inputs.features
