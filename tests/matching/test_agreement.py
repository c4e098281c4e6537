"""Agreement between reviewers (Krippendorff's alpha), conflicting pairs and settling them
in the admin."""

from __future__ import annotations

import numpy as np
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from matching.models import Pair, Rating
from matching.review import agreement as review_agreement
from matching.review import ratings as review_ratings
from matching.review import selectors as review_selectors
from matching.review import services as review_services
from matching.review.agreement import krippendorff_alpha_interval
from tests.factories import JobFactory, PairFactory

# --- Krippendorff's alpha --------------------------------------------------------------

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the worked example
# with missing values: 4 observers, 12 units, values 1..5 (None: not rated). The paper
# gives alpha = 0.849 with the interval metric (0.743 nominal, 0.797 ratio).
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def as_units(table: list[list[float | None]]) -> tuple[np.ndarray, np.ndarray]:
    units, values = [], []
    for row in table:
        for unit, value in enumerate(row):
            if value is not None:
                units.append(unit)
                values.append(value)
    return np.array(units), np.array(values, dtype=float)


def test_alpha_matches_krippendorffs_worked_example():
    alpha = krippendorff_alpha_interval(*as_units(KRIPPENDORFF_2011))
    assert round(alpha, 3) == 0.849


def test_alpha_matches_a_hand_computed_example():
    # Two reviewers, three pairs: (0, .5), (.5, .5), (1, 1). The six values have mean 7/12.
    # D_o = (2 * .5^2 / 1) / 6 = 1/12; D_e = 2 * 6 * sum((v - 7/12)^2) / (6 * 5) = 17/60;
    # alpha = 1 - (1/12) / (17/60) = 12/17.
    units = np.array([1, 1, 2, 2, 3, 3])
    values = np.array([0.0, 0.5, 0.5, 0.5, 1.0, 1.0])
    assert krippendorff_alpha_interval(units, values) == pytest.approx(12 / 17)


def test_units_with_one_rating_do_not_change_alpha():
    units, values = as_units(KRIPPENDORFF_2011)
    lone_units = np.concatenate([units, [100, 101]])
    lone_values = np.concatenate([values, [5.0, 1.0]])
    assert krippendorff_alpha_interval(lone_units, lone_values) == pytest.approx(
        krippendorff_alpha_interval(units, values)
    )


def test_alpha_is_one_for_perfect_agreement_and_negative_for_systematic_disagreement():
    assert krippendorff_alpha_interval([1, 1, 2, 2], [0.0, 0.0, 1.0, 1.0]) == pytest.approx(1.0)
    assert krippendorff_alpha_interval([1, 1, 2, 2], [0.0, 1.0, 1.0, 0.0]) < 0


def test_alpha_is_none_when_nothing_can_be_measured():
    assert krippendorff_alpha_interval([], []) is None
    assert krippendorff_alpha_interval([1, 2, 3], [0.1, 0.5, 0.9]) is None  # one value each
    assert krippendorff_alpha_interval([1, 1, 2, 2], [0.5] * 4) is None  # no variation


def test_alpha_refuses_units_and_values_of_different_lengths():
    with pytest.raises(ValueError, match="same length"):
        krippendorff_alpha_interval([1, 2], [0.5])


# --- agreement from the database -------------------------------------------------------


@pytest.fixture
def reviewers(django_user_model):
    """Four reviewers (observers of the worked example)."""
    return [
        django_user_model.objects.create_user(username=f"observer{i}", password="pw-obs-2026")
        for i in range(4)
    ]


def pairs_for(job, n: int) -> list[Pair]:
    return [PairFactory(job=job, score=0.5) for _ in range(n)]


