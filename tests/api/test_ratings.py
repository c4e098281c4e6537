"""Ratings: a reviewer rates a resume for a job (score or stars); lists filter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from matching.models import Pair, Rating, Resume
from matching.review import ratings as review_ratings
from tests.api.helpers import assert_error
from tests.factories import JobFactory, PairFactory, ResumeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/ratings/"


def test_a_member_rates_a_scored_pair_and_is_recorded_as_reviewer(member_api, member):
    resume, job = ResumeFactory(), JobFactory()
    pair = PairFactory(resume=resume, job=job, score=0.62)
    response = member_api.post(
        URL, {"resume": resume.pk, "job": job.pk, "score": 0.8, "note": "Strong"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["pair"] == pair.pk
    assert (body["resume"], body["job"], body["score"], body["note"]) == (
        resume.pk,
        job.pk,
        0.8,
        "Strong",
    )
    assert (body["reviewer"], body["reviewer_username"]) == (member.pk, "mo")
    assert (body["source"], body["predicted_score"]) == ("api", 0.62)
    pair.refresh_from_db()
    assert (pair.rating_count, pair.rating_mean) == (1, 0.8)


def test_posting_again_updates_the_reviewers_one_rating_and_says_so(member_api, member):
    resume, job = ResumeFactory(), JobFactory()
    pair = PairFactory(resume=resume, job=job, score=0.5)
    first = member_api.post(URL, {"resume": resume.pk, "job": job.pk, "score": 0.25}, format="json")
    assert (first.status_code, first.json()["updated"]) == (201, False)
    for _ in range(7):
        again = member_api.post(
            URL, {"resume": resume.pk, "job": job.pk, "stars": 5}, format="json"
        )
        assert (again.status_code, again.json()["updated"]) == (200, True)
        assert again.json()["id"] == first.json()["id"]
    assert Rating.objects.get().score == 1.0
    pair.refresh_from_db()
    assert (pair.rating_count, pair.rating_mean) == (1, 1.0)


def test_a_rating_from_the_queue_and_then_the_api_is_one_rating(member_api, member):
    resume, job = ResumeFactory(), JobFactory()
    pair = PairFactory(resume=resume, job=job, score=0.5)
    review_ratings.rating_submit(pair=pair, reviewer=member, score=0.0)
    response = member_api.post(
        URL, {"resume": resume.pk, "job": job.pk, "score": 0.5}, format="json"
    )
    assert (response.status_code, response.json()["updated"]) == (200, True)
    pair.refresh_from_db()
    assert (pair.rating_count, pair.rating_mean) == (1, 0.5)


@pytest.mark.parametrize(("stars", "score"), [(1, 0.0), (3, 0.5), (5, 1.0)])
def test_stars_map_onto_the_unit_interval(api, stars, score):
    resume, job = ResumeFactory(), JobFactory()
    response = api.post(URL, {"resume": resume.pk, "job": job.pk, "stars": stars}, format="json")
    assert response.status_code == 201
    assert Rating.objects.get().score == score


def test_rating_an_unscored_pair_creates_the_pair(api):
    resume, job = ResumeFactory(), JobFactory(is_open=False)
    response = api.post(URL, {"resume": resume.pk, "job": job.pk, "stars": 4}, format="json")
    assert response.status_code == 201
    pair = Pair.objects.get(resume=resume, job=job)
    assert pair.score is None
    assert response.json()["predicted_score"] is None


def test_several_reviewers_rate_one_pair(api, member_api):
    resume, job = ResumeFactory(), JobFactory()
    api.post(URL, {"resume": resume.pk, "job": job.pk, "score": 1.0}, format="json")
    member_api.post(URL, {"resume": resume.pk, "job": job.pk, "score": 0.5}, format="json")
    pair = Pair.objects.get(resume=resume, job=job)
    assert (pair.rating_count, pair.rating_mean) == (2, 0.75)


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"resume": ..., "job": ..., "score": 0.5}, ["resume", "job"]),
        ({"resume": 999999, "job": None, "score": 0.5}, ["resume", "job"]),
        ({"score": 1.5}, ["score"]),
        ({"score": -0.1}, ["score"]),
        ({"stars": 6}, ["stars"]),
        ({"stars": 0}, ["stars"]),
        ({}, ["score"]),
        ({"score": 0.5, "stars": 3}, ["score"]),
        ({"score": "NaN"}, ["score"]),
    ],
)
def test_invalid_ratings_name_the_fields_and_store_nothing(api, payload, fields):
    resume, job = ResumeFactory(), JobFactory()
    data = {"resume": resume.pk, "job": job.pk, **payload}
    data = {key: value for key, value in data.items() if value is not ...}  # ... : left out
    assert_error(api.post(URL, data, format="json"), 400, "invalid", fields=fields)
    assert not Rating.objects.exists()


def test_a_rejected_resume_cannot_be_rated(api):
    failed = ResumeFactory(status=Resume.Status.FAILED, text="")
    response = api.post(
        URL, {"resume": failed.pk, "job": JobFactory().pk, "score": 0.5}, format="json"
    )
    error = assert_error(response, 400, "invalid", fields=["resume"])
    assert "no extracted text" in error["message"]


def test_list_filters_by_job_resume_and_reviewer(api, member_api, reviewer, member, settings):
    # The filters alone: blind rating would hide the pairs the member has not rated
    # (tests/matching/test_blind_rating_visibility.py).
    settings.BLIND_RATING = False
    r1, r2 = ResumeFactory(), ResumeFactory()
    j1, j2 = JobFactory(), JobFactory()
    mine = review_ratings.rating_create(
        pair=review_ratings.pair_get_or_create(resume=r1, job=j1), score=0.9, reviewer=member
    )
    theirs = review_ratings.rating_create(
        pair=review_ratings.pair_get_or_create(resume=r2, job=j1), score=0.2, reviewer=reviewer
    )
    other_job = review_ratings.rating_create(
        pair=review_ratings.pair_get_or_create(resume=r1, job=j2), score=0.4, reviewer=reviewer
    )

    def ids(**params) -> list[int]:
        response = member_api.get(URL, params)
        assert response.status_code == 200, response.content
        return sorted(r["id"] for r in response.json()["results"])

    assert ids() == sorted([mine.pk, theirs.pk, other_job.pk])
    assert ids(job=j1.pk) == sorted([mine.pk, theirs.pk])
    assert ids(resume=r1.pk) == sorted([mine.pk, other_job.pk])
    assert ids(reviewer=member.pk) == [mine.pk]
    assert ids(job=j1.pk, reviewer=reviewer.pk) == [theirs.pk]
    assert ids(source="api") == []
    assert ids(job=424242) == []


def test_list_orders_by_score_and_is_newest_first_by_default(api, reviewer):
    ratings = [
        review_ratings.rating_create(
            pair=review_ratings.pair_get_or_create(resume=ResumeFactory(), job=JobFactory()),
            score=score,
            reviewer=reviewer,
        )
        for score in (0.5, 0.9, 0.1)
    ]
    for i, rating in enumerate(ratings):
        Rating.objects.filter(pk=rating.pk).update(
            created_at=timezone.now() - timedelta(minutes=10 - i)
        )
    assert [r["score"] for r in api.get(URL).json()["results"]] == [0.1, 0.9, 0.5]
    assert [r["score"] for r in api.get(URL, {"ordering": "score"}).json()["results"]] == [
        0.1,
        0.5,
        0.9,
    ]


@pytest.mark.parametrize("param", ["job", "resume", "reviewer"])
def test_a_non_numeric_id_filter_names_the_field(api, param):
    assert_error(api.get(URL, {param: "1.5"}), 400, "invalid", fields=[param])


@pytest.mark.parametrize(
    "value",
    ["0158-03-28T14:55:14-21:46", "2026-01-01T00:00:00+23:59", "0001-01-01T00:00:00+05:00"],
)
def test_any_iso_offset_in_a_date_filter_is_answered_not_a_database_error(api, value):
    """PostgreSQL refuses UTC offsets beyond 15:59 (found by the schemathesis test)."""
    response = api.get(URL, {"created_after": value})
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert_error(response, 400, "invalid", fields=["created"])


def test_a_date_filter_with_an_offset_means_the_same_instant(api, reviewer):
    rating = review_ratings.rating_create(
        pair=review_ratings.pair_get_or_create(resume=ResumeFactory(), job=JobFactory()),
        score=0.5,
        reviewer=reviewer,
    )
    Rating.objects.filter(pk=rating.pk).update(created_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    just_after = {"created_after": "2026-03-01T13:01:00+01:00"}  # 12:01 UTC
    just_before = {"created_after": "2026-03-01T12:59:00+01:00"}  # 11:59 UTC
    assert api.get(URL, just_after).json()["count"] == 0
    assert api.get(URL, just_before).json()["count"] == 1
