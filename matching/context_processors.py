"""What every page's template knows about its reviewer."""

from __future__ import annotations

from django.http import HttpRequest

from matching.privacy import selectors as privacy_selectors


def anonymized_view(request: HttpRequest) -> dict:
    """`anonymized_view`: whether this reviewer sees resumes masked (the top-bar toggle)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"anonymized_view": privacy_selectors.reviewer_anonymizes(user=user)}
