"""Pausing and resuming automated scoring from the job list (a lead's buttons): thin views
over matching.scoring.oversight, refused with the permission's name to anyone else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from matching.scoring import oversight
from resumeproject import access


def _check(request: HttpRequest) -> None:
    if not access.can_pause_scoring(request.user):
        raise PermissionDenied(access.can_pause_scoring.refusal)


@login_required
@require_POST
def scoring_pause(request: HttpRequest) -> HttpResponse:
    _check(request)
    oversight.scoring_pause(actor=request.user, reason=request.POST.get("reason", ""))
    messages.warning(request, "Automated scoring is paused.")
    return redirect("matching:job_list")


@login_required
@require_POST
def scoring_resume(request: HttpRequest) -> HttpResponse:
    _check(request)
    queued = oversight.scoring_resume(actor=request.user)
    messages.success(request, f"Automated scoring resumed; {queued} resumes queued for scoring.")
    return redirect("matching:job_list")
