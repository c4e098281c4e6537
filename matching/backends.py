"""Session and API-token logins that load what every page needs about the user at once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class ReviewerBackend(ModelBackend):
    """ModelBackend whose session user comes with its ReviewerPreference (or the
    knowledge that there is none), so deciding the anonymized view costs no query."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("reviewer_preference").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ReviewerTokenAuthentication(TokenAuthentication):
    """DRF token authentication whose user comes with its ReviewerPreference, as above."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user__reviewer_preference").get(key=key)
        except model.DoesNotExist as exc:
            raise AuthenticationFailed("Invalid token.") from exc
        if not token.user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        return token.user, token
