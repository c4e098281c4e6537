"""Reads about a user's own account."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from rest_framework.authtoken.models import Token


def token_of(*, user: AbstractBaseUser) -> Token | None:
    """The user's API token, or None when they have none (never made, or revoked)."""
    return Token.objects.filter(user=user).first()
