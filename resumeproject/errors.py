"""The base of every error a user can meet: a message fit to show, a stable code and the
HTTP status the API answers with (resumeproject.api.errors maps them, in one place).

Pure: each app's errors module subclasses it (matching.errors, training.errors).
"""

from __future__ import annotations


class UserError(Exception):
    """A problem a user caused and can fix, with a message fit to show to that user."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
