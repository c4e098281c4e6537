"""Writes of the anonymized view: a reviewer's own choice (docs/reviewing.md)."""

from __future__ import annotations

from django.contrib.auth.models import User

from matching.models import ReviewerPreference


def reviewer_preference_set(*, user: User, anonymize: bool | None) -> ReviewerPreference:
    """Record whether `user` sees resumes anonymized; None follows ANONYMIZE_REVIEWS."""
    preference, _ = ReviewerPreference.objects.update_or_create(
        user=user, defaults={"anonymize": anonymize}
    )
    # The user object in hand answers privacy.selectors.reviewer_anonymizes with the new choice.
    user.reviewer_preference = preference
    return preference
