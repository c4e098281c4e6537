"""Reviewers in the Django admin: bulk upload, rating by score or stars, pair filters."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matching.models import Pair, Rating, Resume
from tests.conftest import NURSE_RESUME, PYTHON_RESUME, make_pdf
from tests.factories import JobFactory, ResumeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, reviewer):
    client.force_login(reviewer)
    return client


def test_bulk_upload_imports_good_files_and_keeps_bad_ones_with_reasons(admin_client):
    JobFactory()
    files = [
        SimpleUploadedFile("jane.pdf", make_pdf(PYTHON_RESUME), "application/pdf"),
        SimpleUploadedFile("john.txt", NURSE_RESUME.encode(), "text/plain"),
        SimpleUploadedFile("broken.pdf", b"%PDF-1.4 nope", "application/pdf"),
    ]
    response = admin_client.post(reverse("admin:matching_resume_upload"), {"files": files})
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 imported (scoring in the background), 0 already present, 1 rejected." in body
    assert "broken.pdf:" in body
    assert Resume.objects.filter(status="extracted").count() == 2
    assert Resume.objects.get(original_name="broken.pdf").status == "failed"
    assert Pair.objects.filter(score__isnull=False).count() == 2


def test_rating_with_stars_maps_to_a_score_and_records_the_reviewer(admin_client, reviewer):
    pair = Pair.objects.create(resume=ResumeFactory(), job=JobFactory(), score=0.3)
    response = admin_client.post(
        reverse("admin:matching_rating_add"), {"pair": pair.pk, "stars": "4", "note": "solid"}
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert rating.score == 0.75
    assert rating.reviewer == reviewer
    assert rating.predicted_score == 0.3
    pair.refresh_from_db()
    assert pair.rating_count == 1 and pair.rating_mean == 0.75


def test_rating_without_score_or_stars_is_refused(admin_client):
    pair = Pair.objects.create(resume=ResumeFactory(), job=JobFactory(), score=0.3)
    response = admin_client.post(reverse("admin:matching_rating_add"), {"pair": pair.pk})
    assert "Give a score between 0 and 1 or a number of stars." in response.content.decode()
    assert not Rating.objects.exists()


def test_pair_admin_filters_unrated_and_disagreements(admin_client):
    job = JobFactory()
    agree = Pair.objects.create(
        resume=ResumeFactory(), job=job, score=0.8, rating_count=1, rating_mean=0.8
    )
    clash = Pair.objects.create(
        resume=ResumeFactory(), job=job, score=0.9, rating_count=2, rating_mean=0.2
    )
    unrated = Pair.objects.create(resume=ResumeFactory(), job=job, score=0.5)
    url = reverse("admin:matching_pair_changelist")
    page = admin_client.get(url, {"rated": "disagree"}).context["cl"].result_list
    assert [p.pk for p in page] == [clash.pk]
    page = admin_client.get(url, {"rated": "no"}).context["cl"].result_list
    assert [p.pk for p in page] == [unrated.pk]
    page = admin_client.get(url).context["cl"].result_list
    assert {p.pk for p in page} == {agree.pk, clash.pk, unrated.pk}


def test_job_created_in_admin_is_scored(admin_client):
    ResumeFactory.create_batch(2)
    response = admin_client.post(
        reverse("admin:matching_job_add"),
        {
            "title": "Python developer",
            "description": "Python Django",
            "must_have": "Python",
            "nice_to_have": "",
            "is_open": "on",
        },
    )
    assert response.status_code == 302
    assert Pair.objects.filter(score__isnull=False).count() == 2
