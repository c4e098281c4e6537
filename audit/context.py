"""The request being served, so the audit log can name who acted when a service was not
given the user (an API view or admin action that calls training_run_cancel(run=...)).

A ContextVar rather than a thread-local: each request, thread or asyncio task sees only
its own. The request is kept, not its user: DRF authenticates a token inside the view and
sets request.user then, after this middleware ran.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def current_user():
    """The signed-in user of the request being served, or None."""
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


class AuditActorMiddleware:
    """Makes the request being served known to audit_record (see module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
