"""Throttle scopes of the expensive endpoints; their rates are API_THROTTLE_RATES in settings.

A view sets `throttle_scope` (or a `throttle_scopes` map per method, when only its writes
are expensive) and `throttle_classes = [MethodScopedRateThrottle]`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.throttling import ScopedRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports the default throttles: no cycle at run time
    from rest_framework.request import Request
    from rest_framework.views import APIView

UPLOADS = "uploads"
SCORING = "scoring"
TRAINING = "training"
AUTH = "auth"


def scope_for(view: APIView, method: str) -> str | None:
    scopes = getattr(view, "throttle_scopes", None)
    if scopes is not None:
        return scopes.get(method.upper())
    return getattr(view, "throttle_scope", None)


class MethodScopedRateThrottle(ScopedRateThrottle):
    """ScopedRateThrottle whose scope may depend on the method (listing resumes is cheap,
    uploading them is not)."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        scope = scope_for(view, request.method)
        if not scope:
            return True
        self.scope = scope
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        # SimpleRateThrottle.allow_request, not ScopedRateThrottle's, which would read the
        # scope from the view's attribute again.
        return super(ScopedRateThrottle, self).allow_request(request, view)
