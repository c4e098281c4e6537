"""Candidates by name (issue 16): the name read from the resume replaces the file name on
the ranking page, the rating screen, the CSV and the API, unless the view is anonymized."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from matching.intake.profile import profile_of
from matching.intake.resumes import resume_create
from matching.privacy import services as privacy_services

pytestmark = pytest.mark.django_db

TEXT = (
    "Daniel Okafor - Senior Backend Engineer\n"
    "daniel.okafor@example.com\n"
    "Experience\n"
    "Backend Engineer, Fernhill Freight, Jan 2018 - present\n"
    "- Built REST APIs in Python and Django\n"
)


def test_the_name_is_read_before_a_dash_and_never_from_a_title_line():
    assert profile_of(TEXT).name == "Daniel Okafor"
    assert profile_of("Jane Q. Public | Staff Accountant\nExperience\n").name == "Jane Q. Public"
    assert profile_of("SALES ASSOCIATE\nSummary\nSold things.\n").name == ""
    assert profile_of("# Priya Natarajan\nHR Generalist\n").name == "Priya Natarajan"
    assert profile_of("**Grace Whitfield**\nFrontend Developer\n").name == "Grace Whitfield"


@pytest.fixture
def named_pair(make_ranked_job):
    job, [pair] = make_ranked_job(
        [0.8], texts=[TEXT], names=["cv_final_v3.pdf"], must_have="Python"
    )
    pair.resume.candidate_name = "Daniel Okafor"  # as the import stores it (tested below)
    pair.resume.save(update_fields=["candidate_name"])
    return job, pair


def test_an_upload_stores_the_name(tmp_path):
    result = resume_create(name="cv_final_v3.txt", data=TEXT.encode(), schedule=False)
    assert result.resume.candidate_name == "Daniel Okafor"
    assert result.resume.original_name == "cv_final_v3.txt"


def test_pages_csv_and_api_show_the_name_and_the_anonymized_view_a_number(
    client, reviewer, named_pair
):
    job, pair = named_pair
    client.force_login(reviewer)
    ranking = client.get(reverse("matching:job_ranking", args=[job.pk])).content.decode()
    assert "Daniel Okafor</a>" in ranking and "cv_final_v3.pdf" in ranking
    review = client.get(reverse("matching:review_pair", args=[pair.pk])).content.decode()
    assert "Daniel Okafor" in review
    export = client.get(reverse("matching:job_export", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][2] == "candidate" and rows[1][2] == "Daniel Okafor"
    api = client.get(f"/api/v1/jobs/{job.pk}/ranking/").json()["results"][0]["resume"]
    assert api == {
        "id": pair.resume_id,
        "name": "Daniel Okafor",
        "original_name": "cv_final_v3.pdf",
    }
    detail = client.get(f"/api/v1/resumes/{pair.resume_id}/").json()
    assert detail["candidate_name"] == "Daniel Okafor"

    privacy_services.reviewer_preference_set(user=reviewer, anonymize=True)
    label = f"Candidate #{pair.resume_id}"
    ranking = client.get(reverse("matching:job_ranking", args=[job.pk])).content.decode()
    assert label in ranking and "Okafor" not in ranking and "cv_final_v3" not in ranking
    export = client.get(reverse("matching:job_export", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[1][2] == label
    api = client.get(f"/api/v1/jobs/{job.pk}/ranking/").json()["results"][0]["resume"]
    assert api == {"id": pair.resume_id, "name": label, "original_name": label}
    detail = client.get(f"/api/v1/resumes/{pair.resume_id}/").json()
    assert detail["candidate_name"] == "" and detail["original_name"] == label