@pytest.mark.django_db
def test_agreement_per_job_and_overall_from_reviewers_ratings(reviewers):
    """The worked example stored as ratings (values 1..5 are 1..5 stars) on one job, the
    hand-computed example on another; anonymous ratings are left out."""
    worked, small = JobFactory(title="A worked"), JobFactory(title="B small")
    worked_pairs = pairs_for(worked, 12)
    for reviewer, row in zip(reviewers, KRIPPENDORFF_2011, strict=True):
        for pair, stars in zip(worked_pairs, row, strict=True):
            if stars is not None:
                review_ratings.rating_submit(
                    pair=pair, reviewer=reviewer, score=Rating.stars_to_score(stars)
                )
    small_pairs = pairs_for(small, 3)
    for pair, (a, b) in zip(small_pairs, [(0.0, 0.5), (0.5, 0.5), (1.0, 1.0)], strict=True):
        review_ratings.rating_submit(pair=pair, reviewer=reviewers[0], score=a)
        review_ratings.rating_submit(pair=pair, reviewer=reviewers[1], score=b)
    review_ratings.rating_create(pair=small_pairs[1], score=0.0)  # no reviewer: left out

    report = review_agreement.reviewer_agreement()

    by_title = {row.job.title: row for row in report.jobs}
    assert round(by_title["A worked"].alpha, 3) == 0.849  # interval alpha is scale-free
    assert by_title["A worked"].pairs == 11  # unit 12 has one rating
    assert by_title["A worked"].ratings == 40
    assert by_title["B small"].alpha == pytest.approx(12 / 17)
    assert (by_title["B small"].pairs, by_title["B small"].ratings) == (3, 6)
    units, values = as_units(KRIPPENDORFF_2011)
    everything = krippendorff_alpha_interval(
        np.concatenate([units, [100, 100, 101, 101, 102, 102]]),
        np.concatenate([(values - 1) / 4, [0.0, 0.5, 0.5, 0.5, 1.0, 1.0]]),
    )
    assert report.overall.alpha == pytest.approx(everything)
    assert report.overall.pairs == 14


@pytest.mark.django_db
def test_a_reviewer_who_rated_a_pair_twice_counts_once_with_their_latest_rating(reviewers):
    pair, other = pairs_for(JobFactory(), 2)
    # Rating a pair again, from the admin then the API, updates the reviewer's one rating.
    review_ratings.rating_create(pair=pair, reviewer=reviewers[0], score=0.0)
    review_ratings.rating_create(pair=pair, reviewer=reviewers[0], score=0.5, source="api")
    review_ratings.rating_create(pair=pair, reviewer=reviewers[1], score=0.5)
    review_ratings.rating_create(pair=other, reviewer=reviewers[0], score=0.0)
    review_ratings.rating_create(pair=other, reviewer=reviewers[1], score=0.0)
    report = review_agreement.reviewer_agreement()
    assert report.overall.ratings == 4
    # Values: pair (0.5, 0.5), other (0, 0): perfect agreement.
    assert report.overall.alpha == pytest.approx(1.0)


@pytest.mark.django_db
def test_conflicts_are_ratings_a_band_or_more_apart(reviewers):
    near, far, typed, alone = pairs_for(JobFactory(), 4)
    for pair, scores in [(near, (0.5, 0.75)), (far, (0.25, 0.75)), (typed, (0.4, 0.7))]:
        for reviewer, score in zip(reviewers, scores, strict=False):
            review_ratings.rating_submit(pair=pair, reviewer=reviewer, score=score)
    review_ratings.rating_submit(pair=alone, reviewer=reviewers[0], score=0.0)
    # One star apart is no conflict, two stars are; 0.4 vs 0.7 is exactly a band.
    assert set(review_selectors.pairs_conflicting().values_list("pk", flat=True)) == {
        far.pk,
        typed.pk,
    }
    report = review_agreement.reviewer_agreement()
    assert report.overall.conflicts == 2
    review_services.pair_settle(pair=far, score=0.5, settled_by=reviewers[3])
    assert review_agreement.reviewer_agreement().overall.conflicts == 1


