"""Jobs: create, list, retrieve, update, close."""

from __future__ import annotations

import pytest

from matching.intake import jobs as intake_jobs
from matching.intake import resumes as intake_resumes
from matching.models import Job, Pair
from tests.api.helpers import assert_error, grant
from tests.conftest import PYTHON_RESUME
from tests.factories import JobFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/jobs/"
JOB = {
    "title": "Senior Python Developer",
    "description": "Python, Django and PostgreSQL for our payment APIs.",
    "must_have": "Python\nDjango",
    "nice_to_have": "Kubernetes",
}


def test_creating_a_job_answers_201_and_scores_the_resumes(api):
    resume = intake_resumes.resume_create(name="jane.txt", data=PYTHON_RESUME.encode()).resume
    response = api.post(URL, JOB, format="json")
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in JOB} == JOB
    assert body["is_open"] is True
    job = Job.objects.get(pk=body["id"])
    assert Pair.objects.get(job=job, resume=resume).score is not None


def test_a_job_needs_a_title_and_a_description(api):
    response = api.post(URL, {"must_have": "Python"}, format="json")
    assert_error(response, 400, "invalid", fields=["title", "description"])
    assert not Job.objects.exists()


def test_a_title_over_200_characters_is_refused(api):
    response = api.post(URL, {**JOB, "title": "x" * 201}, format="json")
    error = assert_error(response, 400, "invalid", fields=["title"])
    assert error["message"].startswith("title: Ensure this field has no more than 200")


def test_a_member_reads_jobs_but_needs_the_add_permission_to_create_one(member_api, member):
    JobFactory()
    assert member_api.get(URL).status_code == 200
    assert_error(member_api.post(URL, JOB, format="json"), 403, "permission_denied")
    grant(member, "add_job")
    assert member_api.post(URL, JOB, format="json").status_code == 201


def test_list_filters_by_open_and_title_and_orders(api):
    JobFactory(title="Nurse, intensive care")
    JobFactory(title="Backend developer")
    JobFactory(title="Frontend developer", is_open=False)

    def titles(**params) -> list[str]:
        response = api.get(URL, params)
        assert response.status_code == 200, response.content
        return [j["title"] for j in response.json()["results"]]

    assert titles(is_open="false") == ["Frontend developer"]
    assert titles(is_open="true", ordering="title") == [
        "Backend developer",
        "Nurse, intensive care",
    ]
    assert titles(title="DEVELOPER", ordering="-title") == [
        "Frontend developer",
        "Backend developer",
    ]
    assert titles() == ["Frontend developer", "Backend developer", "Nurse, intensive care"]


def test_an_invalid_is_open_filter_names_the_field(api):
    assert_error(api.get(URL, {"is_open": "perhaps"}), 400, "invalid", fields=["is_open"])


def test_retrieve_a_job_and_404_for_a_missing_one(api):
    job = JobFactory(title="Data engineer")
    assert api.get(f"{URL}{job.pk}/").json()["title"] == "Data engineer"
    assert_error(api.get(f"{URL}{job.pk + 1000}/"), 404, "not_found")


def test_patch_changes_the_given_fields_and_rescores(api):
    resume = intake_resumes.resume_create(name="jane.txt", data=PYTHON_RESUME.encode()).resume
    job = intake_jobs.job_create(**JOB)
    before = Pair.objects.get(job=job, resume=resume).score
    response = api.patch(
        f"{URL}{job.pk}/", {"description": "Registered nurse for intensive care."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["title"] == JOB["title"]
    job.refresh_from_db()
    assert job.description == "Registered nurse for intensive care."
    assert Pair.objects.get(job=job, resume=resume).score != before


def test_put_needs_the_required_fields(api):
    job = JobFactory()
    response = api.put(f"{URL}{job.pk}/", {"title": "Only a title"}, format="json")
    assert_error(response, 400, "invalid", fields=["description"])
    replaced = api.put(f"{URL}{job.pk}/", {**JOB, "title": "Replaced"}, format="json")
    assert replaced.status_code == 200
    assert Job.objects.get(pk=job.pk).title == "Replaced"


def test_a_member_needs_the_change_permission_to_update(member_api, member):
    job = JobFactory(title="Kept")
    response = member_api.patch(f"{URL}{job.pk}/", {"title": "Changed"}, format="json")
    assert_error(response, 403, "permission_denied")
    assert Job.objects.get(pk=job.pk).title == "Kept"
    grant(member, "change_job")
    assert (
        member_api.patch(f"{URL}{job.pk}/", {"title": "Changed"}, format="json").status_code == 200
    )


def test_close_sets_is_open_false_and_can_be_repeated(api):
    job = JobFactory()
    response = api.post(f"{URL}{job.pk}/close/")
    assert response.status_code == 200
    assert response.json()["is_open"] is False
    assert Job.objects.get(pk=job.pk).is_open is False
    assert api.post(f"{URL}{job.pk}/close/").json()["is_open"] is False


def test_closing_a_missing_job_is_404_and_a_member_may_not_close(api, member_api):
    assert_error(api.post(f"{URL}987654/close/"), 404, "not_found")
    job = JobFactory()
    assert_error(member_api.post(f"{URL}{job.pk}/close/"), 403, "permission_denied")
    assert Job.objects.get(pk=job.pk).is_open is True


def test_get_on_close_is_405(api):
    job = JobFactory()
    assert_error(api.get(f"{URL}{job.pk}/close/"), 405, "method_not_allowed")
