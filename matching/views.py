"""Internal pages: open jobs, a job's ranked candidates (with why), a resume, its file.

Every page needs a login. Views stay thin: reads come from selectors, the live model from
services; the only logic here is shaping rows for templates and the CSV stream.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify

from matching import lexical, selectors, services
from matching.anonymize import ORIGINAL_FILE_HIDDEN
from matching.forms import RankingFilterForm
from matching.models import Job, Pair, Resume

# Rows fetched and explained together by the CSV export: the resume texts of one batch
# are in memory at once, so this bounds memory for exports of any length.
EXPORT_BATCH = 500
BEST_JOBS_SHOWN = 20


def percent(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def score_level(pct: int | None) -> str:
    """CSS class of a score: the thresholds match the calibration (strong ~80, poor ~20)."""
    if pct is None:
        return "none"
    if pct >= 70:
        return "high"
    if pct >= 45:
        return "mid"
    return "low"


# --- job list ----------------------------------------------------------------------------


def _open_jobs() -> QuerySet[Job]:
    scored = Q(pairs__score__isnull=False, pairs__resume__status=Resume.Status.EXTRACTED)
    return (
        Job.objects.filter(is_open=True)
        .annotate(
            scored_count=Count("pairs", filter=scored),
            rated_count=Count("pairs", filter=scored & Q(pairs__rating_count__gt=0)),
            best_score=Max("pairs__score", filter=scored),
        )
        .order_by("-created_at", "pk")
    )


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = list(_open_jobs())
    for job in jobs:
        job.best_pct = percent(job.best_score)
        job.level = score_level(job.best_pct)
    return render(
        request,
        "matching/job_list.html",
        {"jobs": jobs, "active_model": services.scoring_model_active()},
    )


# --- ranking -----------------------------------------------------------------------------


@dataclass
class RankingRow:
    rank: int
    pair: Pair
    why: selectors.Explanation
    score_pct: int | None
    rating_pct: int | None  # None while blind rating hides it (selectors.ratings_visible)
    ratings_hidden: bool
    disagrees: bool  # reviewers' mean far from the model (selectors.pairs_disagreeing)
    rate_url: str | None
    stale: bool  # scored by a model that is no longer the live one
    other_skills_found: list[str]
    other_skills_missing: list[str]

    @property
    def level(self) -> str:
        return score_level(self.score_pct)


def _not_a_requirement(skills: list[str], requirement_terms: set[str]) -> list[str]:
    """Skills the requirements do not already name: each is shown once, not twice."""
    return [s for s in skills if not set(lexical.terms(s)) <= requirement_terms]


def _filtered_ranking(
    request: HttpRequest, job: Job
) -> tuple[RankingFilterForm, bool, QuerySet[Pair]]:
    form = RankingFilterForm(request.GET or None)
    filters = form.ranking_filters()
    filtered = any(v is not None for v in filters.values())
    pairs = selectors.pairs_for_viewer(selectors.job_ranking(job=job, **filters), user=request.user)
    return form, filtered, pairs


def _ranking_page(pairs: QuerySet[Pair], number: str | None) -> Page:
    """The page asked for; a page past the end (or not a number) is a 404 that says so,
    not page 1 or the last page shown in its place."""
    paginator = Paginator(pairs, settings.RANKING_PAGE_SIZE)
    try:
        return paginator.page(number or 1)
    except InvalidPage as exc:
        pages = paginator.num_pages
        raise Http404(
            f"Page {number[:20]} of this ranking does not exist: it has {pages} "
            f"page{'s' if pages != 1 else ''}."
        ) from exc


@login_required
def job_ranking(request: HttpRequest, job_id: int) -> HttpResponse:
    """One page of a job's candidates, best first, each with why it scored as it did.

    A fixed number of queries per page whatever its size: the job (with its scoring
    progress), the page (resume and model joined, blind-rating visibility annotated), one
    count, and explain_pairs' three reads of texts and cached vectors.
    """
    active = services.scoring_model_active()
    job = get_object_or_404(selectors.jobs_with_scoring_progress(model=active), pk=job_id)
    form, filtered, pairs = _filtered_ranking(request, job)
    page = _ranking_page(pairs, request.GET.get("page"))
    page_pairs = list(page.object_list)
    why = selectors.explain_pairs(
        job=job,
        pairs=page_pairs,
        encoder_key=active.encoder_key,
        anonymized=selectors.reviewer_anonymizes(user=request.user),
    )
    must_have = lexical.split_requirements(job.must_have)
    nice_to_have = lexical.split_requirements(job.nice_to_have)
    requirement_terms = set(lexical.terms(" ".join(must_have + nice_to_have)))
    rows = [
        RankingRow(
            rank=page.start_index() + i,
            pair=pair,
            why=why[pair.pk],
            score_pct=percent(pair.score),
            rating_pct=percent(pair.rating_mean) if pair.ratings_visible else None,
            ratings_hidden=pair.rating_count > 0 and not pair.ratings_visible,
            disagrees=pair.ratings_visible and pair.disagrees,
            # The rating screen of the labeling queue: blind, side by side, any reviewer.
            rate_url=reverse("matching:review_pair", args=[pair.pk]),
            stale=pair.scoring_model_id is not None and pair.scoring_model_id != active.pk,
            other_skills_found=_not_a_requirement(why[pair.pk].skills_found, requirement_terms),
            other_skills_missing=_not_a_requirement(why[pair.pk].skills_missing, requirement_terms),
        )
        for i, pair in enumerate(page_pairs)
    ]
    return render(
        request,
        "matching/job_ranking.html",
        {
            "job": job,
            "form": form,
            "page_obj": page,
            "rows": rows,
            "active_model": active,
            "must_have": must_have,
            "nice_to_have": nice_to_have,
            "filtered": filtered,
            "progress": selectors.job_scoring_progress(job=job),
            "disagreement_threshold_pct": percent(settings.DISAGREEMENT_THRESHOLD),
        },
    )


class _Echo:
    """A file-like object whose write returns the line, so csv.writer feeds a stream."""

    def write(self, value: str) -> str:
        return value


EXPORT_HEADER = [
    "rank",
    "score",
    "resume",
    "rating_mean",
    "rating_count",
    "must_have_found",
    "must_have_missing",
]


def _cell(value: str) -> str:
    # A file name such as "=HYPERLINK(...)" must not become a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _batches(pairs: Iterable[Pair], size: int) -> Iterator[list[Pair]]:
    batch: list[Pair] = []
    for pair in pairs:
        batch.append(pair)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _export_rows(
    job: Job, pairs: QuerySet[Pair], *, anonymized: bool = False
) -> Iterator[list[object]]:
    yield EXPORT_HEADER
    must = lexical.split_requirements(job.must_have)
    rank = 0
    for batch in _batches(pairs.iterator(chunk_size=EXPORT_BATCH), EXPORT_BATCH):
        texts = dict(
            Resume.objects.filter(pk__in=[p.resume_id for p in batch]).values_list("pk", "text")
        )
        for pair in batch:
            rank += 1
            terms = set(lexical.terms(texts.get(pair.resume_id, "")))
            found = [r for r in must if selectors.requirement_met(r, terms)]
            missing = [r for r in must if r not in found]
            yield [
                rank,
                f"{pair.score:.4f}",
                _cell(selectors.resume_label(resume=pair.resume, anonymized=anonymized)),
                # Empty while blind rating hides it from this reviewer, as on the page.
                ""
                if pair.rating_mean is None or not pair.ratings_visible
                else f"{pair.rating_mean:.4f}",
                pair.rating_count,
                _cell("; ".join(found)),
                _cell("; ".join(missing)),
            ]


@login_required
def job_export(request: HttpRequest, job_id: int) -> StreamingHttpResponse:
    """The filtered ranking as CSV, streamed: rows are written as they are read."""
    job = get_object_or_404(Job, pk=job_id)
    _, _, pairs = _filtered_ranking(request, job)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (
            writer.writerow(row)
            for row in _export_rows(
                job, pairs, anonymized=selectors.reviewer_anonymizes(user=request.user)
            )
        ),
        content_type="text/csv; charset=utf-8",
    )
    name = slugify(job.title) or f"job-{job.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}-ranking.csv"'
    return response


# --- resumes -----------------------------------------------------------------------------


@login_required
def resume_detail(request: HttpRequest, resume_id: int) -> HttpResponse:
    resume = get_object_or_404(Resume.objects.defer("term_ids", "term_counts"), pk=resume_id)
    best = list(
        selectors.pairs_for_viewer(selectors.resume_best_jobs(resume=resume), user=request.user)[
            :BEST_JOBS_SHOWN
        ]
    )
    jobs = [
        {
            "pair": pair,
            "score_pct": percent(pair.score),
            "rating_pct": percent(pair.rating_mean) if pair.ratings_visible else None,
            "ratings_hidden": pair.rating_count > 0 and not pair.ratings_visible,
            "level": score_level(percent(pair.score)),
        }
        for pair in best
    ]
    anonymized = selectors.reviewer_anonymizes(user=request.user)
    return render(
        request,
        "matching/resume_detail.html",
        {
            "resume": resume,
            "shown_text": selectors.resume_display_text(text=resume.text, anonymized=anonymized),
            "best_jobs": jobs,
            "has_file": bool(resume.file) and resume.error_code != "too_large",
        },
    )


@login_required
def resume_file(request: HttpRequest, resume_id: int) -> FileResponse:
    """The uploaded file, only through this login-protected view (no public media URL)."""
    resume = get_object_or_404(
        Resume.objects.only("pk", "file", "original_name", "error_code"), pk=resume_id
    )
    if not resume.file or not resume.file.storage.exists(resume.file.name):
        raise Http404("The file of this resume is not stored.")
    if selectors.reviewer_anonymizes(user=request.user):
        # The file shows what the anonymized view masks, and cannot be masked itself.
        raise PermissionDenied(ORIGINAL_FILE_HIDDEN)
    return FileResponse(resume.file.open("rb"), as_attachment=True, filename=resume.original_name)
