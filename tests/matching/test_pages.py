"""The internal pages: job list, ranked candidates with why, CSV export, resume page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.intake import resumes as intake_resumes
from matching.models import Pair, Resume
from matching.review import ratings as review_ratings
from matching.scoring import activation as scoring_activation
from tests.factories import JobFactory, PairFactory, ResumeFactory, ScoringModelFactory

pytestmark = pytest.mark.django_db

PYTHON_TEXT = "Ana. Python developer, five years of Django and PostgreSQL on AWS."
JAVA_TEXT = "Ben. Java engineer, Spring Boot and Kafka; some Python scripting."
NURSE_TEXT = "Cleo. Registered nurse, intensive care, triage and patient care."


def ranking_url(job, **params) -> str:
    url = reverse("matching:job_ranking", args=[job.pk])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def names_in_order(response) -> list[str]:
    return re.findall(r'class="cand-name"[^>]*>([^<]+)<', response.content.decode())


def percentages_in_order(response) -> list[str]:
    return re.findall(r'<span class="pct">(\d+%)</span>', response.content.decode())


def export_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def logged_in(client, reviewer):
    client.force_login(reviewer)
    return client


# --- access ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["job_list", "job_ranking", "job_export", "resume_detail", "resume_file"]
)
def test_every_page_redirects_anonymous_users_to_login(client, name):
    job = JobFactory()
    resume = ResumeFactory()
    args = {
        "job_list": [],
        "job_ranking": [job.pk],
        "job_export": [job.pk],
        "resume_detail": [resume.pk],
        "resume_file": [resume.pk],
    }[name]
    url = reverse(f"matching:{name}", args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


def test_login_page_signs_in_and_lands_on_job_list(client, reviewer):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b"Resume Screening" in page.content
    response = client.post(reverse("login"), {"username": "rita", "password": "pw-rita-2026"})
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:job_list")


def test_top_bar_logs_out_with_a_post_form(logged_in):
    html = logged_in.get(reverse("matching:job_list")).content.decode()
    assert re.search(rf'<form method="post" action="{reverse("logout")}">', html)
    assert "csrfmiddlewaretoken" in html
    assert f'href="{reverse("admin:index")}"' in html
    response = logged_in.post(reverse("logout"))
    assert response.status_code == 302
    assert logged_in.get(reverse("matching:job_list")).status_code == 302


# --- job list ----------------------------------------------------------------------------


def test_job_list_shows_open_jobs_with_counts_of_scored_candidates(logged_in, make_ranked_job):
    job, pairs = make_ranked_job([0.9, 0.5, 0.2], title="Backend developer")
    review_ratings.rating_create(pair=pairs[0], score=0.75)
    # Neither an unscored pair nor a resume without text counts as a scored candidate.
    PairFactory(job=job, score=None)
    failed = ResumeFactory(status=Resume.Status.FAILED, text="")
    PairFactory(resume=failed, job=job, score=0.99)
    JobFactory(title="Closed role", is_open=False)

    response = logged_in.get(reverse("matching:job_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Backend developer" in html
    assert "Closed role" not in html
    assert f'href="{ranking_url(job)}"' in html
    row = response.context["jobs"][0]
    assert (row.scored_count, row.rated_count, row.best_pct) == (3, 1, 90)


# --- ranking -----------------------------------------------------------------------------


def test_ranking_lists_candidates_best_first_with_score_percentages(logged_in, make_ranked_job):
    job, _ = make_ranked_job([0.41, 0.873, 0.65], names=["middle.pdf", "best.pdf", "second.pdf"])
    response = logged_in.get(ranking_url(job))
    assert response.status_code == 200
    assert names_in_order(response) == ["best.pdf", "second.pdf", "middle.pdf"]
    assert percentages_in_order(response) == ["87%", "65%", "41%"]


def test_ranking_shows_the_scoring_model_and_flags_an_older_one(logged_in, make_ranked_job):
    job, pairs = make_ranked_job([0.8, 0.6])
    old = ScoringModelFactory(version="custom-2026-01")
    Pair.objects.filter(pk=pairs[1].pk).update(scoring_model=old)

    html = logged_in.get(ranking_url(job)).content.decode()

    live = scoring_activation.scoring_model_active().version
    assert f"<code>{live}</code>" in html
    assert "<code>custom-2026-01</code>" in html
    assert html.count("older model</span>") == 1


def test_ranking_shows_human_rating_mean_and_count(logged_in, make_ranked_job):
    job, pairs = make_ranked_job([0.8, 0.6])
    review_ratings.rating_create(pair=pairs[0], score=1.0)
    review_ratings.rating_create(pair=pairs[0], score=0.5)

    html = logged_in.get(ranking_url(job)).content.decode()

    assert re.search(r'class="rating-mean"[^>]*>75%</strong>', html)
    assert "2 ratings" in html
    assert "Not rated yet" in html  # the second candidate


def test_ranking_explains_requirements_skills_and_passages(logged_in, make_ranked_job):
    job, pairs = make_ranked_job(
        [0.9, 0.3],
        texts=[PYTHON_TEXT, NURSE_TEXT],
        description="Python developer with Django, PostgreSQL and Docker.",
        must_have="Python\nDjango\nKubernetes",
        nice_to_have="AWS\nGraphQL",
    )
    response = logged_in.get(ranking_url(job))
    rows = {row.pair.pk: row.why for row in response.context["rows"]}

    python = rows[pairs[0].pk]
    assert python.must_found == ["Python", "Django"]
    assert python.must_missing == ["Kubernetes"]
    assert python.nice_found == ["AWS"]
    assert python.nice_missing == ["GraphQL"]
    assert "postgresql" in python.skills_found and "docker" in python.skills_missing
    assert python.passages and "Django" in python.passages[0]
    assert rows[pairs[1].pk].must_found == []
    # Skills are listed once: those a requirement already names are not repeated.
    row = response.context["rows"][0]
    assert (row.other_skills_found, row.other_skills_missing) == (["postgresql"], ["docker"])

    html = response.content.decode()
    assert re.search(r'class="chip found"[^>]*><span class="mark">✓</span>Django</span>', html)
    assert re.search(r'class="chip missing"[^>]*><span class="mark">✗</span>Kubernetes<', html)
    # Beside each verdict, the resume sentence that decides it.
    assert '<q class="evidence">Python developer, five years of Django and PostgreSQL' in html
    assert '<blockquote class="passage">Ana. Python developer' in html


def test_each_candidate_links_to_its_resume_and_to_its_rating_screen(logged_in, make_ranked_job):
    job, pairs = make_ranked_job([0.7])
    pair = pairs[0]
    html = logged_in.get(ranking_url(job)).content.decode()

    rate_url = reverse("matching:review_pair", args=[pair.pk])
    assert f'href="{rate_url}"' in html
    assert f'href="{reverse("matching:resume_detail", args=[pair.resume_id])}"' in html
    # The rating screen opens on that pair.
    screen = logged_in.get(rate_url)
    assert screen.status_code == 200
    assert pair.resume.original_name in screen.content.decode()


def test_min_score_filter_is_given_as_a_percentage(logged_in, make_ranked_job):
    job, _ = make_ranked_job([0.95, 0.6, 0.5, 0.49], names=["a", "b", "c", "d"])
    response = logged_in.get(ranking_url(job, min_score=50))
    assert names_in_order(response) == ["a", "b", "c"]
    assert response.context["page_obj"].paginator.count == 3


def test_rated_filter_keeps_only_rated_or_only_unrated_candidates(logged_in, make_ranked_job):
    job, pairs = make_ranked_job([0.9, 0.8, 0.7], names=["rated-1", "unrated", "rated-2"])
    review_ratings.rating_create(pair=pairs[0], score=0.5)
    review_ratings.rating_create(pair=pairs[2], score=1.0)

    assert names_in_order(logged_in.get(ranking_url(job, rated="yes"))) == ["rated-1", "rated-2"]
    assert names_in_order(logged_in.get(ranking_url(job, rated="no"))) == ["unrated"]
    assert len(names_in_order(logged_in.get(ranking_url(job, rated="all")))) == 3


def test_invalid_filter_values_show_an_error_and_list_everyone(logged_in, make_ranked_job):
    job, _ = make_ranked_job([0.9, 0.1])
    response = logged_in.get(ranking_url(job, min_score=150, rated="maybe"))
    assert response.status_code == 200
    assert len(names_in_order(response)) == 2
    assert "min_score" in response.context["form"].errors
    assert "rated" in response.context["form"].errors


def test_ranking_is_paginated_and_page_links_keep_the_filters(logged_in, settings, make_ranked_job):
    settings.RANKING_PAGE_SIZE = 3
    scores = [0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.3]
    job, _ = make_ranked_job(scores, names=[f"cand-{i}" for i in range(len(scores))])

    first = logged_in.get(ranking_url(job, min_score=60))
    assert names_in_order(first) == ["cand-0", "cand-1", "cand-2"]
    assert 'href="?min_score=60&amp;page=2"' in first.content.decode()

    second = logged_in.get(ranking_url(job, min_score=60, page=2))
    assert names_in_order(second) == ["cand-3", "cand-4", "cand-5"]
    assert [r.rank for r in second.context["rows"]] == [4, 5, 6]
    # A page past the end is a 404 that says so: tests/matching/test_site_pages.py.


def test_ranking_page_queries_do_not_grow_with_the_number_of_candidates(
    logged_in, make_ranked_job, django_assert_max_num_queries
):
    small, _ = make_ranked_job([0.5 + i / 100 for i in range(5)])
    large, _ = make_ranked_job([0.2 + i / 100 for i in range(30)])
    review_ratings.rating_create(pair=Pair.objects.filter(job=large).first(), score=0.5)
    logged_in.get(ranking_url(small))  # warm the live model row and session

    # Session, user, job, live model, count, page, explain_pairs' texts, job vector and
    # resume vectors, and the job's people-only candidates.
    counts = []
    for job in (small, large):
        with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as ctx:
            response = logged_in.get(ranking_url(job))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert len(response.context["rows"]) == 25
    assert counts[0] == counts[1]


# --- CSV export --------------------------------------------------------------------------


def test_csv_export_streams_the_filtered_ranking_with_requirements(logged_in, make_ranked_job):
    job, pairs = make_ranked_job(
        [0.3, 0.9, 0.7],
        texts=[NURSE_TEXT, PYTHON_TEXT, JAVA_TEXT],
        names=["cleo.pdf", "ana.pdf", "ben.docx"],
        must_have="Python\nDjango",
    )
    review_ratings.rating_create(pair=pairs[1], score=0.75)

    response = logged_in.get(reverse("matching:job_export", args=[job.pk]) + "?min_score=50")

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert export_rows(response) == [
        [
            "rank",
            "score",
            "candidate",
            "rating_mean",
            "rating_count",
            "must_have_found",
            "must_have_missing",
            "must_have_unclear",
            "must_have_evidence",
            "asks",
            "over_budget",
        ],
        [
            "1",
            "0.9000",
            "ana.pdf",
            "0.7500",
            "1",
            "Python; Django",
            "",
            "",
            "Python: Python developer, five years of Django and PostgreSQL on AWS. | "
            "Django: Python developer, five years of Django and PostgreSQL on AWS.",
            "",
            "",
        ],
        [
            "2",
            "0.7000",
            "ben.docx",
            "",
            "0",
            "Python",
            "Django",
            "",
            "Python: Java engineer, Spring Boot and Kafka; some Python scripting.",
            "",
            "",
        ],
    ]


def test_csv_export_lists_every_candidate_not_just_one_page(logged_in, settings, make_ranked_job):
    settings.RANKING_PAGE_SIZE = 2
    job, _ = make_ranked_job([i / 20 for i in range(12)])
    rows = export_rows(logged_in.get(reverse("matching:job_export", args=[job.pk])))
    assert [r[0] for r in rows[1:]] == [str(i) for i in range(1, 13)]
    assert [float(r[1]) for r in rows[1:]] == sorted((i / 20 for i in range(12)), reverse=True)


def test_csv_export_neutralises_file_names_that_look_like_formulas(logged_in, make_ranked_job):
    job, _ = make_ranked_job([0.5], names=["=HYPERLINK(1).pdf"])
    rows = export_rows(logged_in.get(reverse("matching:job_export", args=[job.pk])))
    assert rows[1][2] == "'=HYPERLINK(1).pdf"


# --- resumes -----------------------------------------------------------------------------


def test_resume_page_shows_text_best_jobs_and_a_download_link(logged_in):
    resume = ResumeFactory(original_name="ana.pdf", text=PYTHON_TEXT)
    model = scoring_activation.scoring_model_active()
    good = JobFactory(title="Python developer")
    weak = JobFactory(title="Nurse")
    PairFactory(resume=resume, job=weak, score=0.12, scoring_model=model)
    PairFactory(resume=resume, job=good, score=0.83, scoring_model=model)

    response = logged_in.get(reverse("matching:resume_detail", args=[resume.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>ana.pdf</h1>" in html
    assert "Text extracted" in html
    assert '<details class="text card" id="extracted-text">' in html
    assert PYTHON_TEXT in html
    assert html.index("Python developer") < html.index("Nurse")
    assert ">83%<" in html and ">12%<" in html
    assert f'href="{reverse("matching:resume_file", args=[resume.pk])}"' in html


def test_rejected_resume_page_shows_why(logged_in):
    resume = ResumeFactory(
        original_name="broken.pdf",
        text="",
        status=Resume.Status.FAILED,
        error_code="corrupt_pdf",
        error="broken.pdf: the PDF is damaged and cannot be read (no xref).",
    )
    html = logged_in.get(reverse("matching:resume_detail", args=[resume.pk])).content.decode()
    assert "Rejected" in html
    assert "broken.pdf: the PDF is damaged and cannot be read (no xref)." in html
    assert "Only resumes with extracted text are scored." in html


def test_resume_file_is_downloaded_as_an_attachment_by_logged_in_users(client, reviewer):
    data = b"%PDF-1.4 original bytes"
    resume = intake_resumes.resume_create(name="Jane Doe CV.pdf", data=data, schedule=False).resume
    url = reverse("matching:resume_file", args=[resume.pk])

    anonymous = client.get(url)
    assert anonymous.status_code == 302

    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Jane Doe CV.pdf"'
    assert b"".join(response.streaming_content) == data


def test_uploaded_files_are_not_served_under_a_public_url(logged_in):
    resume = ResumeFactory()
    assert resume.file.name
    assert logged_in.get("/media/" + resume.file.name).status_code == 404
    assert logged_in.get("/" + resume.file.name).status_code == 404


def test_missing_stored_file_is_a_404_not_a_crash(logged_in):
    resume = ResumeFactory()
    resume.file.storage.delete(resume.file.name)
    assert logged_in.get(reverse("matching:resume_file", args=[resume.pk])).status_code == 404
