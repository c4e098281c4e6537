"""Shared permissions: reviewers, Django model permissions, and model managers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from resumeproject.api.permissions import MODEL_MANAGERS_GROUP, IsModelManager
from tests.factories import JobFactory, ResumeFactory

pytestmark = pytest.mark.django_db


class ManagersOnly(APIView):
    """A view guarded as queueing runs and activating models are."""

    permission_classes = [IsModelManager]

    def post(self, request):
        return Response({"ok": True})


def call_as(user) -> Response:
    request = APIRequestFactory().post("/managers-only/", {}, format="json")
    if user is not None:
        force_authenticate(request, user=user)
    return ManagersOnly.as_view()(request)


def test_the_model_managers_group_exists_after_migrating():
    assert Group.objects.filter(name=MODEL_MANAGERS_GROUP).exists()


def test_staff_are_model_managers(django_user_model):
    staff = django_user_model.objects.create_user(username="lead", is_staff=True)
    assert call_as(staff).status_code == 200


def test_members_of_the_group_are_model_managers(django_user_model):
    user = django_user_model.objects.create_user(username="ml")
    user.groups.add(Group.objects.get(name=MODEL_MANAGERS_GROUP))
    assert call_as(user).status_code == 200


def test_other_reviewers_are_not_model_managers(django_user_model):
    user = django_user_model.objects.create_user(username="reviewer2")
    user.groups.add(Group.objects.create(name="reviewers"))
    response = call_as(user)
    assert response.status_code == 403
    assert response.data["error"]["code"] == "permission_denied"
    assert MODEL_MANAGERS_GROUP in response.data["error"]["message"]


def test_an_inactive_staff_user_is_not_a_model_manager(django_user_model):
    staff = django_user_model.objects.create_user(username="gone", is_staff=True, is_active=False)
    assert call_as(staff).status_code == 403


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
