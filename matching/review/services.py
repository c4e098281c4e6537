"""Reviewer workflow writes besides ratings: skipping a pair, a lead settling a conflict."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from matching.errors import SettleRefused
from matching.models import Pair, ReviewSkip
from matching.review.ratings import pair_target


def pair_skip(*, pair: Pair, reviewer: User, minutes: int | None = None) -> ReviewSkip:
    """Put a pair aside for a reviewer; the queue serves it again after `minutes`
    (REVIEW_SKIP_MINUTES), or sooner when nothing else is waiting."""
    now = timezone.now()
    minutes = settings.REVIEW_SKIP_MINUTES if minutes is None else minutes
    with transaction.atomic():
        # The reviewer's expired skips are housekeeping: they no longer change the order.
        ReviewSkip.objects.filter(reviewer=reviewer, until__lte=now).delete()
        skip, _ = ReviewSkip.objects.update_or_create(
            pair=pair,
            reviewer=reviewer,
            defaults={"until": now + timedelta(minutes=minutes)},
        )
    return skip


def pair_settle(*, pair: Pair, score: float, settled_by: User) -> Pair:
    """A lead's final score for a pair whose reviewers disagree; training uses it instead
    of the reviewers' mean. Settling again replaces the earlier decision."""
    if not 0.0 <= score <= 1.0:
        raise SettleRefused("A settled score is between 0 and 1.")
    with transaction.atomic():
        Pair.objects.filter(pk=pair.pk).update(
            settled_score=score, settled_by=settled_by, settled_at=timezone.now()
        )
        audit_record(
            actor=settled_by,
            action="settled",
            target=pair_target(pair),
            details={"score": score},
        )
    pair.refresh_from_db(fields=["settled_score", "settled_by", "settled_at"])
    return pair


def pair_unsettle(*, pair: Pair) -> Pair:
    """Back to the reviewers' mean (a settled score given by mistake)."""
    Pair.objects.filter(pk=pair.pk).update(settled_score=None, settled_by=None, settled_at=None)
    pair.refresh_from_db(fields=["settled_score", "settled_by", "settled_at"])
    return pair
