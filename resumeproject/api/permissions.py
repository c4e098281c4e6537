"""Who may call what.

- IsReviewer (the default): any signed-in, active user reads and rates.
- HasModelPerms: writes that the admin also guards (upload or delete resumes, create or
  change jobs) need the same Django model permissions there.
- IsModelManager: training and model activation: staff, or members of the
  "model managers" group (the training app's migration 0003 creates it).
- IsModelManagerOrReadOnly: any reviewer reads (GET, HEAD); only model managers write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import SAFE_METHODS, BasePermission

if TYPE_CHECKING:  # rest_framework.views imports the default permissions: no cycle at run time
    from rest_framework.request import Request
    from rest_framework.views import APIView

MODEL_MANAGERS_GROUP = "model managers"


def _signed_in(request: Request) -> bool:
    user = request.user
    return bool(user and user.is_authenticated and user.is_active)


class IsReviewer(BasePermission):
    """A signed-in, active user: reads everything and rates pairs."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return _signed_in(request)


class IsModelManager(BasePermission):
    """Staff, or a member of the "model managers" group: trains and activates models."""

    message = f'Only staff or members of the "{MODEL_MANAGERS_GROUP}" group may do this.'

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not _signed_in(request):
            return False
        user = request.user
        return user.is_staff or user.groups.filter(name=MODEL_MANAGERS_GROUP).exists()


class IsModelManagerOrReadOnly(IsModelManager):
    """Reads for every reviewer (runs, models, the suggestion); writes (queue a run,
    activate a model) for model managers only."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return _signed_in(request)
        return super().has_permission(request, view)


class HasModelPerms(BasePermission):
    """The Django permissions a view lists for the request's method, e.g.

    required_perms = {"POST": ["matching.add_resume"], "DELETE": ["matching.delete_resume"]}

    Methods not listed need none beyond the other permission classes.
    """

    message = "You do not have permission to do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        perms = getattr(view, "required_perms", {}).get(request.method, [])
        return _signed_in(request) and request.user.has_perms(perms)
