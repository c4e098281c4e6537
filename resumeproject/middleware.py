"""A database that drops out while the site serves answers 503, and the next request
reconnects.

PostgreSQL restarts, fails over, or ends a backend (pg_terminate_backend, an idle
timeout); SQLite stays locked by a long write. The query that meets it raises
OperationalError or InterfaceError. Without this, Django answers a 500 that says "server
error" and, with persistent connections (CONN_MAX_AGE), the broken connection may serve
the next query too. With it:

- the answer is 503 with Retry-After: a small HTML page (templates/503.html), or the API's
  one error body (resumeproject/api/errors.py) under /api/;
- every connection the request used that no longer works is closed, so the next request
  opens a new one;
- the outage is logged once per request at ERROR, without a traceback for each.

It is the outermost middleware. Errors raised by a view reach process_exception; errors
raised by another middleware (a session saved after the view) have already been turned
into a 500 by Django's handler when they come back here, so got_request_exception marks
the request and __call__ swaps that 500 for the 503.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger("resumeproject.database")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_S = 30
MESSAGE = (
    "The database is not reachable at the moment; nothing was changed by this request. "
    "Try again in a few seconds."
)
API_PREFIX = "/api/"
_MARK = "_database_unavailable"


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 in the form the client reads: the API's error body, or the small HTML page.

    Rendered without the request: context processors would read request.user, which
    needs the database."""
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse(
            {
                "error": {
                    "status": 503,
                    "code": "database_unavailable",
                    "message": MESSAGE,
                    "fields": {},
                }
            },
            status=503,
        )
    else:
        html = loader.get_template("503.html").render({"message": MESSAGE})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


def close_broken_connections() -> None:
    """Close each connection that had an error and no longer answers.

    A connection inside an atomic block is left alone: closing it would break the block's
    owner (a test's transaction); it is closed when that block ends."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is None or conn.in_atomic_block:
            continue
        if conn.errors_occurred and not conn.is_usable():
            conn.close()


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        exc = getattr(request, _MARK, None)
        if exc is not None and response.status_code == 500:
            return self._unavailable(request, exc)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request: HttpRequest, exc: BaseException) -> HttpResponse:
        logger.error(
            "Database unavailable while serving %s %s: %s: %s",
            request.method,
            request.path,
            exc.__class__.__name__,
            str(exc).strip().splitlines()[0] if str(exc).strip() else "",
        )
        close_broken_connections()
        return database_unavailable_response(request)


def _mark_database_error(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """Sent by Django's handler for an exception it turns into a 500, inside its except
    block: sys.exc_info() is that exception."""
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DATABASE_ERRORS):
        setattr(request, _MARK, exc)


got_request_exception.connect(_mark_database_error, dispatch_uid="database_unavailable_mark")
