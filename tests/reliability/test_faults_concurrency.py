"""Two people (or a person and a worker) doing the same thing at the same moment: no lost
write, no duplicate, no error for either.

Each call runs in its own thread on its own database connection, lined up by a barrier
(tests/reliability/concurrent.py). On PostgreSQL the transactions truly overlap and the
row locks decide; on SQLite every write transaction takes the file's lock at BEGIN
(transaction_mode IMMEDIATE) and they queue. Both databases must give the same results.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Avg
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse

from matching.intake import resumes as intake_resumes
from matching.models import Pair, Rating, Resume, ScoringModel
from matching.review import ratings as review_ratings
from matching.review import services as review_services
from matching.scoring import activation as scoring_activation
from matching.scoring import services as scoring_services
from tests.api.helpers import token_client
from tests.conftest import PYTHON_RESUME
from tests.factories import JobFactory, ResumeFactory

from .concurrent import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def _live() -> list[ScoringModel]:
    return list(ScoringModel.objects.filter(is_active=True))


@pytest.mark.parametrize("first_ever", [True, False], ids=["fresh-install", "pretrained-live"])
def test_three_activations_at_once_leave_exactly_one_live_model_and_no_error(
    train_model, first_ever
):
    models = [train_model() for _ in range(3)]
    if first_ever:
        # Neither the pre-trained row nor any other is live yet: nothing to lock.
        ScoringModel.objects.filter(kind=ScoringModel.Kind.PRETRAINED).delete()
    else:
        JobFactory.create_batch(2)
        ResumeFactory.create_batch(12)
        scoring_services.pairs_score()

    returned = run_together(
        *(
            lambda m=m: scoring_activation.scoring_model_activate(model=m, force=True)
            for m in models
        )
    )

    assert [m.pk for m in returned] == [m.pk for m in models]
    live = _live()
    assert len(live) == 1
    assert live[0].pk in {m.pk for m in models}
    # Whichever came last re-scored last (inline here): every pair is on the live model.
    assert set(Pair.objects.values_list("scoring_model", flat=True)) <= {live[0].pk}


def test_ratings_saved_while_their_pair_is_rescored_are_all_counted(django_user_model):
    JobFactory.create_batch(3)
    ResumeFactory.create_batch(40)
    scoring_services.pairs_score()
    pair = Pair.objects.order_by("pk").first()
    reviewers = [
        django_user_model.objects.create_user(username=f"r{i}", password="pw-2026-x")
        for i in range(4)
    ]
    scores = [0.0, 0.25, 0.75, 1.0]

    def rescore_three_times() -> int:
        return sum(scoring_services.pairs_score() for _ in range(3))

    def rate(i: int):
        return lambda: review_ratings.rating_submit(
            pair=pair, reviewer=reviewers[i], score=scores[i]
        )

    run_together(
        rescore_three_times,
        *(rate(i) for i in range(4)),
        lambda: review_services.pair_settle(pair=pair, score=0.5, settled_by=reviewers[0]),
    )

    pair.refresh_from_db()
    assert pair.rating_count == 4
    assert pair.rating_mean == pytest.approx(0.5)
    assert pair.rating_spread == pytest.approx(1.0)
    assert pair.settled_score == 0.5
    # The re-scoring wrote its own columns and nothing else.
    assert pair.score is not None
    assert pair.scoring_model == _live()[0]
    assert Rating.objects.filter(pair=pair).count() == 4


def test_ratings_created_for_one_pair_at_once_are_all_counted(
    django_user_model,
):
    JobFactory()
    ResumeFactory()
    scoring_services.pairs_score()
    pair = Pair.objects.get()
    ann, bob, cid = (
        django_user_model.objects.create_user(username=name, password="pw-2026-x")
        for name in ("ann", "bob", "cid")
    )

    run_together(
        lambda: review_ratings.rating_create(pair=pair, score=0.2, reviewer=ann),
        lambda: review_ratings.rating_create(pair=pair, score=0.6, reviewer=bob),
        lambda: review_ratings.rating_create(pair=pair, score=1.0, reviewer=cid),
    )

    pair.refresh_from_db()
    assert pair.rating_count == 3
    assert pair.rating_mean == pytest.approx(0.6)
    assert pair.rating_mean == pytest.approx(
        Rating.objects.filter(pair=pair).aggregate(m=Avg("score"))["m"]
    )
    assert pair.rating_spread == pytest.approx(0.8)


def test_a_rating_edited_in_the_admin_while_another_is_submitted_keeps_both_in_the_stats(
    reviewer, django_user_model
):
    JobFactory()
    ResumeFactory()
    scoring_services.pairs_score()
    pair = Pair.objects.get()
    first = review_ratings.rating_submit(pair=pair, reviewer=reviewer, score=0.0).rating
    other = django_user_model.objects.create_user(username="otto", password="pw-2026-x")

    def edit_in_the_admin():
        client = Client()
        client.force_login(reviewer)
        return client.post(
            reverse("admin:matching_rating_change", args=[first.pk]),
            {"pair": pair.pk, "score": "1.0", "note": "changed my mind"},
        )

    def hold_the_new_rating_uncommitted(sender, instance: Rating, created: bool, **kwargs):
        # Widens the window in which the two transactions overlap: the submit's rating
        # stays uncommitted while the admin edit saves and counts. (A window, not a
        # timing assert: the outcome must be the same however the two interleave.)
        if created and instance.reviewer_id == other.pk:
            time.sleep(1.0)

    post_save.connect(hold_the_new_rating_uncommitted, sender=Rating, weak=False)
    try:
        edited, _ = run_together(
            edit_in_the_admin,
            lambda: review_ratings.rating_submit(pair=pair, reviewer=other, score=0.5),
        )
    finally:
        post_save.disconnect(hold_the_new_rating_uncommitted, sender=Rating)

    assert edited.status_code == 302
    pair.refresh_from_db()
    assert pair.rating_count == 2
    assert pair.rating_mean == pytest.approx(0.75)
    assert pair.rating_spread == pytest.approx(0.5)


def test_the_same_file_uploaded_twice_at_the_same_moment_is_one_resume_for_both(settings):
    data = PYTHON_RESUME.encode()

    first, second = run_together(
        lambda: intake_resumes.resume_create(name="jane.txt", data=data),
        lambda: intake_resumes.resume_create(name="jane-again.txt", data=data),
    )

    assert Resume.objects.count() == 1
    resume = Resume.objects.get()
    assert first.resume.pk == second.resume.pk == resume.pk
    assert sorted([first.created, second.created]) == [False, True]
    assert {first.outcome, second.outcome} == {"imported", "duplicate"}
    # The loser's copy of the file was removed: one stored file for one resume.
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored == [Path(resume.file.path)]


def test_the_same_file_posted_to_the_api_twice_at_once_gives_both_clients_the_resume(reviewer):
    data = PYTHON_RESUME.encode()

    def post():
        client = token_client(reviewer)
        return client.post(
            "/api/v1/resumes/",
            {"files": [SimpleUploadedFile("jane.txt", data)]},
            format="multipart",
        )

    responses = run_together(post, post)

    assert sorted(r.status_code for r in responses) == [200, 201]
    bodies = [r.json() for r in responses]
    assert {b["results"][0]["outcome"] for b in bodies} == {"imported", "duplicate"}
    assert len({b["results"][0]["resume"]["id"] for b in bodies}) == 1
    assert Resume.objects.count() == 1


def test_the_same_oversized_file_uploaded_twice_at_once_is_one_rejected_resume(settings, tmp_path):
    settings.RESUME_MAX_BYTES = 1024
    big = tmp_path / "huge.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"x" * 4096)

    def upload():
        return intake_resumes.resume_create_oversized(
            name="huge.pdf", size=big.stat().st_size, path=big
        )

    first, second = run_together(upload, upload)

    resume = Resume.objects.get()
    assert first.resume.pk == second.resume.pk == resume.pk
    assert {first.outcome, second.outcome} == {"rejected", "duplicate"}
    assert resume.error_code == "too_large"
