"""Shared permissions: reviewers, Django model permissions, and model managers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from resumeproject import access
from resumeproject.api.permissions import MODEL_MANAGERS_GROUP, HasAccess
from tests.factories import JobFactory, ResumeFactory

pytestmark = pytest.mark.django_db


class ManagersOnly(APIView):
    """A view guarded as activating models is."""

    permission_classes = [HasAccess]
    access_checks = {"POST": access.can_activate_model}

    def post(self, request):
        return Response({"ok": True})

    def put(self, request):  # listed in no check: refused to everyone
        return Response({"ok": True})


def call_as(user, method: str = "post") -> Response:
    request = getattr(APIRequestFactory(), method)("/managers-only/", {}, format="json")
    if user is not None:
        force_authenticate(request, user=user)
    return ManagersOnly.as_view()(request)


def test_the_model_managers_group_exists_after_migrating():
    assert Group.objects.filter(name=MODEL_MANAGERS_GROUP).exists()


def test_staff_status_alone_does_not_make_a_model_manager(django_user_model):
    """Every reviewer who rates in the admin is staff: that must not let them activate."""
    staff = django_user_model.objects.create_user(username="lead", is_staff=True)
    assert call_as(staff).status_code == 403


def test_members_of_the_group_are_model_managers(django_user_model):
    user = django_user_model.objects.create_user(username="ml")
    user.groups.add(Group.objects.get(name=MODEL_MANAGERS_GROUP))
    assert call_as(user).status_code == 200


def test_the_group_holds_every_permission_the_checks_ask_for():
    group_perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=MODEL_MANAGERS_GROUP).permissions.all()
    }
    checks = [
        access.can_view_runs,
        access.can_train,
        access.can_cancel_run,
        access.can_view_models,
        access.can_activate_model,
    ]
    assert all(check.perms[0] in group_perms for check in checks)


def test_other_reviewers_are_refused_with_the_permission_and_the_group_named(
    django_user_model,
):
    user = django_user_model.objects.create_user(username="reviewer2")
    user.groups.add(Group.objects.create(name="reviewers"))
    response = call_as(user)
    assert response.status_code == 403
    assert response.data["error"]["code"] == "permission_denied"
    assert MODEL_MANAGERS_GROUP in response.data["error"]["message"]
    assert "matching.change_scoringmodel" in response.data["error"]["message"]


def test_an_inactive_member_of_the_group_is_not_a_model_manager(django_user_model):
    user = django_user_model.objects.create_user(username="gone", is_active=False)
    user.groups.add(Group.objects.get(name=MODEL_MANAGERS_GROUP))
    assert call_as(user).status_code == 403


def test_a_method_no_check_lists_is_refused_even_to_a_superuser(django_user_model):
    root = django_user_model.objects.create_superuser(username="root", password="pw-root-2026")
    assert call_as(root, "put").status_code == 403


def test_anonymous_is_not_a_model_manager():
    response = call_as(None)
    assert response.status_code == 401
    assert response.data["error"]["code"] == "not_authenticated"


def test_a_member_without_permissions_reads_and_rates_but_does_not_write(member_api):
    job, resume = JobFactory(), ResumeFactory()
    reads = [
        member_api.get("/api/v1/resumes/"),
        member_api.get(f"/api/v1/resumes/{resume.pk}/"),
        member_api.get(f"/api/v1/resumes/{resume.pk}/best-jobs/"),
        member_api.get("/api/v1/jobs/"),
        member_api.get(f"/api/v1/jobs/{job.pk}/"),
        member_api.get(f"/api/v1/jobs/{job.pk}/ranking/"),
        member_api.get("/api/v1/ratings/"),
    ]
    assert [r.status_code for r in reads] == [200] * len(reads)
    rated = member_api.post(
        "/api/v1/ratings/", {"resume": resume.pk, "job": job.pk, "stars": 4}, format="json"
    )
    assert rated.status_code == 201
    writes = [
        member_api.post("/api/v1/jobs/", {"title": "t", "description": "d"}, format="json"),
        member_api.patch(f"/api/v1/jobs/{job.pk}/", {"title": "t"}, format="json"),
        member_api.post(f"/api/v1/jobs/{job.pk}/close/"),
        member_api.delete(f"/api/v1/resumes/{resume.pk}/"),
    ]
    assert [r.status_code for r in writes] == [403] * len(writes)
