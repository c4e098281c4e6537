"""Reviewers in the Django admin: bulk upload, rating by score or stars, pair filters."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from matching.models import Pair, Rating, Resume
from matching.review import ratings as review_ratings
from tests.conftest import NURSE_RESUME, PYTHON_RESUME, make_pdf
from tests.factories import JobFactory, PairFactory, ResumeFactory

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
    response = admin_client.post(
        reverse("admin:matching_resume_upload"), {"files": files}, follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "2 imported (scoring in the background), 0 already present, 1 rejected." in body
    assert "broken.pdf:" in body
    assert Resume.objects.filter(status="extracted").count() == 2
    assert Resume.objects.get(original_name="broken.pdf").status == "failed"
    assert Pair.objects.filter(score__isnull=False).count() == 2


def test_rating_with_stars_maps_to_a_score_and_records_the_reviewer(admin_client, reviewer):
    pair = PairFactory(score=0.3)
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
    pair = PairFactory(score=0.3)
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
    unrated = PairFactory(job=job, score=0.5)
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


# --- issue 14: permissions, one rating per reviewer, audited changes, uploads -------------


def _staff(django_user_model, username: str, *codenames: str):
    """A staff user (not a superuser) with only the given matching permissions."""
    user = django_user_model.objects.create_user(username=username, password="pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="matching", codename__in=codenames)
    )
    return user


RATER_PERMS = ("view_pair", "view_rating", "add_rating", "change_rating", "delete_rating")


@pytest.fixture
def rater(django_user_model):
    """A reviewer who rates in the admin: staff, with the rating permissions only."""
    return _staff(django_user_model, "rae", *RATER_PERMS)


@pytest.fixture
def lead(django_user_model):
    """A team lead who may also change and delete other reviewers' ratings."""
    return _staff(django_user_model, "lee", *RATER_PERMS, "change_others_rating")


@pytest.fixture
def others_rating(django_user_model):
    """A rating given by another reviewer, with the pair's statistics in step."""
    other = django_user_model.objects.create_user(username="otto")
    pair = PairFactory(score=0.4)
    return review_ratings.rating_submit(pair=pair, reviewer=other, score=0.25).rating


def _change(client, rating: Rating, **fields):
    data = {"score": rating.score, "stars": "", "note": rating.note, **fields}
    return client.post(reverse("admin:matching_rating_change", args=[rating.pk]), data)


def test_bulk_upload_needs_the_add_resume_permission_as_the_api_does(client, django_user_model):
    rater = _staff(django_user_model, "rae", *RATER_PERMS, "view_resume")
    client.force_login(rater)
    url = reverse("admin:matching_resume_upload")
    assert client.get(url).status_code == 403
    upload = SimpleUploadedFile("john.txt", NURSE_RESUME.encode(), "text/plain")
    assert client.post(url, {"files": [upload]}).status_code == 403
    assert not Resume.objects.exists()
    rater.user_permissions.add(Permission.objects.get(codename="add_resume"))
    assert client.get(url).status_code == 200


