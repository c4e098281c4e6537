"""Blind rating beyond the rating screen (issue 14, item 7): with BLIND_RATING on, other
reviewers' ratings of a pair stay hidden from a reviewer until they have rated it, on
every surface that shows them; leads with the settle permission see them all.

One scenario, walked on each surface: a colleague rated the pair 0.75 (75%); the newcomer
has not rated it yet, then rates it 0.25 (the mean becomes 50%).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from matching.models import Pair
from matching.review import ratings as review_ratings

pytestmark = pytest.mark.django_db

COLLEAGUE_SCORE = 0.75
NEWCOMER_SCORE = 0.25


def _mean_on_ranking_page(client: Client, pair: Pair) -> float | None:
    html = client.get(reverse("matching:job_ranking", args=[pair.job_id])).content.decode()
    found = re.search(r'class="rating-mean"[^>]*>(\d+)%<', html)
    if found is None:
        assert "75%" not in html
        return None
    return int(found.group(1)) / 100


def _mean_on_resume_page(client: Client, pair: Pair) -> float | None:
    html = client.get(reverse("matching:resume_detail", args=[pair.resume_id])).content.decode()
    found = re.search(r'class="rating-mean"[^>]*>(\d+)%', html)
    if found is None:
        assert "75%" not in html
        return None
    return int(found.group(1)) / 100


def _mean_in_csv_export(client: Client, pair: Pair) -> float | None:
    response = client.get(reverse("matching:job_export", args=[pair.job_id]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    cell = rows[1][rows[0].index("rating_mean")]
    return float(cell) if cell else None


def _mean_in_ranking_api(client: Client, pair: Pair) -> float | None:
    row = client.get(reverse("api:job-ranking", args=[pair.job_id])).json()["results"][0]
    assert row["ratings_hidden"] is (row["rating_mean"] is None)
    return row["rating_mean"]


def _mean_in_best_jobs_api(client: Client, pair: Pair) -> float | None:
    row = client.get(reverse("api:resume-best-jobs", args=[pair.resume_id])).json()["results"][0]
    assert row["ratings_hidden"] is (row["rating_mean"] is None)
    return row["rating_mean"]


def _mean_in_ratings_list_api(client: Client, pair: Pair) -> float | None:
    """The mean of the ratings `GET /api/v1/ratings/?resume=&job=` lists."""
    response = client.get(
        reverse("api:rating-list"), {"resume": pair.resume_id, "job": pair.job_id}
    )
    assert response.status_code == 200, response.content
    scores = [r["score"] for r in response.json()["results"]]
    return sum(scores) / len(scores) if scores else None


SURFACES: dict[str, Callable[[Client, Pair], float | None]] = {
    "ranking page": _mean_on_ranking_page,
    "resume page": _mean_on_resume_page,
    "csv export": _mean_in_csv_export,
    "ranking api": _mean_in_ranking_api,
    "best jobs api": _mean_in_best_jobs_api,
    "ratings list api": _mean_in_ratings_list_api,
}


@pytest.fixture
def rated_pair(make_ranked_job, django_user_model) -> Pair:
    """A scored pair a colleague has rated 0.75."""
    _, (pair,) = make_ranked_job([0.6])
    colleague = django_user_model.objects.create_user(username="colleague", password="pw-c-2026")
    review_ratings.rating_submit(pair=pair, reviewer=colleague, score=COLLEAGUE_SCORE, note="")
    return pair


@pytest.fixture
def newcomer(django_user_model):
    """A plain reviewer (no staff flag, no permissions) who has not rated the pair."""
    return django_user_model.objects.create_user(username="newcomer", password="pw-n-2026")


@pytest.fixture
def lead(django_user_model):
    """A lead: not a superuser, but holds the permission to settle conflicting pairs."""
    user = django_user_model.objects.create_user(username="lead", password="pw-l-2026")
    user.user_permissions.add(Permission.objects.get(codename="settle_pair"))
    return user


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("surface", SURFACES)
def test_blind_rating_hides_others_ratings_until_the_reviewer_rated_the_pair(
    surface, rated_pair, newcomer, settings
):
    settings.BLIND_RATING = True
    read = SURFACES[surface]
    client = _client(newcomer)
    assert read(client, rated_pair) is None

    review_ratings.rating_submit(pair=rated_pair, reviewer=newcomer, score=NEWCOMER_SCORE, note="")
    assert read(client, rated_pair) == pytest.approx((COLLEAGUE_SCORE + NEWCOMER_SCORE) / 2)


@pytest.mark.parametrize("surface", SURFACES)
def test_a_lead_with_the_settle_permission_sees_ratings_without_rating(
    surface, rated_pair, lead, settings
):
    settings.BLIND_RATING = True
    assert SURFACES[surface](_client(lead), rated_pair) == pytest.approx(COLLEAGUE_SCORE)


@pytest.mark.parametrize("surface", SURFACES)
def test_without_blind_rating_every_reviewer_sees_others_ratings(
    surface, rated_pair, newcomer, settings
):
    settings.BLIND_RATING = False
    assert SURFACES[surface](_client(newcomer), rated_pair) == pytest.approx(COLLEAGUE_SCORE)


def test_the_ranking_page_says_ratings_are_hidden_until_the_reviewer_rates(
    rated_pair, newcomer, settings
):
    settings.BLIND_RATING = True
    url = reverse("matching:job_ranking", args=[rated_pair.job_id])
    html = _client(newcomer).get(url).content.decode()
    # The count stays: it says the pair was reviewed, not how.
    assert "1 rating" in html
    assert "hidden until you rate" in html


def test_the_ratings_list_shows_a_reviewer_their_own_ratings_not_others_unrated_pairs(
    make_ranked_job, rated_pair, newcomer, settings
):
    settings.BLIND_RATING = True
    _, (mine,) = make_ranked_job([0.4])
    review_ratings.rating_submit(pair=mine, reviewer=newcomer, score=NEWCOMER_SCORE, note="")
    response = _client(newcomer).get(reverse("api:rating-list"))
    assert [(r["pair"], r["score"]) for r in response.json()["results"]] == [
        (mine.pk, NEWCOMER_SCORE)
    ]


def test_the_api_marks_nothing_hidden_on_a_pair_nobody_has_rated(
    make_ranked_job, newcomer, settings
):
    settings.BLIND_RATING = True
    job, _ = make_ranked_job([0.6])
    row = _client(newcomer).get(reverse("api:job-ranking", args=[job.pk])).json()["results"][0]
    assert (row["rating_mean"], row["rating_count"], row["ratings_hidden"]) == (None, 0, False)


# --- the admin: the Pairs list, a pair's page and the Ratings list follow the same rule ---


def _admin_reviewer(django_user_model, username: str):
    """A staff reviewer with the rating permissions only (no settle permission)."""
    user = django_user_model.objects.create_user(
        username=username, password="pw-s-2026", is_staff=True
    )
    codenames = ["view_pair", "view_rating", "add_rating", "change_rating"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def _admin_cells(client: Client, url: str, column: str) -> list[str]:
    html = client.get(url).content.decode()
    return re.findall(rf'class="field-{column}"[^>]*>([^<]*)<', html)


@pytest.mark.parametrize("blind", [True, False])
def test_the_admin_lists_hide_others_ratings_until_the_reviewer_rated_the_pair(
    rated_pair, django_user_model, settings, blind
):
    settings.BLIND_RATING = blind
    client = _client(_admin_reviewer(django_user_model, "staffer"))
    pairs_url = reverse("admin:matching_pair_changelist")
    ratings_url = reverse("admin:matching_rating_changelist")
    pair_url = reverse("admin:matching_pair_change", args=[rated_pair.pk])

    if blind:
        assert _admin_cells(client, pairs_url, "human_score") == ["hidden until you rate"]
        assert _admin_cells(client, ratings_url, "human_score") == []
        assert "75%" not in client.get(pair_url).content.decode()
    else:
        assert _admin_cells(client, pairs_url, "human_score") == ["75%"]
        assert _admin_cells(client, ratings_url, "human_score") == ["75%"]


def test_the_admin_shows_others_ratings_once_the_reviewer_rated_the_pair(
    rated_pair, django_user_model, settings
):
    settings.BLIND_RATING = True
    staffer = _admin_reviewer(django_user_model, "staffer")
    review_ratings.rating_submit(pair=rated_pair, reviewer=staffer, score=NEWCOMER_SCORE, note="")
    client = _client(staffer)
    pairs_url = reverse("admin:matching_pair_changelist")
    ratings_url = reverse("admin:matching_rating_changelist")
    assert _admin_cells(client, pairs_url, "human_score") == ["50%"]
    assert sorted(_admin_cells(client, ratings_url, "human_score")) == ["25%", "75%"]


def test_the_admin_ratings_list_names_candidates_by_number_in_the_anonymized_view(
    rated_pair, django_user_model, settings
):
    settings.BLIND_RATING = False
    settings.ANONYMIZE_REVIEWS = True
    client = _client(_admin_reviewer(django_user_model, "staffer"))
    html = client.get(reverse("admin:matching_rating_changelist")).content.decode()
    assert rated_pair.resume.original_name not in html
    assert f"Candidate #{rated_pair.resume_id}" in html
