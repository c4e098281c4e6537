"""Ratings: a reviewer's one rating of a pair, other labels, changes and deletions, each
audited, and the pair's rating statistics kept in step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Avg, Count, Max, Min

from audit.services import Target, audit_record
from matching.errors import RatingRefused
from matching.models import REVIEWER_SOURCES, Job, Pair, Rating, Resume, ReviewSkip, ScoringModel
from matching.review import visibility as review_visibility


def pair_get_or_create(*, resume: Resume, job: Job) -> Pair:
    pair, _ = Pair.objects.get_or_create(resume=resume, job=job)
    return pair


def rating_create(
    *,
    pair: Pair,
    score: float,
    reviewer: User | None = None,
    note: str = "",
    source: str = Rating.Source.ADMIN,
) -> Rating:
    """A label for a pair. A reviewer's rating from the product's own screens or API
    (REVIEWER_SOURCES) is their one rating of the pair (rating_submit); other sources
    (imports, hiring history, feedback, a rating with no reviewer) add a row each time."""
    if reviewer is not None and source in REVIEWER_SOURCES:
        return rating_submit(
            pair=pair, reviewer=reviewer, score=score, note=note, source=source
        ).rating
    _check_score(score)
    with transaction.atomic():
        # Locks the pair as rating_submit does: two ratings of one pair at once are counted
        # one after the other, so neither's statistics overwrite the other's.
        Pair.objects.select_for_update().filter(pk=pair.pk).values_list("pk").first()
        rating = Rating.objects.create(
            pair=pair,
            score=score,
            reviewer=reviewer,
            note=note,
            source=source,
            predicted_score=pair.score,
        )
        pair_refresh_rating_stats(pair=pair)
        _audit_rating(rating=rating, actor=reviewer, created=True)
    return rating


def pair_target(pair: Pair) -> Target:
    """A pair in the audit log: ids only, never the resume's name or text."""
    return Target.of(pair, label=f"pair #{pair.pk} (resume #{pair.resume_id}, job #{pair.job_id})")


def _audit_rating(*, rating: Rating, actor: User | None, created: bool) -> None:
    """The rating with what the reviewer was shown beside it: the model version and score
    of the pair at that moment, and whether blind rating hid the score (EU AI Act Art. 12:
    the log shows whether people followed the tool or judged on their own)."""
    pair = rating.pair
    model = (
        ScoringModel.objects.filter(pk=pair.scoring_model_id)
        .values_list("version", flat=True)
        .first()
        if pair.scoring_model_id
        else None
    )
    audit_record(
        actor=actor,
        action="rated",
        target=pair_target(pair),
        details={
            "rating": rating.pk,
            "score": rating.score,
            "source": rating.source,
            "created": created,
            "model_version": model,
            "model_score": rating.predicted_score,
            "model_score_shown": review_visibility.model_score_shown_when_rating(
                source=rating.source, first=created
            ),
        },
    )


def _check_score(score: float) -> None:
    if not 0.0 <= score <= 1.0:
        raise ValueError("A rating is a score between 0 and 1.")


def _check_changeable(rating: Rating, actor: User) -> None:
    if not rating.changeable_by(actor):
        raise RatingRefused(
            "Only the reviewer who gave a rating, or a lead with the permission "
            '"Can change other reviewers\' ratings", may change or delete it.'
        )


def _rating_state(rating: Rating) -> dict:
    """What the audit log keeps of a rating before and after a change."""
    return {"score": rating.score, "note": rating.note, "source": rating.source}


def rating_update(*, rating: Rating, actor: User, score: float, note: str) -> Rating:
    """A change to an existing rating (the admin's change form): the reviewer's own, or
    another's by a lead. It stays credited to its reviewer; the audit log records who
    changed it, with the rating before and after."""
    _check_changeable(rating, actor)
    _check_score(score)
    with transaction.atomic():
        Pair.objects.select_for_update().filter(pk=rating.pair_id).values_list("pk").first()
        # Read again under the lock: the caller's object may already hold the new values.
        current = Rating.objects.select_related("pair").get(pk=rating.pk)
        before = _rating_state(current)
        current.score, current.note = score, note
        current.save(update_fields=["score", "note", "updated_at"])
        pair_refresh_rating_stats(pair=current.pair)
        audit_record(
            actor=actor,
            action="rating_changed",
            target=pair_target(current.pair),
            details={
                "rating": current.pk,
                "reviewer": current.reviewer_id,
                "before": before,
                "after": _rating_state(current),
            },
        )
    return current