# --- the admin -------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def conflict(reviewers) -> Pair:
    """One pair rated 1 star and 4 stars by two reviewers, and one they agree on."""
    job = JobFactory(title="Nurse")
    pair, agreed = pairs_for(job, 2)
    review_ratings.rating_submit(pair=pair, reviewer=reviewers[0], score=0.0, note="no ICU")
    review_ratings.rating_submit(pair=pair, reviewer=reviewers[1], score=0.75)
    review_ratings.rating_submit(pair=agreed, reviewer=reviewers[0], score=0.5)
    review_ratings.rating_submit(pair=agreed, reviewer=reviewers[1], score=0.5)
    return pair


@pytest.mark.django_db
def test_admin_lists_only_conflicting_pairs_with_their_ratings(admin_client, conflict):
    response = admin_client.get(reverse("admin:matching_pairconflict_changelist"))
    assert response.status_code == 200
    assert [p.pk for p in response.context["cl"].result_list] == [conflict.pk]
    body = response.content.decode()
    assert "observer0 0%, observer1 75%" in body
    assert reverse("admin:matching_agreement") in body


@pytest.mark.django_db
def test_admin_agreement_page_shows_alpha_per_job_and_overall(admin_client, conflict):
    response = admin_client.get(reverse("admin:matching_agreement"))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.jobs[0].job.title == "Nurse"
    body = response.content.decode()
    assert f"{report.overall.alpha:.3f}" in body
    assert 'class="job" data-job="' in body
    # Linked from the ratings list.
    ratings = admin_client.get(reverse("admin:matching_rating_changelist")).content.decode()
    assert reverse("admin:matching_agreement") in ratings


@pytest.mark.django_db
def test_a_lead_settles_a_conflict_with_stars(admin_client, conflict):
    url = reverse("admin:matching_pairconflict_settle", args=[conflict.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "no ICU" in page.content.decode()
    response = admin_client.post(url, {"stars": "3"})
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.settled_score == 0.5
    assert conflict.settled_by.username == "rita"


@pytest.mark.django_db
def test_settling_without_a_score_or_stars_is_refused(admin_client, conflict):
    url = reverse("admin:matching_pairconflict_settle", args=[conflict.pk])
    response = admin_client.post(url, {})
    assert "Give a score between 0 and 1 or a number of stars." in response.content.decode()
    conflict.refresh_from_db()
    assert conflict.settled_score is None


@pytest.mark.django_db
def test_admin_action_settles_selected_conflicts_at_the_mean(admin_client, conflict):
    response = admin_client.post(
        reverse("admin:matching_pairconflict_changelist"),
        {"action": "settle_at_mean", "_selected_action": [conflict.pk]},
    )
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.settled_score == pytest.approx(0.375)


@pytest.mark.django_db
def test_only_a_lead_with_the_settle_permission_may_settle(client, django_user_model, conflict):
    staff = django_user_model.objects.create_user(
        username="sam", password="pw-sam-2026", is_staff=True
    )
    staff.user_permissions.add(Permission.objects.get(codename="view_pairconflict"))
    client.force_login(staff)
    url = reverse("admin:matching_pairconflict_settle", args=[conflict.pk])
    assert client.post(url, {"stars": "5"}).status_code == 403
    listing = client.get(reverse("admin:matching_pairconflict_changelist"))
    assert "settle_at_mean" not in listing.content.decode()

    staff.user_permissions.add(Permission.objects.get(codename="settle_pair"))
    staff = django_user_model.objects.get(pk=staff.pk)  # fresh permission cache
    client.force_login(staff)
    assert client.post(url, {"stars": "5"}).status_code == 302
    conflict.refresh_from_db()
    assert conflict.settled_score == 1.0


@pytest.mark.django_db
def test_rating_twice_in_the_admin_updates_the_reviewers_rating(admin_client, reviewer):
    pair = PairFactory(score=0.3)
    url = reverse("admin:matching_rating_add")
    admin_client.post(url, {"pair": pair.pk, "stars": "2"})
    admin_client.post(url, {"pair": pair.pk, "stars": "5", "note": "second look"})
    (rating,) = Rating.objects.filter(pair=pair)
    assert (rating.reviewer, rating.score, rating.note) == (reviewer, 1.0, "second look")
