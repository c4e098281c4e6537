"""Blind rating: whose ratings a user may see (docs/reviewing.md), defined once."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)

from matching.models import Pair, Rating


def pairs_disagreeing(*, threshold: float | None = None) -> Q:
    """Filter for rated pairs whose human mean is far from the model score."""
    t = settings.DISAGREEMENT_THRESHOLD if threshold is None else threshold
    return Q(rating_count__gt=0) & (
        Q(rating_mean__gte=F("score") + t) | Q(rating_mean__lte=F("score") - t)
    )


def model_score_shown_when_rating(*, source: str, first: bool) -> bool | None:
    """Whether the reviewer saw the model's score when giving a rating: not on the queue's
    first rating of a pair under blind rating; yes in the admin and the API, which show
    it, and on the queue once the reviewer has rated. None where no person rated on a
    screen (imports, hiring history, feedback)."""
    if source not in (Rating.Source.QUEUE, Rating.Source.ADMIN, Rating.Source.API):
        return None
    return not (source == Rating.Source.QUEUE and first and settings.BLIND_RATING)


def sees_every_rating(*, user: User | AnonymousUser) -> bool:
    """Whether `user` may see every reviewer's ratings of every pair: BLIND_RATING is off,
    or they are a lead who settles conflicts or changes other reviewers' ratings, and so
    must see them. No query for a superuser; otherwise Django's two permission reads,
    cached on `user`."""
    if not settings.BLIND_RATING:
        return True
    return bool(user) and any(user.has_perm(perm) for perm in LEAD_PERMISSIONS)


# Permissions of a lead, whose work needs every reviewer's ratings in sight.
LEAD_PERMISSIONS = ("matching.settle_pair", "matching.change_others_rating")


def ratings_visible(*, user: User | AnonymousUser, pair: str = "pk") -> Exists | Value:
    """The blind-rating rule, defined once: whether the other reviewers' ratings of a pair
    (their scores, mean and the disagreement they show) may be shown to `user`. True when
    sees_every_rating, else only once `user` has rated the pair themselves, so nobody
    anchors on a colleague's judgment before giving their own. A boolean expression for
    querysets; `pair` names the pair's id in the query ("pk" on Pair, "pair" on Rating).

    The number of ratings stays visible: it says a pair was reviewed, not how. The rating
    screen keeps its own stricter reveal (the model's score too, leads included):
    review.views._screen."""
    if user is None or not user.is_authenticated:
        return Value(False)
    if sees_every_rating(user=user):
        return Value(True)
    return Exists(Rating.objects.filter(pair_id=OuterRef(pair), reviewer=user))


def pairs_for_viewer(pairs: QuerySet[Pair], *, user: User | AnonymousUser) -> QuerySet[Pair]:
    """Pairs annotated for the pages and API rows a user reads: `ratings_visible`
    (ratings_visible) and `disagrees` (pairs_disagreeing). In the same query: no query
    per row."""
    return pairs.annotate(
        ratings_visible=ratings_visible(user=user),
        disagrees=ExpressionWrapper(pairs_disagreeing(), output_field=BooleanField()),
    )


def ratings_for_viewer(*, user: User | AnonymousUser) -> QuerySet[Rating]:
    """The ratings `user` may read (the ratings list API): their own, and other reviewers'
    of the pairs ratings_visible allows."""
    ratings = Rating.objects.all()
    if user is None or not user.is_authenticated:
        return ratings.none()
    if sees_every_rating(user=user):
        return ratings
    return ratings.filter(Q(reviewer=user) | Q(ratings_visible(user=user, pair="pair")))
