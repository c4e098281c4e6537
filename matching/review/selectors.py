"""Reviewer workflow reads: the labeling queue, conflicts, a reviewer's own rating and the
others' (docs/reviewing.md)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import MD5, Cast
from django.utils import timezone

from matching import bands
from matching.models import Pair, Rating, Resume, ReviewSkip


def conflicting() -> Q:
    """Filter for pairs whose highest and lowest ratings are a band or more apart (the
    tolerance keeps 0.4 and 0.7, typed in the admin, a conflict despite float error)."""
    return Q(rating_count__gte=2, rating_spread__gte=bands.CONFLICT_MIN_SPREAD)


def pairs_conflicting() -> QuerySet[Pair]:
    return Pair.objects.filter(conflicting())


def review_queue(*, reviewer: User, now: datetime | None = None) -> QuerySet[Pair]:
    """The pairs a reviewer should rate, best first; `.first()` is the next one.

    Which pairs: scored pairs of open jobs and readable resumes (and the unscored pairs of
    candidates who asked for people-only review), not rated by this
    reviewer, not settled by a lead, with fewer ratings than REVIEWS_WANTED_PER_PAIR;
    a pair whose reviewers disagree by a band or more gets one rating more, a tie-breaker
    before a lead settles it.

    In what order:
      1. pairs the reviewer skipped go last until their skip runs out;
      2. unrated pairs first;
      3. then pairs whose reviewers disagree (a band or more apart);
      4. the job with the fewest ratings so far first, so work spreads across open jobs
         (each rating moves its job back: round-robin in effect);
      5. pairs of candidates who asked for people-only review (no score) first;
      6. then a draw fixed per pair (a hash of its id), not the score nearest 0.5: on
         gulp-dev, labels asked for in uncertainty order trained worse heads than random
         order (bench/active_learning.py, docs/reviewing.md);
      7. then by id, so the order is stable.

    Two queries whatever the number of pairs: the ratings per open job (a few rows), then
    one filtered, ordered query over pairs with no per-row Python.
    """
    now = now or timezone.now()
    wanted = settings.REVIEWS_WANTED_PER_PAIR
    per_job = dict(
        Pair.objects.filter(job__is_open=True, rating_count__gt=0)
        .order_by()
        .values("job")
        .annotate(n=Sum("rating_count"))
        .values_list("job", "n")
    )
    coverage = (
        Case(*(When(job_id=job_id, then=Value(n)) for job_id, n in per_job.items()), default=0)
        if per_job
        else Value(0)
    )
    mine = Rating.objects.filter(pair=OuterRef("pk"), reviewer=reviewer)
    skipped = ReviewSkip.objects.filter(pair=OuterRef("pk"), reviewer=reviewer, until__gt=now)
    conflict = conflicting()
    return (
        Pair.objects.filter(
            Q(score__isnull=False) | Q(resume__alternative_process_at__isnull=False),
            job__is_open=True,
            resume__status=Resume.Status.EXTRACTED,
            settled_score__isnull=True,
        )
        .filter(Q(rating_count__lt=wanted) | (conflict & Q(rating_count__lt=wanted + 1)))
        .filter(~Exists(mine))
        .annotate(
            skipped=Exists(skipped),
            rated_by_others=Case(When(rating_count=0, then=0), default=1),
            agreed=Case(When(conflict, then=0), default=1),
            job_ratings=coverage,
            scored=Case(When(score__isnull=True, then=0), default=1),
            draw=MD5(Cast("pk", output_field=CharField())),
        )
        .order_by("skipped", "rated_by_others", "agreed", "job_ratings", "scored", "draw", "pk")
    )


def reviewer_rating(*, pair: Pair, reviewer: User) -> Rating | None:
    """The reviewer's own rating of a pair (the one rating_submit keeps up to date)."""
    return (
        Rating.objects.filter(pair=pair, reviewer=reviewer).order_by("-created_at", "-pk").first()
    )


def pair_other_ratings(*, pair: Pair, reviewer: User) -> list[Rating]:
    """Everyone else's ratings of a pair: shown only after the reviewer has rated it
    when BLIND_RATING is on."""
    return list(
        Rating.objects.filter(pair=pair)
        .exclude(reviewer=reviewer)
        .select_related("reviewer")
        .order_by("created_at", "pk")
    )
