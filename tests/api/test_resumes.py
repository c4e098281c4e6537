"""Resumes: upload (one or many files, status at once), list, retrieve, delete, best jobs."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from matching import tasks
from matching.api.views.resumes import ResumeCollectionApi
from matching.intake import resumes as intake_resumes
from matching.models import Embedding, Pair, Resume
from matching.scoring import activation as scoring_activation
from resumeproject.api.filters import StableOrderingFilter
from resumeproject.api.pagination import PageNumberPagination
from tests.api.helpers import assert_error, grant
from tests.conftest import NURSE_RESUME, PYTHON_RESUME, make_docx, make_pdf
from tests.factories import JobFactory, PairFactory, ResumeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/resumes/"


def upload(client, *files: tuple[str, bytes]):
    data = {"files": [SimpleUploadedFile(name, content) for name, content in files]}
    return client.post(URL, data, format="multipart")


# --- upload ------------------------------------------------------------------------------


def test_uploading_one_pdf_answers_201_with_the_extracted_resume_and_its_scoring(api, reviewer):
    JobFactory()
    response = upload(api, ("jane.pdf", make_pdf(PYTHON_RESUME)))
    assert response.status_code == 201
    body = response.json()
    assert (body["imported"], body["duplicates"], body["rejected"]) == (1, 0, 0)
    [item] = body["results"]
    assert item["name"] == "jane.pdf"
    assert item["outcome"] == "imported"
    resume = item["resume"]
    assert resume["status"] == "extracted"
    assert resume["error_code"] == ""
    assert resume["uploaded_by"] == reviewer.username
    # MATCHING_SYNC_TASKS in the suite: the background scoring already ran.
    assert (resume["open_jobs"], resume["scored_jobs"], resume["scoring"]) == (1, 1, "done")
    assert "Django" in Resume.objects.get(pk=resume["id"]).text


def test_uploading_several_files_answers_207_with_each_files_outcome(api):
    api_response = upload(
        api,
        ("jane.pdf", make_pdf(PYTHON_RESUME)),
        ("john.docx", make_docx(NURSE_RESUME)),
        ("broken.pdf", b"%PDF-1.4 garbage"),
        ("jane-again.pdf", make_pdf(PYTHON_RESUME)),
    )
    assert api_response.status_code == 207
    body = api_response.json()
    outcomes = [(r["name"], r["outcome"], r["resume"]["status"]) for r in body["results"]]
    assert outcomes[:3] == [
        ("jane.pdf", "imported", "extracted"),
        ("john.docx", "imported", "extracted"),
        ("broken.pdf", "rejected", "failed"),
    ]
    # fpdf2 stamps the time: the second render is a duplicate only if in the same second.
    assert outcomes[3][1] in ("imported", "duplicate")
    broken = body["results"][2]["resume"]
    assert broken["error_code"] == "corrupt_pdf"
    assert broken["error"].startswith("broken.pdf:")
    assert broken["scoring"] == "skipped"
    assert body["rejected"] == 1


def test_uploading_the_same_file_again_answers_200_with_the_existing_resume(api):
    data = PYTHON_RESUME.encode()
    first = upload(api, ("jane.txt", data)).json()["results"][0]["resume"]
    again = upload(api, ("copy.txt", data))
    assert again.status_code == 200
    [item] = again.json()["results"]
    assert item["outcome"] == "duplicate"
    assert item["resume"]["id"] == first["id"]
    assert Resume.objects.count() == 1


@pytest.mark.parametrize("spooled", [False, True], ids=["in-memory", "spooled-to-disk"])
def test_a_file_over_the_size_limit_is_kept_as_rejected_without_its_bytes(api, settings, spooled):
    settings.RESUME_MAX_BYTES = 50
    if spooled:
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # Django writes the upload to a temp file
    response = upload(api, ("big.txt", b"x" * 80))
    assert response.status_code == 207
    resume = response.json()["results"][0]["resume"]
    assert (resume["status"], resume["error_code"], resume["size_bytes"]) == (
        "failed",
        "too_large",
        80,
    )
    assert Resume.objects.get(pk=resume["id"]).file.size == 0


def test_upload_answers_at_once_and_the_client_polls_until_scored(api, settings):
    settings.MATCHING_SYNC_TASKS = False  # scoring is queued for the django-q2 cluster
    JobFactory()
    JobFactory()
    created = upload(api, ("jane.txt", PYTHON_RESUME.encode())).json()["results"][0]["resume"]
    assert (created["status"], created["scoring"], created["scored_jobs"]) == (
        "extracted",
        "pending",
        0,
    )
    tasks.score_resumes([created["id"]])  # what the worker runs
    polled = api.get(f"{URL}{created['id']}/").json()
    assert (polled["scoring"], polled["scored_jobs"], polled["open_jobs"]) == ("done", 2, 2)


def test_upload_without_files_names_the_field(api):
    response = api.post(URL, {}, format="multipart")
    assert_error(response, 400, "invalid", fields=["files"])


def test_upload_as_json_is_an_unsupported_media_type(api):
    response = api.post(URL, {"files": ["jane.pdf"]}, format="json")
    assert_error(response, 415, "unsupported_media_type")


def test_a_text_value_instead_of_a_file_is_refused(api):
    response = api.post(URL, {"files": "not a file"}, format="multipart")
    error = assert_error(response, 400, "invalid", fields=["files.0"])
    assert "not a file" in error["message"]


def test_too_many_files_in_one_request_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    response = upload(api, ("a.txt", b"a"), ("b.txt", b"b"), ("c.txt", b"c"))
    assert_error(response, 413, "too_large")
    assert not Resume.objects.exists()


def test_a_member_without_the_add_permission_cannot_upload(member_api, member):
    response = upload(member_api, ("jane.txt", PYTHON_RESUME.encode()))
    assert_error(response, 403, "permission_denied")
    assert not Resume.objects.exists()
    grant(member, "add_resume")
    assert upload(member_api, ("jane.txt", PYTHON_RESUME.encode())).status_code == 201


# --- list --------------------------------------------------------------------------------


def test_list_is_paginated_newest_first_without_text(api, settings):
    resumes = [ResumeFactory() for _ in range(5)]
    first = api.get(URL, {"page_size": 2})
    assert first.status_code == 200
    body = first.json()
    assert body["count"] == 5
    assert [r["id"] for r in body["results"]] == [resumes[4].pk, resumes[3].pk]
    assert "text" not in body["results"][0]
    assert body["previous"] is None
    third = api.get(body["next"].replace("http://testserver", "")).json()
    third = api.get(third["next"].replace("http://testserver", "")).json()
    assert [r["id"] for r in third["results"]] == [resumes[0].pk]
    assert third["next"] is None


def test_page_size_has_a_default_and_a_cap(api, monkeypatch, settings):
    assert PageNumberPagination.page_size == settings.API_PAGE_SIZE
    assert PageNumberPagination.max_page_size == settings.API_MAX_PAGE_SIZE
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    monkeypatch.setattr(PageNumberPagination, "max_page_size", 3)
    for _ in range(5):
        ResumeFactory()
    assert len(api.get(URL).json()["results"]) == 2
    assert len(api.get(URL, {"page_size": 4}).json()["results"]) == 3
    assert len(api.get(URL, {"page_size": 1}).json()["results"]) == 1


def test_a_page_past_the_end_is_404(api):
    ResumeFactory()
    assert_error(api.get(URL, {"page": 3}), 404, "not_found")


def test_list_filters_by_status_name_and_creation_time(api):
    old = ResumeFactory(original_name="Anna_Schmidt_CV.pdf")
    Resume.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    new = ResumeFactory(original_name="bob.docx")
    failed = ResumeFactory(original_name="scan.pdf", status=Resume.Status.FAILED, text="")

    def ids(**params) -> list[int]:
        response = api.get(URL, params)
        assert response.status_code == 200, response.content
        return sorted(r["id"] for r in response.json()["results"])

    assert ids(status="failed") == [failed.pk]
    assert ids(status="extracted") == sorted([old.pk, new.pk])
    assert ids(original_name="schmidt") == [old.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert ids(created_after=since) == sorted([new.pk, failed.pk])
    assert ids(created_before=since) == [old.pk]


def test_list_orders_by_a_chosen_field(api):
    for name in ["b.txt", "c.txt", "a.txt"]:
        ResumeFactory(original_name=name)
    names = [
        r["original_name"] for r in api.get(URL, {"ordering": "original_name"}).json()["results"]
    ]
    assert names == ["a.txt", "b.txt", "c.txt"]
    names = [
        r["original_name"] for r in api.get(URL, {"ordering": "-original_name"}).json()["results"]
    ]
    assert names == ["c.txt", "b.txt", "a.txt"]


def test_an_unknown_status_filter_names_the_field(api):
    assert_error(api.get(URL, {"status": "lost"}), 400, "invalid", fields=["status"])


def test_a_malformed_date_filter_names_the_field(api):
    response = api.get(URL, {"created_after": "yesterday"})
    assert_error(response, 400, "invalid", fields=["created"])


# --- retrieve and delete -----------------------------------------------------------------


def test_retrieve_has_text_and_extraction_status(member_api):
    resume = ResumeFactory(text="Ada. Python and Django developer.")
    body = member_api.get(f"{URL}{resume.pk}/").json()
    assert body["text"] == "Ada. Python and Django developer."
    assert (body["status"], body["error_code"], body["error"]) == ("extracted", "", "")


def test_retrieve_of_a_rejected_file_has_the_error_code_and_message(api):
    resume = intake_resumes.resume_create(name="scan.pdf", data=b"%PDF-1.4 garbage").resume
    body = api.get(f"{URL}{resume.pk}/").json()
    assert body["status"] == "failed"
    assert body["error_code"] == "corrupt_pdf"
    assert body["error"].startswith("scan.pdf: the PDF is damaged")


def test_retrieve_of_a_missing_resume_is_404(api):
    assert_error(api.get(f"{URL}999999/"), 404, "not_found")


def test_delete_removes_the_resume_its_file_pairs_and_vectors(
    api, django_capture_on_commit_callbacks
):
    JobFactory()
    resume = intake_resumes.resume_create(name="jane.txt", data=PYTHON_RESUME.encode()).resume
    path = resume.file.path
    assert Pair.objects.filter(resume=resume).exists()
    assert Embedding.objects.filter(text_sha256=resume.text_sha256).exists()
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        response = api.delete(f"{URL}{resume.pk}/")
    assert response.status_code == 204
    assert not Resume.objects.filter(pk=resume.pk).exists()
    assert not Pair.objects.filter(resume_id=resume.pk).exists()
    assert not Embedding.objects.filter(text_sha256=resume.text_sha256).exists()
    assert not os.path.exists(path)
    assert_error(api.delete(f"{URL}{resume.pk}/"), 404, "not_found")


def test_a_member_without_the_delete_permission_cannot_delete(member_api, member):
    resume = ResumeFactory()
    assert_error(member_api.delete(f"{URL}{resume.pk}/"), 403, "permission_denied")
    assert Resume.objects.filter(pk=resume.pk).exists()
    grant(member, "delete_resume")
    assert member_api.delete(f"{URL}{resume.pk}/").status_code == 204


# --- best jobs ---------------------------------------------------------------------------


def test_best_jobs_lists_scored_jobs_best_first_with_ranks_across_pages(member_api):
    resume = ResumeFactory()
    model = scoring_activation.scoring_model_active()
    jobs = [JobFactory(title=f"Job {i}") for i in range(3)]
    closed = JobFactory(title="Closed job", is_open=False)
    unscored = JobFactory(title="Not scored yet")
    for job, score in zip([*jobs, closed], [0.2, 0.9, 0.5, 0.7], strict=True):
        PairFactory(resume=resume, job=job, score=score, scoring_model=model)
    PairFactory(resume=resume, job=unscored, score=None)

    first = member_api.get(f"{URL}{resume.pk}/best-jobs/", {"page_size": 2}).json()
    assert first["count"] == 4
    assert [(r["rank"], r["job"]["title"], r["score"]) for r in first["results"]] == [
        (1, "Job 1", 0.9),
        (2, "Closed job", 0.7),
    ]
    assert first["results"][1]["job"]["is_open"] is False
    second = member_api.get(f"{URL}{resume.pk}/best-jobs/", {"page_size": 2, "page": 2}).json()
    assert [(r["rank"], r["job"]["title"]) for r in second["results"]] == [
        (3, "Job 2"),
        (4, "Job 0"),
    ]


def test_best_jobs_of_a_missing_resume_is_404(api):
    assert_error(api.get(f"{URL}424242/best-jobs/"), 404, "not_found")


def test_pages_ordered_by_a_shared_value_neither_repeat_nor_skip_rows(api):
    resumes = [ResumeFactory() for _ in range(5)]
    seen = []
    for page in (1, 2, 3):
        body = api.get(URL, {"ordering": "status", "page_size": 2, "page": page}).json()
        seen += [r["id"] for r in body["results"]]
    assert sorted(seen) == sorted(r.pk for r in resumes)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"ordering": "status"}, ["status", "pk"]),
        ({"ordering": "-size_bytes"}, ["-size_bytes", "-pk"]),
        ({}, ["-created_at", "-pk"]),
    ],
)
def test_every_ordering_ends_in_the_primary_key(query, expected):
    request = Request(APIRequestFactory().get(URL, query))
    view = ResumeCollectionApi()
    ordering = StableOrderingFilter().get_ordering(request, Resume.objects.all(), view)
    assert ordering == expected
