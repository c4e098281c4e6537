"""Model cards: written into training_metadata.json when a run publishes its version,
read back with its activations and adverse-impact figures added, as JSON and Markdown,
for those who may see model versions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fairness.models import SelfIdentification
from matching.models_store import read_metadata
from matching.scoring import services as scoring_services
from matching.scoring.activation import scoring_model_activate
from tests.api.helpers import token_client
from tests.factories import JobFactory, ResumeFactory

pytestmark = pytest.mark.django_db


def test_a_trained_versions_card_is_written_at_publishing_and_read_back(better_run, manager):
    model = better_run.output_model
    stored = read_metadata(model.version)["model_card"]
    assert stored["training"]["run"] == better_run.pk
    assert stored["training"]["data"]["train"]["examples"] == 63
    assert stored["metrics"]["comparison"]["verdict"] == "better"

    api = token_client(manager)
    url = reverse("api:model-card", args=[model.version])
    card = api.get(url).json()
    assert card["version"] == model.version and card["kind"] == "custom"
    low, high = card["metrics"]["ci"]["spearman"]
    assert low <= card["metrics"]["spearman"] <= high
    assert card["activations"] == [] and card["live"] is False
    assert card["adverse_impact"] == {
        "measured": False,
        "why": "no self-identification data has been imported",
    }
    assert "Advisory" in card["intended_use"] and card["limits"]


def test_activation_and_the_applications_it_scored_appear_on_the_card(better_run, manager):
    model = better_run.output_model
    scoring_model_activate(model=model, actor=manager)
    JobFactory()
    resumes = ResumeFactory.create_batch(4)
    scoring_services.pairs_score()
    for resume, sex in zip(resumes, ["male", "male", "female", "female"], strict=True):
        SelfIdentification.objects.create(resume=resume, sex=sex)
    card = token_client(manager).get(reverse("api:model-card", args=[model.version])).json()
    assert card["live"] is True
    assert [(a["action"], a["by"]) for a in card["activations"]] == [("activated", "lena")]
    impact = card["adverse_impact"]
    assert impact["measured"] and impact["applications"] == 4
    assert set(impact["breakdowns"]["Sex"]) == {"Male", "Female"}
    markdown = token_client(manager).get(
        reverse("api:model-card", args=[model.version]), {"as": "markdown"}
    )
    assert markdown["Content-Type"].startswith("text/markdown")
    text = markdown.content.decode()
    assert text.startswith(f"# Model card: {model.version}")
    for heading in ("## Intended use", "## Training", "## Validation", "## Adverse impact"):
        assert heading in text
    assert "activated by lena" in text


def test_the_pretrained_models_card_says_it_was_not_trained_here(manager, member):
    url = reverse("api:model-card", args=["pretrained"])
    card = token_client(manager).get(url).json()
    assert card["training"] is None and card["kind"] == "pretrained"
    text = token_client(manager).get(url, {"as": "markdown"}).content.decode()
    assert "not trained on this deployment's labels" in text
    assert token_client(member).get(url).status_code == 403


def test_a_published_run_keeps_its_fairness_check_for_the_run_page(better_run, client, reviewer):
    """The check runs when the run publishes its version; without self-identification it
    says why it measured nothing, on the run's admin page too."""
    fairness = better_run.output_model.metrics["fairness"]
    assert fairness == {"measured": False, "why": "no scored application has self-identification"}
    client.force_login(reviewer)
    page = client.get(reverse("admin:training_trainingrun_change", args=[better_run.pk]))
    assert "Not measured: no scored application has self-identification." in page.content.decode()
