"""Login lock-out (django-axes): which address a login comes from, and what a locked-out
client is told.

Every login path (the site's, the admin's and POST /api/v1/auth/token/) authenticates
through django.contrib.auth, where axes' backend refuses a locked-out address before the
password is checked and counts each failure (settings: AXES_*, TRUSTED_PROXY_COUNT).
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework.exceptions import Throttled
from rest_framework.throttling import BaseThrottle

from resumeproject.api.errors import error_body

LOCKED_OUT_CODE = "locked_out"


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as seen through TRUSTED_PROXY_COUNT proxies.

    DRF's rule, the one its throttles apply with NUM_PROXIES (set from the same setting),
    so the lock-out and the throttles count the same client: with no trusted proxy the
    connection's address, X-Forwarded-For ignored (any client can write it); with N, the
    address the Nth proxy from the end appended to it."""
    return BaseThrottle().get_ident(request)


def lockout_message(cool_off: timedelta | None) -> str:
    if cool_off is None:
        wait = "until an administrator unlocks it (admin, Access attempts)"
    else:
        minutes = max(1, math.ceil(cool_off.total_seconds() / 60))
        if minutes % 60 == 0:
            hours = minutes // 60
            wait = f"for {hours} hour{'s' if hours != 1 else ''}"
        else:
            wait = f"for {minutes} minute{'s' if minutes != 1 else ''}"
        wait += ", or until an administrator unlocks it"
    return (
        "Too many failed logins from your address: logins from it are refused, "
        f"even with the right password, {wait}."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the API's error body under /api/, the site's page elsewhere
    (the admin login included), both 429 with Retry-After."""
    cool_off = get_cool_off(request)
    message = lockout_message(cool_off)
    match = getattr(request, "resolver_match", None)
    if match is not None and "api" in match.namespaces:
        exc = Throttled(detail=message, code=LOCKED_OUT_CODE)
        exc.wait = cool_off.total_seconds() if cool_off else None
        response: HttpResponse = JsonResponse(error_body(exc, exc.status_code), status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    if cool_off:
        response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response
