"""The labeling queue: the next pair to rate, the rating screen, skip, scoring progress.

Thin like the other pages: the queue order lives in review.selectors.review_queue, writes
in review.ratings.rating_submit and review.services.pair_skip. What is here is deciding
what the screen may show (blind rating) and shaping it for the template.
docs/reviewing.md describes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from matching import bands
from matching.errors import CorrectionRefused
from matching.intake import terms as intake_terms
from matching.models import Pair, Rating
from matching.privacy import selectors as privacy_selectors
from matching.privacy import services as privacy_services
from matching.review import corrections as review_corrections
from matching.review import ratings as review_ratings
from matching.review import selectors as review_selectors
from matching.review import services as review_services
from matching.review.forms import QueueRatingForm, VerdictCorrectionForm
from matching.review.highlight import evidence_spans, highlight, requirement_words
from matching.scoring import activation as scoring_activation
from matching.scoring import explain as scoring_explain
from matching.scoring import progress as score_progress
from matching.web.display import percent
from resumeproject.fields import parse_id

# What each star means on the buttons; the score is Rating.stars_to_score (1 = 0.0 ... 5 =
# 1.0), so 1-2 stars fall in the poor band, 3 in partial, 4-5 in good.
STAR_LABELS = {1: "no fit", 2: "weak", 3: "partial", 4: "good", 5: "strong"}

# The resume columns the screen never reads: term vectors are only for scoring.
_UNUSED_RESUME_COLUMNS = ("resume__term_ids", "resume__term_counts")


class SignedInRequest(HttpRequest):
    """The request of a login_required view, typed so: its user is signed in."""

    user: User


def _pairs() -> QuerySet[Pair]:
    return Pair.objects.select_related("resume", "job").defer(*_UNUSED_RESUME_COLUMNS)


def stars_of(score: float | None) -> int | None:
    """The star a score was given with (1 star = 0.0 ... 5 stars = 1.0); None for a
    score typed in the admin that is not a whole star."""
    if score is None:
        return None
    stars = score * 4 + 1
    return round(stars) if abs(stars - round(stars)) < 1e-6 else None


@dataclass
class RatingView:
    """A rating as the screen shows it."""

    rating: Rating
    pct: int | None
    stars: int | None


def _rating_view(rating: Rating) -> RatingView:
    return RatingView(rating=rating, pct=percent(rating.score), stars=stars_of(rating.score))


@dataclass
class JustRated:
    """The panel after a rating: how it compares with the model and the other reviewers.

    Shown only to a reviewer who has rated the pair, so `?rated=<id>` reveals nothing
    about a pair they have not rated yet.
    """

    pair: Pair
    mine: RatingView
    model_pct: int | None
    others: list[RatingView]
    others_mean_pct: int | None


def _just_rated(request: SignedInRequest) -> JustRated | None:
    """The panel of the pair in `?rated=`; ValidationError when that is not an id."""
    pair_id = parse_id(request.GET.get("rated"))
    if pair_id is None:
        return None
    pair = (
        Pair.objects.select_related("resume", "job")
        .only("pk", "score", "resume__original_name", "resume__candidate_name", "job__title")
        .filter(pk=pair_id)
        .first()
    )
    if pair is None:
        return None
    mine = review_selectors.reviewer_rating(pair=pair, reviewer=request.user)
    if mine is None:
        return None
    others = review_selectors.pair_other_ratings(pair=pair, reviewer=request.user)
    return JustRated(
        pair=pair,
        mine=_rating_view(mine),
        model_pct=percent(mine.predicted_score if mine.predicted_score is not None else pair.score),
        others=[_rating_view(r) for r in others],
        others_mean_pct=percent(sum(r.score for r in others) / len(others)) if others else None,
    )


def _pair_context(request: SignedInRequest, pair: Pair, form: QueueRatingForm | None) -> dict:
    """What the rating screen shows of `pair`: why it scored, the highlighted resume, and
    the model's score and the other reviewers' ratings once blind rating allows."""
    anonymized = privacy_selectors.reviewer_anonymizes(user=request.user)
    active = scoring_activation.scoring_model_active()
    why = scoring_explain.explain_pairs(
        job=pair.job,
        pairs=[pair],
        encoder_key=active.encoder_key,
        passages=3,
        anonymized=anonymized,
    )[pair.pk]
    shown_text = privacy_selectors.resume_display_text(text=pair.resume.text, anonymized=anonymized)
    words = requirement_words(why.must_found + why.nice_found + why.skills_found)
    mine = review_selectors.reviewer_rating(pair=pair, reviewer=request.user)
    # Blind rating: nothing of the model or the other reviewers before this reviewer
    # has rated, so their own judgment is what gets recorded.
    reveal = not settings.BLIND_RATING or mine is not None
    others = review_selectors.pair_other_ratings(pair=pair, reviewer=request.user) if reveal else []
    requirement_terms = set(intake_terms.terms(" ".join(why.must_found + why.must_missing)))
    requirement_terms |= set(intake_terms.terms(" ".join(why.nice_found + why.nice_missing)))
    initial_note = mine.note if mine is not None else ""
    corrected = review_corrections.reviewer_corrections(pair=pair, reviewer=request.user)
    why.verdicts = [
        replace(v, corrected=("met" if corrected[v.requirement] else "not_met"))
        if v.requirement in corrected
        else v
        for v in why.verdicts
    ]
    return dict(
        why=why,
        correctable=True,
        other_skills_found=[
            s for s in why.skills_found if not set(intake_terms.terms(s)) <= requirement_terms
        ],
        other_skills_missing=[
            s for s in why.skills_missing if not set(intake_terms.terms(s)) <= requirement_terms
        ],
        # The sentences that decide each verdict, quoted from the text as shown (masked
        # in the anonymized view, as the verdicts' evidence is).
        segments=highlight(
            shown_text,
            spans=evidence_spans(
                shown_text,
                ((v.requirement, e) for v in why.verdicts for e in v.evidence),
            ),
            words=words,
        ),
        mine=_rating_view(mine) if mine is not None else None,
        reveal=reveal,
        model_pct=percent(pair.score),
        model_level=bands.css_level(pair.score),
        others=[_rating_view(r) for r in others],
        form=form or QueueRatingForm(initial={"note": initial_note}),
        skipped_earlier=bool(getattr(pair, "skipped", False)),
        stars=[(n, "\u2605" * n, label) for n, label in STAR_LABELS.items()],
    )


def _screen(
    request: SignedInRequest,
    pair: Pair | None,
    *,
    queue: QuerySet[Pair],
    form: QueueRatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The rating screen of `pair` (or the empty queue), with what blind rating allows."""
    try:
        just_rated = _just_rated(request)
    except ValidationError as exc:
        return HttpResponseBadRequest(
            f"The rating to show (?rated=) is not an id. {exc.messages[0]}",
            content_type="text/plain; charset=utf-8",
        )
    context: dict = {
        "pair": pair,
        # `skipped` is review_queue's annotation, which the stubs lose across its return.
        "waiting": queue.filter(skipped=False).count(),  # type: ignore[misc]
        "wanted": settings.REVIEWS_WANTED_PER_PAIR,
        "blind": settings.BLIND_RATING,
        "skip_minutes": settings.REVIEW_SKIP_MINUTES,
        "just_rated": just_rated,
        "skipped_notice": request.GET.get("skipped", "").isdigit(),
    }
    if pair is not None:
        context.update(_pair_context(request, pair, form))
    return render(request, "matching/review.html", context, status=status)


