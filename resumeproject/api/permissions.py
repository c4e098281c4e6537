"""Who may call what.

- IsReviewer (the default): any signed-in, active user reads and rates.
- HasModelPerms: writes that the admin also guards (upload or delete resumes, create or
  change jobs) need the same Django model permissions there.
- HasAccess: training runs and model versions, read and write, through the named checks
  of resumeproject.access that the admin asks too (the "model managers" group has them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission

from resumeproject.access import MODEL_MANAGERS_GROUP, Check

if TYPE_CHECKING:  # rest_framework.views imports the default permissions: no cycle at run time
    from rest_framework.request import Request
    from rest_framework.views import APIView

__all__ = ["MODEL_MANAGERS_GROUP", "HasAccess", "HasModelPerms", "IsReviewer"]


def _signed_in(request: Request) -> bool:
    user = request.user
    return bool(user and user.is_authenticated and user.is_active)


class IsReviewer(BasePermission):
    """A signed-in, active user: reads everything and rates pairs."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return _signed_in(request)


class HasAccess(BasePermission):
    """The resumeproject.access check a view lists for the request's method, e.g.

    access_checks = {"GET": access.can_view_runs, "POST": access.can_train}

    HEAD and OPTIONS ask the GET check; a method not listed is refused. The refusal names
    the permission needed.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not _signed_in(request):
            return False
        checks: dict[str, Check] = view.access_checks  # type: ignore[attr-defined]
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        check = checks.get(method)
        if check is None:
            return False
        if not check(request.user):
            self.message = check.refusal
            return False
        return True


class HasModelPerms(BasePermission):
    """The Django permissions a view lists for the request's method, e.g.

    required_perms = {"POST": ["matching.add_resume"], "DELETE": ["matching.delete_resume"]}

    Methods not listed need none beyond the other permission classes.
    """

    message = "You do not have permission to do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        perms = getattr(view, "required_perms", {}).get(request.method, [])
        return _signed_in(request) and request.user.has_perms(perms)
