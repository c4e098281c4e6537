"""How far scoring is: per resume, per job, overall, and for one import's resumes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_q.models import Failure

from matching import queue
from matching.models import Job, Pair, Resume, ScoringModel

if TYPE_CHECKING:  # django-stubs-ext comes with the type stubs (dev only)
    from django_stubs_ext import WithAnnotations


class _Progress(TypedDict):
    live_scored: int
    readable_resumes: int


def resumes_with_scoring_progress() -> QuerySet[Resume]:
    """Resumes without their long columns, each annotated with `scored_jobs`: how many open
    jobs it has a score against. One subquery per row, not a join, so counting a filtered
    list stays one cheap COUNT."""
    scored = (
        Pair.objects.filter(resume=OuterRef("pk"), score__isnull=False, job__is_open=True)
        .order_by()
        .values("resume")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Resume.objects.defer("text", "term_ids", "term_counts").annotate(
        scored_jobs=Coalesce(Subquery(scored, output_field=IntegerField()), 0)
    )


def open_job_count() -> int:
    return Job.objects.filter(is_open=True).count()


@dataclass
class ScoringProgress:
    """How far scoring is: resumes scored by the live model against every open job."""

    resumes_done: int
    resumes_total: int
    pairs_done: int
    pairs_total: int
    open_jobs: int
    model_version: str
    # Scoring tasks failed in the last day, and the last error (shown while pending).
    failures: ScoringFailures | None = None

    @property
    def pending(self) -> bool:
        return self.pairs_done < self.pairs_total

    @property
    def percent(self) -> int:
        return 100 if not self.pairs_total else int(100 * self.pairs_done / self.pairs_total)


@dataclass
class ScoringFailures:
    count: int  # at most FAILURES_COUNTED
    last_error: str


RECENT_FAILURES = timedelta(hours=24)
FAILURES_COUNTED = 100
SCORING_TASKS = (queue.SCORE_RESUMES, queue.SCORE_JOB, queue.RESCORE_ALL)


def scoring_failures(*, since: timedelta = RECENT_FAILURES) -> ScoringFailures:
    """Scoring tasks failed lately (django-q2 keeps every failure) and the last one's
    error line: one query. Their resumes are queued again by the reconciler."""
    results = list(
        Failure.objects.filter(func__in=SCORING_TASKS, stopped__gte=timezone.now() - since)
        .order_by("-stopped")
        .values_list("result", flat=True)[:FAILURES_COUNTED]
    )
    last = str(results[0] or "failed").strip() if results else ""
    return ScoringFailures(len(results), last.splitlines()[-1][:300] if last else "")


def scoring_progress() -> ScoringProgress:
    """Counts behind "N of M resumes scored" on the queue, upload and resume-list pages.

    A pair counts once the live model has scored it, so re-scoring after an activation
    shows its progress too (older scores do not count). Five queries, grouped in SQL.
    """
    active = ScoringModel.objects.filter(is_active=True).only("pk", "version").first()
    jobs = Job.objects.filter(is_open=True).count()
    total = Resume.objects.filter(Resume.scorable_q()).count()
    live = Pair.objects.filter(
        job__is_open=True,
        resume__status=Resume.Status.EXTRACTED,
        score__isnull=False,
        scoring_model=active,
    )
    # Pairs per resume, then summed: one grouped query for both counts.
    counts = (
        live.order_by()
        .values("resume")
        .annotate(n=Count("pk"))
        .aggregate(pairs=Coalesce(Sum("n"), 0), done=Count("resume", filter=Q(n__gte=jobs)))
    )
    return ScoringProgress(
        resumes_done=(counts["done"] if jobs else total) if active else 0,
        resumes_total=total,
        pairs_done=counts["pairs"] if active else 0,
        pairs_total=total * jobs,
        open_jobs=jobs,
        model_version=active.version if active else "",
        failures=scoring_failures(),
    )


@dataclass
class JobScoringProgress:
    """How far the live model is with one job: its readable candidates it has scored."""

    done: int
    total: int

    @property
    def pending(self) -> bool:
        return self.done < self.total


def jobs_with_scoring_progress(*, model: ScoringModel) -> QuerySet[WithAnnotations[Job, _Progress]]:
    """Jobs annotated with `live_scored` (their pairs with a readable resume that `model`
    has scored) and `readable_resumes` (every readable resume: each is scored against
    every open job); job_scoring_progress reads them. Two subqueries in the job's own
    query, so the ranking page shows its progress without one query more."""
    readable = Resume.objects.filter(Resume.scorable_q())
    scored = (
        Pair.objects.filter(
            job=OuterRef("pk"),
            score__isnull=False,
            scoring_model=model,
            resume__status=Resume.Status.EXTRACTED,
        )
        .order_by()
        .values("job")
        .annotate(n=Count("pk"))
        .values("n")
    )
    resumes = readable.order_by().values("status").annotate(n=Count("pk")).values("n")
    return Job.objects.annotate(
        live_scored=Coalesce(Subquery(scored, output_field=IntegerField()), 0),
        readable_resumes=Coalesce(Subquery(resumes, output_field=IntegerField()), 0),
    )


def job_scoring_progress(*, job: WithAnnotations[Job, _Progress]) -> JobScoringProgress | None:
    """The progress of a job fetched through jobs_with_scoring_progress; None for a closed
    job, which is not scored."""
    if not job.is_open:
        return None
    return JobScoringProgress(done=job.live_scored, total=job.readable_resumes)


# --- bulk import: how far the scoring of one import is (manage.py import_resumes --wait) --

# Ids per IN (...) list: under every backend's limit on query parameters.
_IDS_PER_QUERY = 900


def resumes_scoring_progress(*, resume_ids: list[int]) -> ScoringProgress:
    """scoring_progress for some resumes only: pairs the live model has scored between
    them and the open jobs. One query per 900 resumes, plus two."""
    active = ScoringModel.objects.filter(is_active=True).only("pk", "version").first()
    jobs = Job.objects.filter(is_open=True).count()
    pairs = resumes = 0
    for start in range(0, len(resume_ids), _IDS_PER_QUERY):
        chunk = resume_ids[start : start + _IDS_PER_QUERY]
        counts = (
            Pair.objects.filter(
                resume_id__in=chunk,
                job__is_open=True,
                score__isnull=False,
                scoring_model=active,
            )
            .order_by()
            .values("resume")
            .annotate(n=Count("pk"))
            .aggregate(pairs=Coalesce(Sum("n"), 0), done=Count("resume", filter=Q(n__gte=jobs)))
        )
        pairs += counts["pairs"]
        resumes += counts["done"]
    return ScoringProgress(
        resumes_done=(resumes if jobs else len(resume_ids)) if active else 0,
        resumes_total=len(resume_ids),
        pairs_done=pairs if active else 0,
        pairs_total=len(resume_ids) * jobs,
        open_jobs=jobs,
        model_version=active.version if active else "",
    )


def scoring_task_failures(*, group: str) -> list[str]:
    """Errors of the failed django-q2 tasks of one group (an import's scoring tasks).
    django-q2 keeps every failure, whatever its save_limit for successes."""
    return [
        f"{task.name}: {str(task.result).strip().splitlines()[-1] if task.result else 'failed'}"
        for task in Failure.objects.filter(group=group).order_by("started")
    ]