@login_required
def review_next(request: SignedInRequest) -> HttpResponse:
    """The next pair this reviewer should rate (review_selectors.review_queue's order)."""
    queue = review_selectors.review_queue(reviewer=request.user)
    pair = queue.select_related("resume", "job").defer(*_UNUSED_RESUME_COLUMNS).first()
    return _screen(request, pair, queue=queue)


@login_required
def review_pair(request: SignedInRequest, pair_id: int) -> HttpResponse:
    """One given pair on the rating screen: to look again at, or change, a rating."""
    pair = get_object_or_404(_pairs(), pk=pair_id)
    return _screen(request, pair, queue=review_selectors.review_queue(reviewer=request.user))


@login_required
@require_POST
def review_rate(request: SignedInRequest, pair_id: int) -> HttpResponse:
    """Record the rating, then straight to the next pair (POST, redirect, GET)."""
    pair = get_object_or_404(_pairs(), pk=pair_id)
    form = QueueRatingForm(request.POST)
    if not form.is_valid():
        # The screen again with the error; the note typed is kept in the form.
        queue = review_selectors.review_queue(reviewer=request.user)
        return _screen(request, pair, queue=queue, form=form, status=400)
    review_ratings.rating_submit(
        pair=pair, reviewer=request.user, score=form.score, note=form.cleaned_data["note"]
    )
    return redirect(f"{reverse('matching:review')}?rated={pair.pk}")


@login_required
@require_POST
def review_correct(request: SignedInRequest, pair_id: int) -> HttpResponse:
    """A reviewer's ✓ / ✗ on one requirement (or back to the rules' verdict), then the
    rating screen again at the requirements."""
    pair = get_object_or_404(Pair.objects.only("pk", "resume_id", "job_id", "verdicts"), pk=pair_id)
    form = VerdictCorrectionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(
            "Give the requirement and a verdict: met, not_met or rules.",
            content_type="text/plain; charset=utf-8",
        )
    try:
        review_corrections.verdict_correct(
            pair=pair,
            requirement=form.cleaned_data["requirement"],
            met=form.met,
            reviewer=request.user,
        )
    except CorrectionRefused as exc:
        return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
    return redirect(f"{reverse('matching:review_pair', args=[pair.pk])}#requirements")


@login_required
@require_POST
def review_skip(request: SignedInRequest, pair_id: int) -> HttpResponse:
    pair = get_object_or_404(Pair.objects.only("pk"), pk=pair_id)
    review_services.pair_skip(pair=pair, reviewer=request.user)
    return redirect(f"{reverse('matching:review')}?skipped={pair.pk}")


@login_required
def scoring_progress(request: SignedInRequest) -> JsonResponse:
    """What the progress bars poll while resumes are scored or re-scored."""
    progress = score_progress.scoring_progress()
    return JsonResponse(
        {
            "resumes_done": progress.resumes_done,
            "resumes_total": progress.resumes_total,
            "pairs_done": progress.pairs_done,
            "pairs_total": progress.pairs_total,
            "open_jobs": progress.open_jobs,
            "model": progress.model_version,
            "percent": progress.percent,
            "pending": progress.pending,
            "failed": progress.failures.count if progress.failures else 0,
            "last_error": progress.failures.last_error if progress.failures else "",
        }
    )


ANONYMIZE_CHOICES = {"on": True, "off": False, "default": None}


@login_required
@require_POST
def anonymize_toggle(request: SignedInRequest) -> HttpResponse:
    """The reviewer's own anonymized-view switch (top bar): on, off, or the site default."""
    choice = request.POST.get("anonymize", "")
    if choice not in ANONYMIZE_CHOICES:
        return HttpResponse("anonymize must be on, off or default.", status=400)
    privacy_services.reviewer_preference_set(user=request.user, anonymize=ANONYMIZE_CHOICES[choice])
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("matching:review")
    return redirect(target)
