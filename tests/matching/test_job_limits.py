"""A job's description and requirements are held to the limit of a resume's text
(EXTRACTION_MAX_CHARS), with a message naming the field, in the service, the admin form
and the API; nothing is saved when one is too long."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matching.intake import jobs as intake_jobs
from matching.models import Job
from tests.api.helpers import assert_error, token_client
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db

LIMIT = 1000
LABELS = {
    "description": "description",
    "must_have": "must-have requirements",
    "nice_to_have": "nice-to-have requirements",
}


@pytest.fixture(autouse=True)
def _small_limit(settings):
    """A small limit so the texts stay small; the rule reads the setting when it runs."""
    settings.EXTRACTION_MAX_CHARS = LIMIT


@pytest.fixture
def api(reviewer):
    return token_client(reviewer)


def _job(**overrides) -> dict:
    return {"title": "Data engineer", "description": "Spark and Airflow.", **overrides}


@pytest.mark.parametrize("field", list(LABELS))
def test_the_service_refuses_a_job_text_past_the_resume_text_limit_naming_the_field(field):
    with pytest.raises(ValidationError) as caught:
        intake_jobs.job_create(**_job(**{field: "x" * (LIMIT + 1)}))
    assert list(caught.value.message_dict) == [field]
    message = caught.value.message_dict[field][0]
    assert f"The {LABELS[field]} is 1,001 characters long" in message
    assert "limit of 1,000" in message
    assert not Job.objects.exists()


def test_a_job_text_at_the_limit_is_accepted():
    job = intake_jobs.job_create(**_job(description="x" * LIMIT, must_have="y" * LIMIT))
    assert len(job.description) == LIMIT


def test_the_service_refuses_an_update_past_the_limit_and_keeps_the_job_as_it_was():
    job = JobFactory(description="Short.")
    with pytest.raises(ValidationError):
        intake_jobs.job_update(job=job, description="x" * (LIMIT + 1))
    job.refresh_from_db()
    assert job.description == "Short."


@pytest.mark.parametrize("field", list(LABELS))
def test_the_api_answers_400_naming_the_field_that_is_too_long(api, field):
    response = api.post("/api/v1/jobs/", _job(**{field: "x" * (LIMIT + 1)}), format="json")
    error = assert_error(response, 400, "invalid", fields=[field])
    assert f"The {LABELS[field]} is 1,001 characters long" in error["message"]
    assert not Job.objects.exists()


def test_the_api_refuses_a_patch_past_the_limit(api):
    job = JobFactory(description="Short.")
    response = api.patch(f"/api/v1/jobs/{job.pk}/", {"description": "x" * 2_000_000}, format="json")
    assert_error(response, 400, "invalid", fields=["description"])
    job.refresh_from_db()
    assert job.description == "Short."


@pytest.mark.parametrize("field", list(LABELS))
def test_the_admin_form_shows_the_limit_next_to_the_field(client, reviewer, field):
    client.force_login(reviewer)
    data = {**_job(**{field: "x" * (LIMIT + 1)}), "is_open": "on"}
    response = client.post(reverse("admin:matching_job_add"), data)
    assert response.status_code == 200  # the form again, not a redirect
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert f"The {LABELS[field]} is 1,001 characters long" in errors[field][0]
    assert not Job.objects.exists()
