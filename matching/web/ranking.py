"""Pages: the open jobs, and a job's ranked candidates (with why they scored as they did).

Every page needs a login. Views stay thin: reads come from selectors, the live model from
scoring.activation; the only logic here is shaping rows for templates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from matching import bands
from matching.intake import rates
from matching.intake import terms as intake_terms
from matching.models import Job, Pair, Resume
from matching.privacy import selectors as privacy_selectors
from matching.review import visibility as review_visibility
from matching.scoring import activation as scoring_activation
from matching.scoring import explain as scoring_explain
from matching.scoring import oversight as scoring_oversight
from matching.scoring import progress as scoring_progress
from matching.scoring import selectors as scoring_selectors
from matching.texts import split_requirements
from matching.web.display import percent
from matching.web.forms import RankingFilterForm
from resumeproject import access


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
        job.level = bands.css_level(job.best_score)
    return render(
        request,
        "matching/job_list.html",
        {
            "jobs": jobs,
            "active_model": scoring_activation.scoring_model_active(),
            **_pause_context(request),
        },
    )


def _pause_context(request: HttpRequest) -> dict:
    """The paused-scoring banner, and for a lead the button that pauses or resumes."""
    pause = scoring_oversight.scoring_paused()
    return {
        "scoring_pause": pause,
        "scoring_pause_message": scoring_oversight.paused_message(pause) if pause else "",
        "can_pause_scoring": access.can_pause_scoring(request.user),
    }


# --- ranking -----------------------------------------------------------------------------


@dataclass
class RankingRow:
    rank: int
    pair: Pair
    why: scoring_explain.Explanation
    score_pct: int | None
    rating_pct: int | None  # None while blind rating hides it (review_visibility.ratings_visible)
    ratings_hidden: bool
    disagrees: bool  # reviewers' mean far from the model (review_visibility.pairs_disagreeing)
    rate_url: str | None
    stale: bool  # scored by a model that is no longer the live one
    other_skills_found: list[str]
    other_skills_missing: list[str]
    asks: str = ""  # the rate the resume asks, as shown ("85 €/h"); "" when not stated
    over_budget_pct: int | None = None  # how far above the posting's budget; None: unknown


def _skills_and_pay(
    pair: Pair,
    why: scoring_explain.Explanation,
    requirement_terms: set[str],
    budget: rates.Rate | None,
) -> dict:
    """The row's skills beyond the requirements, and the rate the candidate asks with how
    far it is above the budget."""
    out: dict = {
        "other_skills_found": _not_a_requirement(why.skills_found, requirement_terms),
        "other_skills_missing": _not_a_requirement(why.skills_missing, requirement_terms),
    }
    asked, over = rates.pay_against_budget(pair.resume.profile, budget)
    if asked is not None:
        out["asks"] = asked.shown()
        # Up: 0.4% above the budget is above it, not "within".
        out["over_budget_pct"] = None if over is None else math.ceil(round(100 * over, 6))
    return out


def _not_a_requirement(skills: list[str], requirement_terms: set[str]) -> list[str]:
    """Skills the requirements do not already name: each is shown once, not twice."""
    return [s for s in skills if not set(intake_terms.terms(s)) <= requirement_terms]


def filtered_ranking(
    request: HttpRequest, job: Job
) -> tuple[RankingFilterForm, bool, QuerySet[Pair]]:
    form = RankingFilterForm(request.GET or None)
    filters = form.ranking_filters()
    filtered = any(v is not None for v in filters.values())
    pairs = review_visibility.pairs_for_viewer(
        scoring_selectors.job_ranking(job=job, **filters), user=request.user
    )
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
    active = scoring_activation.scoring_model_active()
    job = get_object_or_404(scoring_progress.jobs_with_scoring_progress(model=active), pk=job_id)
    form, filtered, pairs = filtered_ranking(request, job)
    page = _ranking_page(pairs, request.GET.get("page"))
    page_pairs = list(page.object_list)
    why = scoring_explain.explain_pairs(
        job=job,
        pairs=page_pairs,
        encoder_key=active.encoder_key,
        anonymized=privacy_selectors.reviewer_anonymizes(user=request.user),
    )
    must_have = split_requirements(job.must_have)
    nice_to_have = split_requirements(job.nice_to_have)
    requirement_terms = set(intake_terms.terms(" ".join(must_have + nice_to_have)))
    budget = rates.posting_budget(job.description)
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
            **_skills_and_pay(pair, why[pair.pk], requirement_terms, budget),
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
            "budget": budget.shown() if budget else "",
            "filtered": filtered,
            "progress": scoring_progress.job_scoring_progress(job=job),
            "disagreement_threshold_pct": percent(settings.DISAGREEMENT_THRESHOLD),
            "people_only": review_visibility.pairs_for_viewer(
                scoring_selectors.job_people_only(job=job), user=request.user
            ),
            **_pause_context(request),
        },
    )
