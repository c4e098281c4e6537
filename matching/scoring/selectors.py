"""Ranking reads: a job's scored candidates, a resume's best jobs."""

from __future__ import annotations

from django.db.models import F, QuerySet

from matching.models import Job, Pair, Resume


def job_ranking(
    *, job: Job, min_score: float | None = None, rated: bool | None = None
) -> QuerySet[Pair]:
    """A job's scored candidates, best first; the resume text is not loaded.

    Unreadable resumes are left out by id (the few not extracted), not by joining each
    pair to its resume: the page's COUNT then reads only the pair index, where the join
    read every resume row, half the time of a page with 10,000 candidates.
    """
    unreadable = Resume.objects.exclude(status=Resume.Status.EXTRACTED).values("pk")
    qs = (
        Pair.objects.filter(job=job, score__isnull=False)
        .exclude(resume_id__in=unreadable)
        .select_related("resume", "scoring_model")
        .defer("resume__text", "resume__term_ids", "resume__term_counts")
        .order_by(F("score").desc(), "pk")
    )
    if min_score is not None:
        qs = qs.filter(score__gte=min_score)
    if rated is True:
        qs = qs.filter(rating_count__gt=0)
    elif rated is False:
        qs = qs.filter(rating_count=0)
    return qs


def job_people_only(*, job: Job) -> QuerySet[Pair]:
    """A job's candidates who asked for people-only review: never scored, so never in the
    ranking; reviewers' mean first, then unrated ones."""
    return (
        Pair.objects.filter(
            job=job,
            resume__alternative_process_at__isnull=False,
            resume__status=Resume.Status.EXTRACTED,
        )
        .select_related("resume")
        .defer("resume__text", "resume__term_ids", "resume__term_counts")
        .order_by(F("rating_mean").desc(nulls_last=True), "pk")
    )


def resume_best_jobs(*, resume: Resume) -> QuerySet[Pair]:
    return (
        Pair.objects.filter(resume=resume, score__isnull=False)
        .select_related("job")
        .order_by(F("score").desc(), "pk")
    )
