"""Ad-hoc scoring: texts or files in, a score out, nothing stored."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.throttling import ScopedRateThrottle

from matching.models import Embedding, Job, Pair, Resume
from matching.scoring.features import FEATURE_NAMES
from tests.api.helpers import assert_error
from tests.conftest import NURSE_RESUME, PYTHON_RESUME, make_docx, make_pdf

pytestmark = pytest.mark.django_db

URL = "/api/v1/score/"
JOB_TEXT = (
    "Senior Python Developer\n\nBuild payment APIs with Django and PostgreSQL.\n\n"
    "Must have:\nPython\nDjango\n\nNice to have:\nKubernetes"
)


def stored_rows() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Resume, Job, Pair, Embedding))


def test_texts_as_json_get_a_score_and_nothing_is_stored(member_api):
    before = stored_rows()
    response = member_api.post(
        URL, {"resume_text": PYTHON_RESUME, "job_text": JOB_TEXT}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert 0.0 <= body["score"] <= 1.0
    assert body["model"] == "pretrained"
    assert set(body["features"]) == set(FEATURE_NAMES)
    assert stored_rows() == before


def test_the_api_scores_like_the_score_command(api, tmp_path):
    (tmp_path / "resume.txt").write_text(PYTHON_RESUME)
    (tmp_path / "job.txt").write_text(JOB_TEXT)
    out = io.StringIO()
    call_command(
        "score",
        resume=str(tmp_path / "resume.txt"),
        job=str(tmp_path / "job.txt"),
        json=True,
        stdout=out,
    )
    expected = json.loads(out.getvalue())
    body = api.post(URL, {"resume_text": PYTHON_RESUME, "job_text": JOB_TEXT}, format="json").json()
    assert body["score"] == expected["score"]
    assert body["features"] == expected["features"]


def test_a_fitting_resume_scores_above_an_unrelated_one(api):
    def score(resume: str) -> float:
        response = api.post(URL, {"resume_text": resume, "job_text": JOB_TEXT}, format="json")
        return response.json()["score"]

    assert score(PYTHON_RESUME) > score(NURSE_RESUME)


def test_files_in_a_multipart_request_are_read_like_uploads(api):
    as_text = api.post(URL, {"resume_text": PYTHON_RESUME, "job_text": JOB_TEXT}, format="json")
    response = api.post(
        URL,
        {
            "resume_file": SimpleUploadedFile("jane.pdf", make_pdf(PYTHON_RESUME)),
            "job_file": SimpleUploadedFile("job.docx", make_docx(JOB_TEXT)),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert abs(response.json()["score"] - as_text.json()["score"]) < 0.05
    assert not Resume.objects.exists()


def test_a_multipart_request_may_mix_a_file_and_a_text(api):
    response = api.post(
        URL,
        {"resume_file": SimpleUploadedFile("cv.txt", NURSE_RESUME.encode()), "job_text": JOB_TEXT},
        format="multipart",
    )
    assert response.status_code == 200


def test_missing_texts_name_both_fields(api):
    assert_error(
        api.post(URL, {}, format="json"), 400, "invalid", fields=["resume_text", "job_text"]
    )


def test_a_text_and_a_file_for_the_same_side_is_refused(api):
    response = api.post(
        URL,
        {
            "resume_text": PYTHON_RESUME,
            "resume_file": SimpleUploadedFile("cv.txt", b"Python developer"),
            "job_text": JOB_TEXT,
        },
        format="multipart",
    )
    error = assert_error(response, 400, "invalid", fields=["resume_text"])
    assert "either resume_text or resume_file" in error["message"]


def test_a_blank_text_is_refused(api):
    response = api.post(URL, {"resume_text": "  \n ", "job_text": JOB_TEXT}, format="json")
    assert_error(response, 400, "invalid", fields=["resume_text"])


def test_an_unreadable_file_gets_the_extraction_message(api):
    response = api.post(
        URL,
        {"resume_file": SimpleUploadedFile("cv.pdf", b"%PDF-1.4 garbage"), "job_text": JOB_TEXT},
        format="multipart",
    )
    error = assert_error(response, 400, "invalid", fields=["resume_file"])
    assert error["fields"]["resume_file"][0].startswith("cv.pdf: the PDF is damaged")


def test_a_file_over_the_size_limit_is_refused_with_the_limit(api, settings):
    settings.RESUME_MAX_BYTES = 100
    response = api.post(
        URL,
        {"resume_file": SimpleUploadedFile("cv.txt", b"x" * 200), "job_text": JOB_TEXT},
        format="multipart",
    )
    error = assert_error(response, 400, "invalid", fields=["resume_file"])
    assert "larger than the limit of 100 bytes" in error["message"]


def test_a_text_longer_than_the_limit_is_refused(api):
    response = api.post(URL, {"resume_text": "a " * 100_001, "job_text": JOB_TEXT}, format="json")
    assert_error(response, 400, "invalid", fields=["resume_text"])


def test_a_json_body_over_the_upload_limit_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post(URL, {"resume_text": "a" * 2000, "job_text": JOB_TEXT}, format="json")
    error = assert_error(response, 413, "too_large")
    assert "limit of 1000 bytes" in error["message"]


def test_scoring_is_throttled_per_user(api, member_api, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "scoring", "2/minute")
    payload = {"resume_text": PYTHON_RESUME, "job_text": JOB_TEXT}
    assert [api.post(URL, payload, format="json").status_code for _ in range(2)] == [200, 200]
    throttled = api.post(URL, payload, format="json")
    error = assert_error(throttled, 429, "throttled")
    assert 1 <= error["retry_after"] <= 60
    assert throttled["Retry-After"] == str(error["retry_after"])
    # Another user has a budget of their own.
    assert member_api.post(URL, payload, format="json").status_code == 200
