"""The adverse-impact report as a page, a CSV and a printable summary, for people with
"Can read self-identification data and adverse-impact reports" (and no one else: it is
refused with a 403 that names the permission). Reading it is audited (fairness.selectors)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from fairness import selectors
from fairness.forms import ScopeForm
from fairness.impact import FOUR_FIFTHS, SIGNIFICANCE, SMALL_SHARE
from resumeproject import access
from resumeproject.csv_stream import csv_download

CSV_HEADER = [
    "breakdown",
    "category",
    "applications",
    "share_of_sample",
    "under_2_percent",
    "scored_above_median",
    "scoring_rate",
    "scoring_impact_ratio",
    "selected",
    "selection_rate",
    "selection_impact_ratio",
    "under_four_fifths",
    "fisher_p",
]


def _scoped_report(request: HttpRequest) -> tuple[ScopeForm, selectors.ScopedReport | None]:
    if not access.can_read_self_identification(request.user):
        raise PermissionDenied(access.can_read_self_identification.refusal)
    form = ScopeForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    return form, selectors.adverse_impact(form.scope(), reader=request.user)


def _context(form: ScopeForm, scoped: selectors.ScopedReport | None) -> dict:
    return {
        "form": form,
        "scoped": scoped,
        "four_fifths": FOUR_FIFTHS,
        "small_share": SMALL_SHARE,
        "significance": SIGNIFICANCE,
        "query": form.data.urlencode() if hasattr(form.data, "urlencode") else "",
    }


@login_required
def impact_report(request: HttpRequest) -> HttpResponse:
    form, scoped = _scoped_report(request)
    return render(request, "fairness/impact_report.html", _context(form, scoped))


@login_required
def impact_summary(request: HttpRequest) -> HttpResponse:
    """What the LL144 rules ask a public summary to state, on one printable page."""
    form, scoped = _scoped_report(request)
    return render(request, "fairness/impact_summary.html", _context(form, scoped))


@login_required
def impact_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    form, scoped = _scoped_report(request)
    if scoped is None:
        problems = [str(e) for errs in form.errors.values() for e in errs]
        return HttpResponse("; ".join(problems), status=400, content_type="text/plain")

    def rows() -> Iterator[Sequence[object]]:
        yield CSV_HEADER
        for breakdown in scoped.report.breakdowns:
            for r in breakdown.rows:
                yield [
                    breakdown.name,
                    r.category,
                    r.count,
                    round(r.share, 4),
                    int(r.small),
                    r.scored_above_median,
                    round(r.scoring_rate, 4),
                    "" if r.scoring_impact_ratio is None else round(r.scoring_impact_ratio, 4),
                    r.selected,
                    round(r.selection_rate, 4),
                    "" if r.selection_impact_ratio is None else round(r.selection_impact_ratio, 4),
                    int(r.under_four_fifths),
                    "" if r.fisher_p is None else round(r.fisher_p, 4),
                ]
            yield [
                breakdown.name,
                "unknown",
                breakdown.unknown,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ]

    return csv_download(rows(), f"adverse-impact-{dt.date.today().isoformat()}.csv")
