"""Writes about a user's own account: their API token."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from rest_framework.authtoken.models import Token


def token_create(*, user: AbstractBaseUser) -> Token:
    """The user's API token: the one they have, or a new one."""
    token, _ = Token.objects.get_or_create(user=user)
    return token


def token_revoke(*, user: AbstractBaseUser) -> bool:
    """Deletes the user's API token, so programs using it are refused from now on (401).
    True when there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted > 0


class RevokeTokenOnPasswordChange:
    """Listed in AUTH_PASSWORD_VALIDATORS for its `password_changed` hook, which Django
    calls after saving a new password (set_password then save: the admin's forms,
    `changepassword`, create_user), and not on a hash upgrade at login. A token is a
    second password: whoever knew the old one may have taken it, so it goes too. It
    validates nothing."""

    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        return None

    def password_changed(self, password: str, user: AbstractBaseUser | None = None) -> None:
        if user is not None and user.pk is not None:
            token_revoke(user=user)

    def get_help_text(self) -> str:
        return "Changing your password revokes your API token."