def ratings_delete(*, ratings: Iterable[Rating], actor: User) -> int:
    """Delete ratings (one, or the admin's bulk action): each must be changeable by the
    actor, each is audited with what it was, and every pair touched gets its count, mean
    and spread from the ratings left, so no pair counts a rating that is gone."""
    ratings = list(ratings)
    for rating in ratings:
        _check_changeable(rating, actor)
    pair_ids = sorted({r.pair_id for r in ratings})
    with transaction.atomic():
        # Locked in id order, as every writer takes one pair at a time: no deadlock.
        list(Pair.objects.select_for_update().filter(pk__in=pair_ids).order_by("pk").values("pk"))
        rows = list(Rating.objects.select_related("pair").filter(pk__in=[r.pk for r in ratings]))
        for row in rows:
            audit_record(
                actor=actor,
                action="rating_deleted",
                target=pair_target(row.pair),
                details={
                    "rating": row.pk,
                    "reviewer": row.reviewer_id,
                    "before": _rating_state(row),
                },
            )
        Rating.objects.filter(pk__in=[r.pk for r in rows]).delete()
        for pair in Pair.objects.filter(pk__in=pair_ids).only("pk"):
            pair_refresh_rating_stats(pair=pair)
    return len(rows)


def pair_refresh_rating_stats(*, pair: Pair) -> None:
    """Count, mean and spread of the pair's ratings, read under the pair's row lock: a
    rating written by another transaction meanwhile is counted by whichever refresh comes
    second (each statement reads what committed before it). Writers that insert a rating
    take the lock before the insert (rating_create, rating_submit): the insert's foreign
    key check would otherwise hold a share lock that two of them then wait on."""
    with transaction.atomic():
        Pair.objects.select_for_update().filter(pk=pair.pk).values_list("pk").first()
        stats = Rating.objects.filter(pair=pair).aggregate(
            n=Count("id"), mean=Avg("score"), low=Min("score"), high=Max("score")
        )
        spread = None if stats["n"] == 0 else stats["high"] - stats["low"]
        Pair.objects.filter(pk=pair.pk).update(
            rating_count=stats["n"], rating_mean=stats["mean"], rating_spread=spread
        )


@dataclass
class SubmittedRating:
    rating: Rating
    created: bool  # False: the reviewer's earlier rating of the pair was updated


def rating_submit(
    *,
    pair: Pair,
    reviewer: User,
    score: float,
    note: str = "",
    source: str = Rating.Source.QUEUE,
) -> SubmittedRating:
    """A reviewer's rating of a pair: created the first time, updated in place after.

    Rating a pair twice (the queue, the back button, the admin) changes the reviewer's one
    rating, so a reviewer never counts twice in the mean, the ratings wanted per pair or the
    agreement between reviewers. The model's score is recorded as it is at this moment.
    """
    _check_score(score)
    with transaction.atomic():
        # Locks the pair: two submits of one reviewer (a double click) are applied one
        # after the other, so the second finds and updates the first.
        locked = Pair.objects.select_for_update().only("pk", "score").get(pk=pair.pk)
        rating = (
            Rating.objects.filter(pair=pair, reviewer=reviewer, source__in=REVIEWER_SOURCES)
            .order_by("-created_at", "-pk")
            .first()
        )
        created = rating is None
        if rating is None:
            rating = Rating.objects.create(
                pair=pair,
                score=score,
                reviewer=reviewer,
                note=note,
                source=source,
                predicted_score=locked.score,
            )
        else:
            rating.score, rating.note, rating.source = score, note, source
            rating.predicted_score = locked.score
            rating.save(update_fields=["score", "note", "source", "predicted_score", "updated_at"])
        ReviewSkip.objects.filter(pair=pair, reviewer=reviewer).delete()
        pair_refresh_rating_stats(pair=pair)
        _audit_rating(rating=rating, actor=reviewer, created=created)
    return SubmittedRating(rating=rating, created=created)
