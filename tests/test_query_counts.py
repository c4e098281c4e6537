"""The pages and API calls that list candidates run a fixed number of queries, whether a
job has 3 candidates or 30 (a page of 25 then): no query per row.

Each limit is the count measured today. A limit that fails with 30 candidates but not
with 3 means a query per row crept in; one that fails with both means a new constant
query (fine if intended: raise the limit, with the reason).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.encoding.cache import ensure_vectors
from matching.models import Job, Pair, Resume
from matching.scoring import activation as scoring_activation
from matching.texts import text_hash
from tests.factories import JobFactory, ResumeFactory

pytestmark = pytest.mark.django_db

SIZES = [3, 30]


def _embed(texts: list[str]) -> None:
    model = scoring_activation.scoring_model_active()
    ensure_vectors(texts={text_hash(t): t for t in texts}, encoder_key=model.encoder_key)


def scored_job(n: int) -> Job:
    """A job with n scored candidates, every third one rated, every text embedded."""
    model = scoring_activation.scoring_model_active()
    job = JobFactory()
    resumes = [
        ResumeFactory(text=f"Candidate {i}. Python developer: Django, SQL, Docker, Kubernetes.")
        for i in range(n)
    ]
    now = timezone.now()
    Pair.objects.bulk_create(
        Pair(
            resume=r,
            job=job,
            score=(i + 1) / (n + 1),
            scoring_model=model,
            scored_at=now,
            rating_count=1 if i % 3 == 0 else 0,
            rating_mean=0.5 if i % 3 == 0 else None,
        )
        for i, r in enumerate(resumes)
    )
    _embed([job.embedded_text, *(r.text for r in resumes)])
    return job


def resume_with_jobs(n: int) -> Resume:
    """A resume scored against n jobs."""
    model = scoring_activation.scoring_model_active()
    resume = ResumeFactory()
    jobs = JobFactory.create_batch(n)
    Pair.objects.bulk_create(
        Pair(resume=resume, job=job, score=(i + 1) / (n + 1), scoring_model=model)
        for i, job in enumerate(jobs)
    )
    return resume


# Queries of each call, counted today (SQLite and PostgreSQL alike). Session, user and
# the live model are part of every count.
RANKING_PAGE = 10
RANKING_API = 9
BEST_JOBS_PAGE = 4
BEST_JOBS_API = 5
REVIEW_QUEUE = 15


@pytest.mark.parametrize("n", SIZES)
def test_ranking_page_runs_a_fixed_number_of_queries(
    n, client, reviewer, django_assert_max_num_queries
):
    job = scored_job(n)
    client.force_login(reviewer)
    url = reverse("matching:job_ranking", args=[job.pk])
    with django_assert_max_num_queries(RANKING_PAGE):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) == min(n, 25)


@pytest.mark.parametrize("n", SIZES)
def test_ranking_api_runs_a_fixed_number_of_queries(
    n, client, reviewer, django_assert_max_num_queries
):
    job = scored_job(n)
    client.force_login(reviewer)
    url = reverse("api:job-ranking", args=[job.pk])
    with django_assert_max_num_queries(RANKING_API):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(n, 25)


@pytest.mark.parametrize("n", SIZES)
def test_best_jobs_page_runs_a_fixed_number_of_queries(
    n, client, reviewer, django_assert_max_num_queries
):
    resume = resume_with_jobs(n)
    client.force_login(reviewer)
    url = reverse("matching:resume_detail", args=[resume.pk])
    with django_assert_max_num_queries(BEST_JOBS_PAGE):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["best_jobs"]) == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_best_jobs_api_runs_a_fixed_number_of_queries(
    n, client, reviewer, django_assert_max_num_queries
):
    resume = resume_with_jobs(n)
    client.force_login(reviewer)
    url = reverse("api:resume-best-jobs", args=[resume.pk])
    with django_assert_max_num_queries(BEST_JOBS_API):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(n, 25)


@pytest.mark.parametrize("n", SIZES)
def test_review_queue_runs_a_fixed_number_of_queries(
    n, client, reviewer, django_assert_max_num_queries
):
    scored_job(n)
    client.force_login(reviewer)
    with django_assert_max_num_queries(REVIEW_QUEUE):
        response = client.get(reverse("matching:review"))
    assert response.status_code == 200
    assert response.context["pair"] is not None
    assert response.context["waiting"] == n
