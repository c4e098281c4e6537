"""The user's own API token: see it, create it, revoke it (/accounts/token/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from resumeproject.accounts import selectors, services


@login_required
@require_http_methods(["GET", "POST"])
def token_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            services.token_create(user=request.user)
            messages.success(request, "Your API token was created.")
        elif action == "revoke":
            if services.token_revoke(user=request.user):
                messages.success(
                    request, "Your API token was revoked: programs using it are refused now."
                )
        else:
            return HttpResponseBadRequest("action must be create or revoke.")
        # Redirect after POST: reloading the page must not create or revoke again.
        return redirect("token")
    token = selectors.token_of(user=request.user)
    return render(request, "registration/token.html", {"token": token})
