"""The CSV export of a job's filtered ranking, streamed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from matching.intake import rates
from matching.models import Job, Pair, Resume
from matching.privacy import selectors as privacy_selectors
from matching.scoring import explain as scoring_explain
from matching.web.ranking import filtered_ranking
from resumeproject.csv_stream import csv_download

# Rows fetched and explained together by the CSV export: the resume texts of one batch
# are in memory at once, so this bounds memory for exports of any length.
EXPORT_BATCH = 500


EXPORT_HEADER = [
    "rank",
    "score",
    "candidate",
    "rating_mean",
    "rating_count",
    "must_have_found",
    "must_have_missing",
    "must_have_unclear",
    "must_have_evidence",
    "asks",
    "over_budget",
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
    budget = rates.posting_budget(job.description)
    rank = 0
    for batch in _batches(pairs.iterator(chunk_size=EXPORT_BATCH), EXPORT_BATCH):
        texts = dict(
            Resume.objects.filter(pk__in=[p.resume_id for p in batch]).values_list("pk", "text")
        )
        for pair in batch:
            rank += 1
            verdicts = scoring_explain.shown_verdicts(
                pair=pair, job=job, text=texts.get(pair.resume_id, ""), anonymized=anonymized
            )
            must = [v for v in verdicts if v.must]
            asks, over = rates.pay_against_budget(pair.resume.profile, budget)
            yield [
                rank,
                f"{pair.score:.4f}",
                _cell(privacy_selectors.resume_label(resume=pair.resume, anonymized=anonymized)),
                # Empty while blind rating hides it from this reviewer, as on the page.
                ""
                if pair.rating_mean is None or not pair.ratings_visible
                else f"{pair.rating_mean:.4f}",
                pair.rating_count,
                _cell("; ".join(v.requirement for v in must if v.status == "met")),
                _cell("; ".join(v.requirement for v in must if v.status == "not_met")),
                _cell("; ".join(v.requirement for v in must if v.status in ("unclear", ""))),
                # What decides each verdict: the requirement, then the resume's sentence.
                _cell(" | ".join(f"{v.requirement}: {v.evidence[0]}" for v in must if v.evidence)),
                asks.shown() if asks else "",
                "" if over is None else f"{over:.4f}",
            ]


@login_required
def job_export(request: HttpRequest, job_id: int) -> StreamingHttpResponse:
    """The filtered ranking as CSV, streamed: rows are written as they are read."""
    job = get_object_or_404(Job, pk=job_id)
    _, _, pairs = filtered_ranking(request, job)
    anonymized = privacy_selectors.reviewer_anonymizes(user=request.user)
    name = slugify(job.title) or f"job-{job.pk}"
    return csv_download(_export_rows(job, pairs, anonymized=anonymized), f"{name}-ranking.csv")
