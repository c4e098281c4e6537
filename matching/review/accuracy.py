"""How often the requirement verdicts agree with reviewers' corrections, and the
corrections as CSV, for people with "Can view verdict correction" (the admin's list
needs the same permission)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from matching.review import corrections as review_corrections
from resumeproject.csv_stream import csv_download

PERMISSION = "matching.view_verdictcorrection"
WITHHELD = (
    "Reviewers' corrections of the verdicts need the permission \"Can view verdict "
    'correction"; ask an administrator.'
)
CSV_HEADER = [
    "pair",
    "resume",
    "job",
    "requirement",
    "must",
    "kind",
    "rules_then",
    "rules_now",
    "reviewer_met",
    "reviewer",
    "updated_at",
]


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied(WITHHELD)


@login_required
def verdict_accuracy(request: HttpRequest) -> HttpResponse:
    _check(request)
    accuracy = review_corrections.verdict_accuracy()
    return render(request, "matching/verdict_accuracy.html", {"accuracy": accuracy})


@login_required
def corrections_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every correction with what the rules said then and say now: the data to tune the
    rules with, beside the ratings a training run reads."""
    _check(request)

    def rows() -> Iterator[Sequence[object]]:
        yield CSV_HEADER
        for c in review_corrections.corrections_with_pairs().iterator(chunk_size=1000):
            now = review_corrections.rules_now(c)
            yield [
                c.pair_id,
                c.pair.resume_id,
                c.pair.job_id,
                c.requirement,
                int(c.must),
                c.kind,
                c.rule_status,
                now.get("status", ""),
                int(c.met),
                c.reviewer.get_username(),
                c.updated_at.isoformat(),
            ]

    return csv_download(rows(), "verdict-corrections.csv")
