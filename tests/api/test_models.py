"""Model versions: list with metrics and verdict, activate (refusals), roll back; the whole
life of a model through the API."""

from __future__ import annotations

import json
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from matching import models_store
from matching.models import ScoringModel
from matching.scoring.activation import scoring_model_active
from tests.api.helpers import assert_error
from tests.factories import JobFactory, ResumeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/models/"
RUNS = "/api/v1/training/runs/"


def train(client, train_rows: list[dict], validation_rows: list[dict]) -> str:
    """Queue a run through the API, follow it to its end, return the version it trained."""
    response = client.post(
        RUNS, {"train_examples": train_rows, "validation_examples": validation_rows}, format="json"
    )
    assert response.status_code == 202, response.content
    run = client.get(response.json()["url"]).json()
    assert run["status"] == "succeeded", run["error"]
    return run["output_model"]


@pytest.fixture
def better(api, better_rows) -> str:
    """A trained version that measured better than the pre-trained model (not live)."""
    return train(api, better_rows, better_rows)


@pytest.fixture
def worse(api, sample_rows) -> str:
    """A trained version that measured worse: it learnt the sample's scores upside down."""
    inverted = [{**row, "score": round(1.0 - row["score"], 2)} for row in sample_rows]
    return train(api, inverted, sample_rows)


def live(client) -> str:
    rows = client.get(URL, {"is_active": "true"}).json()["results"]
    assert len(rows) == 1
    return rows[0]["version"]


# --- listing ---------------------------------------------------------------------------------


def test_the_list_has_the_pretrained_model_live_from_the_start(viewer_api):
    response = viewer_api.get(URL)
    assert response.status_code == 200
    [pretrained] = response.json()["results"]
    assert pretrained["version"] == "pretrained"
    assert (pretrained["kind"], pretrained["is_active"]) == ("pretrained", True)
    assert pretrained["metrics"] is None and pretrained["better_than_live"] is None
    assert pretrained["training_run"] is None and pretrained["activated_at"]


def test_a_trained_version_is_listed_with_its_metrics_and_verdict(viewer_api, better, worse):
    rows = {m["version"]: m for m in viewer_api.get(URL).json()["results"]}
    assert list(rows) == [worse, better, "pretrained"]  # newest first
    good = rows[better]
    assert (good["kind"], good["is_active"], good["activated_at"]) == ("custom", False, None)
    assert good["better_than_live"] is True
    assert good["metrics"]["model"] == better and good["metrics"]["n"] == 63
    assert good["live_at_training"]["model"] == "pretrained"
    assert good["metrics"]["spearman"] >= good["live_at_training"]["spearman"]
    run = viewer_api.get(f"{RUNS}{good['training_run']}/").json()
    assert run["output_model"] == better
    assert rows[worse]["better_than_live"] is False
    assert rows[worse]["metrics"]["spearman"] < rows[worse]["live_at_training"]["spearman"]


def test_versions_are_filtered_and_read_one_by_one(viewer_api, better):
    assert [m["version"] for m in viewer_api.get(URL, {"kind": "custom"}).json()["results"]] == [
        better
    ]
    ordered = viewer_api.get(URL, {"ordering": "created_at"}).json()["results"]
    assert [m["version"] for m in ordered] == ["pretrained", better]
    assert viewer_api.get(f"{URL}{better}/").json()["version"] == better
    assert_error(viewer_api.get(URL, {"kind": "mine"}), 400, "invalid", ["kind"])
    assert_error(viewer_api.get(URL, {"is_active": "maybe"}), 400, "invalid", ["is_active"])
    assert_error(viewer_api.get(f"{URL}no-such-version/"), 404, "not_found")


# --- activating ------------------------------------------------------------------------------


