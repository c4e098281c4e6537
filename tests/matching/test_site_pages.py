"""The site's pages as a new user meets them (issue 14, items 20 and 21): error pages in
the site's layout, a favicon, a ranking page past its end, and the ranking's labels,
disagreement flag and scoring progress. The phone layout: test_site_pages_browser.py."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.template import loader
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from matching.models import Pair
from matching.review import ratings as review_ratings
from tests.factories import JobFactory, ResumeFactory, ScoringModelFactory

pytestmark = pytest.mark.django_db

FAVICON = "matching/favicon.svg"
LAYOUT = '<header class="topbar">'


@pytest.fixture
def logged_in(client, reviewer):
    client.force_login(reviewer)
    return client


def ranking_url(job, **params) -> str:
    url = reverse("matching:job_ranking", args=[job.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


# --- error pages and favicon (item 20) ---------------------------------------------------


def test_a_missing_page_is_a_404_in_the_sites_layout(logged_in):
    response = logged_in.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert LAYOUT in html and "Page not found" in html
    assert "Resolver404" not in html
    assert "/no-such-page/" in html
    # Signed in: the top bar is the usual one.
    assert "Log out" in html


def test_a_missing_job_says_what_was_not_found_in_the_sites_layout(logged_in):
    response = logged_in.get(reverse("matching:job_ranking", args=[987654]))
    assert response.status_code == 404
    html = response.content.decode()
    assert LAYOUT in html and "No Job matches the given query." in html


def test_the_500_page_uses_the_sites_layout_without_a_request_context():
    # Django renders it with no request and no context processors (server_error).
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert LAYOUT in html and "Something went wrong" in html
    assert "Log out" not in html
    assert loader.get_template("500.html").render({}) == html


def test_the_site_and_the_admin_link_the_favicon_from_static_files(logged_in):
    assert finders.find(FAVICON) is not None
    link = f'<link rel="icon" href="/static/{FAVICON}" type="image/svg+xml">'
    assert link in logged_in.get(reverse("matching:job_list")).content.decode()
    assert link in logged_in.get(reverse("admin:index")).content.decode()
    assert link in logged_in.get(reverse("admin:matching_job_changelist")).content.decode()
    assert link in server_error(RequestFactory().get("/")).content.decode()


@pytest.mark.parametrize("page", ["999", "x", "0"])
def test_a_ranking_page_past_the_end_is_a_404_that_says_so(logged_in, make_ranked_job, page):
    job, _ = make_ranked_job([0.9, 0.5])
    response = logged_in.get(ranking_url(job, page=page))
    assert response.status_code == 404
    html = response.content.decode()
    assert LAYOUT in html
    assert f"Page {page} of this ranking does not exist: it has 1 page." in html


def test_the_first_ranking_page_of_a_job_without_candidates_is_no_404(logged_in):
    job = JobFactory()
    assert logged_in.get(ranking_url(job)).status_code == 200
    assert logged_in.get(ranking_url(job, page=1)).status_code == 200


# --- the ranking page (item 21) -----------------------------------------------------------


def test_ranking_labels_the_model_score_and_the_reviewers_mean(logged_in, make_ranked_job):
    job, pairs = make_ranked_job([0.8, 0.6])
    review_ratings.rating_create(pair=pairs[0], score=0.75)
    html = logged_in.get(ranking_url(job)).content.decode()
    assert html.count('<span class="metric-label">Model score</span>') == 2
    assert html.count('<span class="metric-label">Reviewers\' mean</span>') == 2


def test_ranking_flags_candidates_whose_reviewers_disagree_with_the_model(
    logged_in, make_ranked_job, settings
):
    settings.DISAGREEMENT_THRESHOLD = 0.3
    job, pairs = make_ranked_job([0.9, 0.6, 0.2], names=["far.pdf", "near.pdf", "low.pdf"])
    review_ratings.rating_create(pair=pairs[0], score=0.25)  # 65 points under the model
    review_ratings.rating_create(pair=pairs[1], score=0.5)  # 10 points: agrees
    review_ratings.rating_create(pair=pairs[2], score=0.5)  # exactly 30 points over: disagrees

    html = logged_in.get(ranking_url(job)).content.decode()

    flagged = re.findall(
        r'class="cand-name"[^>]*>([^<]+)<(?:(?!class="candidate).)*?Disagrees with model',
        html,
        flags=re.S,
    )
    assert flagged == ["far.pdf", "low.pdf"]
    assert "30 points or more from the model score" in html


def test_ranking_hides_the_disagreement_from_a_reviewer_who_has_not_rated(
    client, make_ranked_job, django_user_model, settings
):
    settings.BLIND_RATING = True
    job, pairs = make_ranked_job([0.9])
    review_ratings.rating_create(pair=pairs[0], score=0.0)
    newcomer = django_user_model.objects.create_user(username="new", password="pw-new-2026")
    client.force_login(newcomer)
    assert "Disagrees with model" not in client.get(ranking_url(job)).content.decode()


def test_ranking_shows_scoring_in_progress_while_pairs_of_the_job_are_pending(
    logged_in, make_ranked_job
):
    job, pairs = make_ranked_job([0.8, 0.6, 0.4])
    ResumeFactory()  # readable, not paired with the job yet
    older = ScoringModelFactory(version="custom-2026-01")
    Pair.objects.filter(pk=pairs[2].pk).update(scoring_model=older)  # re-scoring pending

    html = logged_in.get(ranking_url(job)).content.decode()

    assert 'id="job-scoring-progress"' in html
    assert "Scoring in progress (2 of 4)" in html


def test_ranking_shows_no_progress_once_every_pair_of_the_job_is_scored(logged_in, make_ranked_job):
    job, _ = make_ranked_job([0.8, 0.6])
    html = logged_in.get(ranking_url(job)).content.decode()
    assert 'id="job-scoring-progress"' not in html


def test_a_closed_job_shows_no_scoring_progress(logged_in, make_ranked_job):
    job, _ = make_ranked_job([0.8], is_open=False)
    ResumeFactory()
    html = logged_in.get(ranking_url(job)).content.decode()
    assert 'id="job-scoring-progress"' not in html
