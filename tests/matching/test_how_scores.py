"""The ranking page says the score is advisory and links to how it is made; that page
names the live model and, for a trained one, what it was measured at."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matching.models import ScoringModel
from tests.factories import JobFactory, ScoringModelFactory

pytestmark = pytest.mark.django_db


def test_the_ranking_page_says_the_score_is_advisory_and_links_to_how_it_is_made(client, member):
    client.force_login(member)
    page = client.get(reverse("matching:job_ranking", args=[JobFactory().pk])).content.decode()
    assert "Scores are advisory" in page
    assert reverse("matching:how_scores_are_made") in page


def test_how_a_score_is_made_names_the_pretrained_model(client, member):
    client.force_login(member)
    page = client.get(reverse("matching:how_scores_are_made")).content.decode()
    assert "Version <strong>pretrained</strong>" in page
    assert "nothing in this product rejects" in page
    assert "self-identification" in page
    assert "shows none of them keeps 70% of the score" in page
    assert "100% is rare" in page


def test_for_a_trained_model_it_gives_the_measured_figures_and_the_gates_verdict(client, member):
    ScoringModelFactory(
        version="custom-x",
        is_active=True,
        metrics={
            "n": 296,
            "spearman": 0.6312,
            "ci": {"spearman": [0.55, 0.72]},
            "band_accuracy": 0.78,
            "comparison": {"verdict": "better"},
        },
    )
    ScoringModel.objects.exclude(version="custom-x").update(is_active=False)
    client.force_login(member)
    page = client.get(reverse("matching:how_scores_are_made")).content.decode()
    assert "Version <strong>custom-x</strong>" in page
    assert "on 296 held-out pairs" in page and "Spearman 0.631" in page
    assert "95% interval 0.55 to 0.72" in page and 'the gate said "better"' in page
    # A trained head has its own calibration (knots fitted on its validation labels).
    assert "100% is rare" not in page


def test_signed_out_visitors_are_sent_to_log_in(client):
    assert client.get(reverse("matching:how_scores_are_made")).status_code == 302
