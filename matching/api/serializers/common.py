"""What several serializers share: whether the caller reads resumes anonymized."""

from __future__ import annotations

from rest_framework import serializers

from matching.privacy import selectors as privacy_selectors


def anonymized_for(request) -> bool:
    """?anonymize=true|false, else the caller's preference (reviewer_anonymizes)."""
    raw = request.query_params.get("anonymize", "") if request is not None else ""
    if raw == "":
        return privacy_selectors.reviewer_anonymizes(user=getattr(request, "user", None))
    try:
        return serializers.BooleanField().to_internal_value(raw)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({"anonymize": ["Must be true or false."]}) from exc
