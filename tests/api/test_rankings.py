"""A job's ranked candidates with the page's explanation, through the API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.intake import jobs as intake_jobs
from matching.intake import resumes as intake_resumes
from matching.models import Pair
from matching.review import ratings as review_ratings
from matching.scoring import activation as scoring_activation
from matching.scoring import explain as scoring_explain
from matching.scoring import selectors as scoring_selectors
from tests.api.helpers import assert_error
from tests.factories import PairFactory, ScoringModelFactory

pytestmark = pytest.mark.django_db

PYTHON_TEXT = "Ana. Python developer, five years of Django and PostgreSQL on AWS with Docker."
JAVA_TEXT = "Ben. Java engineer, Spring Boot and Kafka; some Python scripting."
NURSE_TEXT = "Cleo. Registered nurse, intensive care, triage and patient care."


@pytest.fixture
def ranked():
    """A job scored against three real resumes by the services (fake encoder), plus a
    rejected file that must not be ranked."""
    resumes = {
        name: intake_resumes.resume_create(name=f"{name}.txt", data=text.encode()).resume
        for name, text in [("ana", PYTHON_TEXT), ("ben", JAVA_TEXT), ("cleo", NURSE_TEXT)]
    }
    intake_resumes.resume_create(name="scan.pdf", data=b"%PDF-1.4 garbage")
    job = intake_jobs.job_create(
        title="Python developer",
        description="Python developer for Django services on PostgreSQL and AWS.",
        must_have="Python\nDjango\nPostgreSQL",
        nice_to_have="Kubernetes\nAWS",
    )
    return job, resumes


def url(job, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/v1/jobs/{job.pk}/ranking/" + (f"?{query}" if query else "")


def test_ranking_is_best_first_with_the_same_explanation_as_the_page(member_api, ranked):
    job, resumes = ranked
    response = member_api.get(url(job))
    assert response.status_code == 200
    body = response.json()
    rows = body["results"]
    expected = list(scoring_selectors.job_ranking(job=job))
    assert body["count"] == 3
    assert [r["pair"] for r in rows] == [p.pk for p in expected]
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert rows[0]["resume"] == {
        "id": resumes["ana"].pk,
        "name": "ana.txt",  # no name in the text: the file name
        "original_name": "ana.txt",
    }
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)

    active = scoring_activation.scoring_model_active()
    why = scoring_explain.explain_pairs(job=job, pairs=expected, encoder_key=active.encoder_key)
    for row, pair in zip(rows, expected, strict=True):
        e = why[pair.pk]
        assert row["explanation"] == {
            "requirements": [
                {
                    "requirement": v.requirement,
                    "must_have": v.must,
                    "kind": v.kind,
                    "status": v.status,
                    "evidence": v.evidence,
                    "reason": v.reason,
                }
                for v in e.verdicts
            ],
            "must_have_found": e.must_found,
            "must_have_missing": e.must_missing,
            "nice_to_have_found": e.nice_found,
            "nice_to_have_missing": e.nice_missing,
            "must_have_credentials_missing": e.credentials_missing,
            "credentials_factor": e.credentials_factor,
            "skills_found": e.skills_found,
            "skills_missing": e.skills_missing,
            "passages": e.passages,
        }
        assert row["scoring_model"] == active.version
        assert row["stale"] is False
    ana = rows[0]["explanation"]
    assert ana["must_have_found"] == ["Python", "Django", "PostgreSQL"]
    assert ana["must_have_missing"] == []
    assert ana["passages"] and "Python" in ana["passages"][0]
    cleo = next(r for r in rows if r["resume"]["id"] == resumes["cleo"].pk)["explanation"]
    assert cleo["must_have_missing"] == ["Python", "Django", "PostgreSQL"]


def test_top_k_limits_the_candidates_and_pages_continue_the_ranks(api, ranked):
    job, _ = ranked
    top2 = api.get(url(job, top=2)).json()
    assert top2["count"] == 2
    assert len(top2["results"]) == 2
    second_page = api.get(url(job, page_size=2, page=2)).json()
    assert [r["rank"] for r in second_page["results"]] == [3]


def test_min_score_and_rated_filter_the_ranking(api, reviewer, ranked):
    job, _ = ranked
    pairs = list(scoring_selectors.job_ranking(job=job))
    threshold = pairs[1].score
    above = api.get(url(job, min_score=threshold)).json()
    assert [r["pair"] for r in above["results"]] == [pairs[0].pk, pairs[1].pk]

    review_ratings.rating_create(pair=pairs[2], score=0.1, reviewer=reviewer)
    rated = api.get(url(job, rated="true")).json()
    assert [(r["pair"], r["rating_count"], r["rating_mean"]) for r in rated["results"]] == [
        (pairs[2].pk, 1, 0.1)
    ]
    unrated = api.get(url(job, rated="false")).json()
    assert [r["pair"] for r in unrated["results"]] == [pairs[0].pk, pairs[1].pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"min_score": "1.5"}, "min_score"),
        ({"min_score": "high"}, "min_score"),
        ({"top": "0"}, "top"),
        ({"rated": "perhaps"}, "rated"),
    ],
)
def test_invalid_ranking_parameters_name_the_field(api, ranked, params, field):
    job, _ = ranked
    assert_error(api.get(url(job, **params)), 400, "invalid", fields=[field])


def test_ranking_of_a_missing_job_is_404(api):
    assert_error(api.get("/api/v1/jobs/31337/ranking/"), 404, "not_found")


def test_a_pair_scored_by_an_older_model_is_marked_stale(api, ranked):
    job, _ = ranked
    old = ScoringModelFactory(version="old", encoder_key="old")
    pair = Pair.objects.filter(job=job).order_by("-score").first()
    Pair.objects.filter(pk=pair.pk).update(scoring_model=old)
    rows = api.get(url(job)).json()["results"]
    assert [(r["pair"], r["stale"], r["scoring_model"]) for r in rows if r["stale"]] == [
        (pair.pk, True, "old")
    ]


def test_ranking_reads_the_same_number_of_queries_for_any_page_size(api, ranked):
    job, _ = ranked

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(url(job, page_size=50))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(20):
        PairFactory(job=job, score=0.5)
    assert queries() == few <= 8