def test_activating_a_better_version_makes_it_live_and_pairs_are_rescored_with_it(api, better):
    job, resume = JobFactory(), ResumeFactory()
    response = api.post(f"{URL}{better}/activate/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["version"], body["is_active"]) == (better, True)
    assert body["activated_at"]
    assert live(api) == better
    ranking = api.get(f"/api/v1/jobs/{job.pk}/ranking/").json()["results"]
    assert [(r["resume"]["id"], r["scoring_model"]) for r in ranking] == [(resume.pk, better)]
    score = api.post("/api/v1/score/", {"resume_text": "Python", "job_text": "Python"})
    assert score.json()["model"] == better


def test_a_version_that_measured_worse_is_refused_with_a_409_unless_forced(api, worse):
    error = assert_error(api.post(f"{URL}{worse}/activate/", {}), 409, "activation_refused")
    assert "worse than pretrained" in error["message"]
    assert live(api) == "pretrained"

    forced = api.post(f"{URL}{worse}/activate/", {"force": True})
    assert forced.status_code == 200, forced.content
    assert live(api) == worse


def test_a_version_whose_folder_is_gone_is_refused_with_a_409_and_nothing_changes(api, better):
    shutil.rmtree(models_store.version_dir(ScoringModel.objects.get(version=better)))
    error = assert_error(api.post(f"{URL}{better}/activate/"), 409, "model_unavailable")
    assert better in error["message"] and "unchanged" in error["message"]
    # Said once: the service words it, the API maps it (it was wrapped a second time).
    assert error["message"].count("cannot be loaded") == 1
    assert error["message"].count("unchanged") == 1
    assert live(api) == "pretrained"


def test_activating_an_unknown_version_is_a_404(api):
    assert_error(api.post(f"{URL}no-such-version/activate/"), 404, "not_found")


def test_a_bad_force_flag_is_a_400(api, better):
    assert_error(
        api.post(f"{URL}{better}/activate/", {"force": "maybe"}), 400, "invalid", ["force"]
    )
    assert live(api) == "pretrained"


# --- rolling back ----------------------------------------------------------------------------


def test_rollback_returns_to_the_previously_live_version_and_back_again(api, better, worse):
    api.post(f"{URL}{better}/activate/")
    api.post(f"{URL}{worse}/activate/", {"force": True})
    assert live(api) == worse

    back = api.post(f"{URL}rollback/")
    assert back.status_code == 200, back.content
    assert (back.json()["version"], back.json()["is_active"]) == (better, True)
    assert live(api) == better
    # The previous one is now the worse version: rolling back again returns to it, which
    # needs force like any activation of it.
    assert_error(api.post(f"{URL}rollback/"), 409, "activation_refused")
    assert live(api) == better
    assert api.post(f"{URL}rollback/", {"force": True}).json()["version"] == worse


def test_rolling_back_to_the_pretrained_model_is_activating_it_by_name(api, better):
    api.post(f"{URL}{better}/activate/")
    response = api.post(f"{URL}pretrained/activate/")
    assert response.status_code == 200
    assert live(api) == "pretrained"


def test_rollback_with_nothing_before_the_live_model_is_a_409(api):
    scoring_model_active()
    error = assert_error(api.post(f"{URL}rollback/"), 409, "no_previous_model")
    assert "nothing to roll back to" in error["message"]
    assert live(api) == "pretrained"


# --- who may ---------------------------------------------------------------------------------


def test_a_reviewer_without_the_view_permission_cannot_read_models(member_api, better):
    assert_error(member_api.get(URL), 403, "permission_denied")
    assert_error(member_api.get(f"{URL}{better}/"), 403, "permission_denied")


def test_a_viewer_reads_models_but_cannot_activate_or_roll_back(viewer_api, better):
    assert viewer_api.get(URL).status_code == 200
    assert viewer_api.get(f"{URL}{better}/").status_code == 200
    assert_error(viewer_api.post(f"{URL}{better}/activate/"), 403, "permission_denied")
    assert_error(viewer_api.post(f"{URL}rollback/"), 403, "permission_denied")
    assert live(viewer_api) == "pretrained"


def test_a_model_manager_activates_and_rolls_back(manager_api, better):
    assert manager_api.post(f"{URL}{better}/activate/").status_code == 200
    assert manager_api.post(f"{URL}rollback/").json()["version"] == "pretrained"


def test_anonymous_clients_cannot_read_or_activate(anon):
    for response in [
        anon.get(URL),
        anon.get(f"{URL}pretrained/"),
        anon.post(f"{URL}pretrained/activate/"),
        anon.post(f"{URL}rollback/"),
    ]:
        assert_error(response, 401, "not_authenticated")


# --- the whole life of a model, as a client sees it -------------------------------------------


def test_train_poll_activate_and_roll_back_through_the_api(manager_api, better_rows):
    files = json.dumps(better_rows).encode()
    queued = manager_api.post(
        RUNS,
        {
            "train_file": SimpleUploadedFile("training_data.json", files),
            "validation_file": SimpleUploadedFile("validation.json", files),
            "mode": "fast",
        },
        format="multipart",
    )
    assert queued.status_code == 202, queued.content
    status_url = queued["Location"]
    for _ in range(20):
        run = manager_api.get(status_url).json()
        if run["is_final"]:
            break
    assert run["status"] == "succeeded", run["error"]
    version = run["output_model"]

    listed = {m["version"]: m for m in manager_api.get(URL).json()["results"]}
    assert listed[version]["better_than_live"] is True
    assert listed[version]["is_active"] is False

    assert manager_api.post(f"{URL}{version}/activate/").json()["is_active"] is True
    assert live(manager_api) == version
    assert manager_api.get("/api/v1/training/suggestion/").json()["live_model"] == version

    assert manager_api.post(f"{URL}rollback/").json()["version"] == "pretrained"
    assert live(manager_api) == "pretrained"
