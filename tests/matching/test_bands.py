"""The bands and the conflict rule are defined once (matching.bands): the review queue and
training agree on them, float error included."""

from __future__ import annotations

import numpy as np
import pytest

from matching import bands
from matching.review import selectors as review_selectors
from matching.review.ratings import rating_submit
from tests.factories import JobFactory, PairFactory
from training import datasets
from training.datasets import Example


def test_band_edges():
    assert bands.band_index(np.array([0.0, 0.2999, 0.3, 0.6999, 0.7, 1.0])).tolist() == [
        0,
        0,
        1,
        1,
        2,
        2,
    ]
    assert [bands.band_of(s) for s in (0.1, 0.3, 0.7)] == ["poor", "partial", "good"]
    assert [bands.css_level(s) for s in (None, 0.29, 0.3, 0.69, 0.7)] == [
        "none",
        "low",
        "mid",
        "mid",
        "high",
    ]


@pytest.mark.django_db
def test_ratings_of_0_4_and_0_7_conflict_in_the_queue_and_in_training(django_user_model, settings):
    settings.REVIEWS_WANTED_PER_PAIR = 3  # both pairs still wanted: the order decides
    ann = django_user_model.objects.create_user(username="ann")
    bob = django_user_model.objects.create_user(username="bob")
    cid = django_user_model.objects.create_user(username="cid")
    job = JobFactory()
    pair = PairFactory(job=job, score=0.5)
    agreed = PairFactory(job=job, score=0.5)
    rating_submit(pair=pair, reviewer=ann, score=0.4)
    rating_submit(pair=pair, reviewer=bob, score=0.7)  # 0.7 - 0.4 is 0.29999999999999993
    rating_submit(pair=agreed, reviewer=ann, score=0.4)
    rating_submit(pair=agreed, reviewer=bob, score=0.5)

    assert pair in review_selectors.pairs_conflicting()
    assert agreed not in review_selectors.pairs_conflicting()
    # A third reviewer is asked about the conflict first.
    queue = list(review_selectors.review_queue(reviewer=cid))
    assert queue.index(pair) < queue.index(agreed)

    rows = [Example(resume="r", job="j", score=0.4), Example(resume="r", job="j", score=0.7)]
    assert datasets.merge_duplicates(rows)[1] == 1
    assert bands.is_conflict(0.4, 0.7)
    assert not bands.is_conflict(0.4, 0.69)