def test_a_reviewer_cannot_change_or_delete_another_reviewers_rating(
    client, rater, others_rating, settings
):
    # Rating in sight (blind rating hides it altogether): the change itself is refused.
    settings.BLIND_RATING = False
    client.force_login(rater)
    assert _change(client, others_rating, score=1.0).status_code == 403
    delete_url = reverse("admin:matching_rating_delete", args=[others_rating.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [others_rating.pk], "post": "yes"}
    assert client.post(reverse("admin:matching_rating_changelist"), bulk).status_code == 403
    others_rating.refresh_from_db()
    assert others_rating.score == 0.25


def test_a_reviewer_changes_their_own_rating_through_the_service(client, rater):
    pair = PairFactory(score=0.4)
    mine = review_ratings.rating_submit(pair=pair, reviewer=rater, score=0.25).rating
    client.force_login(rater)
    assert _change(client, mine, score=0.75, note="second look").status_code == 302
    pair.refresh_from_db()
    assert (pair.rating_count, pair.rating_mean) == (1, 0.75)


def test_a_rating_cannot_be_moved_to_another_pair_in_the_admin(client, rater):
    pair = PairFactory(score=0.4)
    other_pair = PairFactory(job=pair.job, score=0.9)
    mine = review_ratings.rating_submit(pair=pair, reviewer=rater, score=0.25).rating
    client.force_login(rater)
    _change(client, mine, pair=other_pair.pk, score=0.5)
    mine.refresh_from_db()
    assert mine.pair_id == pair.pk
    other_pair.refresh_from_db()
    assert other_pair.rating_count == 0


def test_a_lead_changes_another_reviewers_rating_audited_before_and_after(
    client, lead, others_rating
):
    client.force_login(lead)
    assert _change(client, others_rating, score=1.0, note="lead's view").status_code == 302
    others_rating.refresh_from_db()
    assert others_rating.score == 1.0
    assert others_rating.reviewer.username == "otto"  # still credited to its reviewer
    others_rating.pair.refresh_from_db()
    assert others_rating.pair.rating_mean == 1.0
    event = AuditEvent.objects.get(action="rating_changed")
    assert event.actor == lead
    assert event.details["before"]["score"] == 0.25
    assert event.details["after"]["score"] == 1.0
    assert event.details["reviewer"] == others_rating.reviewer_id


def test_bulk_delete_refreshes_the_pairs_statistics_and_is_audited(client, lead, others_rating):
    pair = others_rating.pair
    client.force_login(lead)
    bulk = {"action": "delete_selected", "_selected_action": [others_rating.pk], "post": "yes"}
    assert client.post(reverse("admin:matching_rating_changelist"), bulk).status_code == 302
    assert not Rating.objects.exists()
    pair.refresh_from_db()
    assert (pair.rating_count, pair.rating_mean, pair.rating_spread) == (0, None, None)
    event = AuditEvent.objects.get(action="rating_deleted")
    assert (event.actor, event.details["before"]["score"]) == (lead, 0.25)


def test_the_pair_admin_shows_ratings_and_settled_scores_read_only(admin_client, others_rating):
    # Even a superuser: ratings change in the ratings admin, scores are settled by settling.
    pair = others_rating.pair
    url = reverse("admin:matching_pair_change", args=[pair.pk])
    body = admin_client.get(url).content.decode()
    assert 'name="ratings-0-score"' not in body
    assert 'name="settled_score"' not in body
    admin_client.post(
        url,
        {
            "settled_score": "0.9",
            "ratings-TOTAL_FORMS": "1",
            "ratings-INITIAL_FORMS": "1",
            "ratings-0-id": others_rating.pk,
            "ratings-0-pair": pair.pk,
            "ratings-0-score": "1.0",
        },
    )
    others_rating.refresh_from_db()
    pair.refresh_from_db()
    assert (others_rating.score, pair.settled_score) == (0.25, None)


def test_stars_and_a_score_that_contradict_each_other_are_refused(admin_client):
    pair = PairFactory(score=0.3)
    response = admin_client.post(
        reverse("admin:matching_rating_add"), {"pair": pair.pk, "score": "0.2", "stars": "5"}
    )
    assert response.status_code == 200
    assert "5 stars is a score of 1.00, not 0.20" in response.content.decode()
    assert not Rating.objects.exists()


def test_rating_a_pair_again_in_the_admin_says_updated_with_candidate_and_job(admin_client):
    resume = ResumeFactory(original_name="Amelia_Hart.pdf")
    pair = PairFactory(resume=resume, job=JobFactory(title="ICU nurse"), score=0.3)
    url = reverse("admin:matching_rating_add")

    def said(response) -> list[str]:
        return [str(m) for m in response.context["messages"]]

    first = admin_client.post(url, {"pair": pair.pk, "stars": "2"}, follow=True)
    assert said(first) == ["Your rating of Amelia_Hart.pdf for ICU nurse was added: 25%."]
    again = admin_client.post(url, {"pair": pair.pk, "stars": "4"}, follow=True)
    assert said(again) == ["Your rating of Amelia_Hart.pdf for ICU nurse was updated: 75%."]
    assert Rating.objects.get().score == 0.75


def test_an_empty_file_in_an_admin_batch_is_named_and_the_others_are_imported(
    admin_client, demo_dir
):
    real = sorted((demo_dir / "resumes").iterdir())[:11]
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in real]
    files.append(SimpleUploadedFile("empty.pdf", b"", "application/pdf"))
    response = admin_client.post(
        reverse("admin:matching_resume_upload"), {"files": files}, follow=True
    )
    body = response.content.decode()
    assert "11 imported (scoring in the background), 0 already present, 1 rejected." in body
    assert "empty.pdf: the file is empty." in body
    assert Resume.objects.filter(status="extracted").count() == 11


def test_reloading_the_upload_result_page_does_not_upload_again(admin_client):
    url = reverse("admin:matching_resume_upload")
    files = [SimpleUploadedFile("john.txt", NURSE_RESUME.encode(), "text/plain")]
    response = admin_client.post(url, {"files": files})
    assert response.status_code == 302
    first = admin_client.get(response["Location"])
    reload = admin_client.get(response["Location"])
    for page in (first, reload):
        assert [(r["name"], r["outcome"]) for r in page.context["results"]] == [
            ("john.txt", "imported")
        ]
    assert Resume.objects.count() == 1


def test_filtered_admin_lists_count_their_rows_rather_than_estimate(rater, admin_client):
    """The Ratings list of a reviewer (filtered by the blind-rating rule) and a filtered
    Resumes list said "100000" whatever they held: a filtered list is counted exactly."""
    pair = PairFactory(score=0.4)
    review_ratings.rating_submit(pair=pair, reviewer=rater, score=0.5)
    client = Client()
    client.force_login(rater)
    ratings = client.get(reverse("admin:matching_rating_changelist")).content.decode()
    assert "100000" not in ratings and "100,000" not in ratings
    assert "1 rating" in ratings

    ResumeFactory(status=Resume.Status.FAILED)
    ResumeFactory(status=Resume.Status.FAILED)
    failed = admin_client.get(
        reverse("admin:matching_resume_changelist"), {"status__exact": "failed"}
    ).content.decode()
    assert "100000" not in failed and "100,000" not in failed
    assert "2 resumes" in failed
