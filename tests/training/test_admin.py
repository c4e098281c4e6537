"""The training admin: queue a run, follow it, act on the retraining notice, go live."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matching.models import ScoringModel
from matching.scoring.activation import scoring_model_active
from training import labels as training_labels
from training import runs as training_runs
from training.models import TrainingRun

pytestmark = pytest.mark.django_db


def test_queueing_a_run_from_the_admin_trains_it_and_opens_its_page(
    client, reviewer, settings, sample_bytes
):
    settings.MATCHING_SYNC_TASKS = True  # the task runs inline instead of on a cluster
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:training_trainingrun_add"),
        {
            "mode": "fast",
            "train_file": SimpleUploadedFile("sample.json", sample_bytes),
            "epochs": 2,
            "batch_size": 16,
        },
    )
    run = TrainingRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:training_trainingrun_change", args=[run.pk])
    assert run.status == TrainingRun.Status.SUCCEEDED, run.error
    assert run.created_by == reviewer
    page = client.get(response["Location"]).content.decode()
    assert 'id="run-progress"' in page and "succeeded" in page
    assert "setTimeout(poll" not in page  # a finished run is not polled


def test_the_queue_form_refuses_a_bad_file_and_creates_nothing(client, reviewer):
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:training_trainingrun_add"),
        {
            "mode": "fast",
            "train_file": SimpleUploadedFile("bad.json", b'[{"resume": "x"}]'),
            "epochs": 2,
            "batch_size": 16,
        },
    )
    assert response.status_code == 200
    assert "bad.json, example 1" in response.content.decode()
    assert not TrainingRun.objects.exists()


def test_a_running_run_page_polls_its_status(client, reviewer, sample_bytes):
    run = training_runs.training_run_create(
        train_file=("sample.json", sample_bytes), enqueue=False, user=reviewer
    )
    TrainingRun.objects.filter(pk=run.pk).update(
        status=TrainingRun.Status.RUNNING, progress=0.42, stage="fitting the scoring head"
    )
    client.force_login(reviewer)
    page = client.get(reverse("admin:training_trainingrun_change", args=[run.pk])).content
    # The poller is a static script (the Content-Security-Policy allows no inline one).
    assert b"training/run_live.js" in page
    status = client.get(reverse("admin:training_trainingrun_status", args=[run.pk])).json()
    assert status["status"] == "running"
    assert status["progress"] == pytest.approx(0.42)
    assert status["stage"] == "fitting the scoring head"
    assert status["final"] is False


def test_a_run_status_needs_the_permission_to_see_runs(client, django_user_model, sample_bytes):
    run = training_runs.training_run_create(
        train_file=("sample.json", sample_bytes), enqueue=False, user=None
    )
    TrainingRun.objects.filter(pk=run.pk).update(stage="fitting the scoring head", log="secret")
    rater = django_user_model.objects.create_user(username="sam", password="x", is_staff=True)
    rater.user_permissions.add(Permission.objects.get(codename="add_rating"))
    client.force_login(rater)
    url = reverse("admin:training_trainingrun_status", args=[run.pk])
    response = client.get(url)
    assert response.status_code == 403
    assert b"fitting the scoring head" not in response.content
    rater.user_permissions.add(Permission.objects.get(codename="view_trainingrun"))
    assert client.get(url).json()["stage"] == "fitting the scoring head"


def test_queueing_a_run_that_activates_its_model_needs_the_activate_permission(
    client, django_user_model, settings
):
    settings.MATCHING_SYNC_TASKS = False
    trainer = django_user_model.objects.create_user(username="tia", password="x", is_staff=True)
    trainer.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_trainingrun", "view_trainingrun"])
    )
    client.force_login(trainer)
    form = {"mode": "fast", "from_ratings": "on", "epochs": 2, "batch_size": 16}
    response = client.post(reverse("admin:training_trainingrun_add"), {**form, "activate": "on"})
    assert response.status_code == 200
    assert "matching.change_scoringmodel" in response.content.decode()
    assert not TrainingRun.objects.exists()
    client.post(reverse("admin:training_trainingrun_add"), form)
    assert TrainingRun.objects.get().params["activate"] is False


def test_the_notice_suggests_retraining_and_train_now_queues_a_run(client, reviewer, settings):
    settings.RETRAIN_SUGGEST_AFTER = 3
    settings.MATCHING_SYNC_TASKS = False  # the run stays queued: no cluster in this test
    for k in range(3):
        training_labels.feedback_collect(
            resume_text=f"resume {k}", job_description="job", predicted_score=0.5, actual_score=0.9
        )
    client.force_login(reviewer)
    page = client.get(reverse("admin:training_trainingrun_changelist")).content.decode()
    assert 'id="retrain-notice"' in page and "3 new labels" in page
    response = client.post(reverse("admin:training_train_now"))
    run = TrainingRun.objects.get()
    assert response.status_code == 302
    assert run.params["from_ratings"] is True
    # With a run queued, the notice goes away.
    page = client.get(reverse("admin:training_trainingrun_changelist")).content.decode()
    assert 'id="retrain-notice"' not in page


def test_no_notice_below_the_threshold(client, reviewer, settings):
    settings.RETRAIN_SUGGEST_AFTER = 100
    client.force_login(reviewer)
    page = client.get(reverse("admin:training_trainingrun_changelist")).content.decode()
    assert 'id="retrain-notice"' not in page


def test_staff_without_the_add_permission_cannot_queue(client, django_user_model):
    clerk = django_user_model.objects.create_user(username="clerk", password="x", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_trainingrun"))
    client.force_login(clerk)
    response = client.post(reverse("admin:training_train_now"))
    assert response.status_code == 302
    assert not TrainingRun.objects.exists()
    response = client.get(reverse("admin:training_trainingrun_add"))
    assert response.status_code in (302, 403)


def _act(client, action: str, model: ScoringModel):
    return client.post(
        reverse("admin:matching_scoringmodel_changelist"),
        {"action": action, "_selected_action": [model.pk]},
        follow=True,
    )


def test_the_admin_refuses_a_worse_model_unless_asked_to_insist(client, reviewer, worse_run):
    client.force_login(reviewer)
    model = worse_run.output_model
    response = _act(client, "activate", model)
    assert "was worse than" in response.content.decode()
    assert scoring_model_active().version == "pretrained"
    _act(client, "activate_anyway", model)
    assert scoring_model_active().version == model.version


def test_rollback_to_the_pretrained_model_is_one_action(client, reviewer, better_run):
    client.force_login(reviewer)
    _act(client, "activate", better_run.output_model)
    assert scoring_model_active() == better_run.output_model
    _act(client, "activate", ScoringModel.objects.get(version="pretrained"))
    assert scoring_model_active().version == "pretrained"


def test_a_finished_run_page_plots_predictions_against_human_scores(client, reviewer, better_run):
    client.force_login(reviewer)
    page = client.get(
        reverse("admin:training_trainingrun_change", args=[better_run.pk])
    ).content.decode()
    n = better_run.metrics_candidate["n"]
    assert 'id="plot-scatter"' in page and 'id="plot-calibration"' in page
    # One dot per validation pair and model; three bands per model in the calibration.
    assert page.count('class="dot-candidate"') == n
    assert page.count('class="dot-live"') == n
    assert page.count("human mean") == 6


# --- the run page: a failed run's stage, tables instead of JSON ----------------------------


def test_a_failed_run_shows_its_error_as_its_stage_not_its_last_step(client, reviewer):
    run = TrainingRun.objects.create(
        status=TrainingRun.Status.FAILED,
        stage="fitting the scoring head",
        error="Too few examples: 3 pairs.\nTraceback (most recent call last): ...",
    )
    client.force_login(reviewer)
    status = client.get(reverse("admin:training_trainingrun_status", args=[run.pk])).json()
    assert status["stage"] == "Failed: Too few examples: 3 pairs."
    page = client.get(reverse("admin:training_trainingrun_change", args=[run.pk])).content
    assert b'<span id="run-stage">Failed: Too few examples: 3 pairs.</span>' in page
    listed = client.get(reverse("admin:training_trainingrun_changelist")).content.decode()
    assert "Failed: Too few examples: 3 pairs." in listed
    assert "fitting the scoring head" not in listed


def test_a_finished_run_shows_dataset_checks_and_metrics_as_tables(client, reviewer, better_run):
    warning = {"code": "conflicts", "level": "warning", "message": "2 pairs disagree."}
    TrainingRun.objects.filter(pk=better_run.pk).update(checks=[warning])
    client.force_login(reviewer)
    page = client.get(reverse("admin:training_trainingrun_change", args=[better_run.pk]))
    html = page.content.decode()
    for table in ("run-metrics", "run-checks", "run-dataset"):
        assert f'<table class="run-table {table}">' in html
    assert "Spearman (ranking)" in html and "Bands (poor / partial / good)" in html
    assert "<td>Warning</td>" in html or "<th>Warning</th>" in html
    assert "2 pairs disagree." in html
    bands = better_run.dataset["train"]["bands"]
    assert f"<td>{bands['poor']} / {bands['partial']} / {bands['good']}</td>" in html
    candidate = better_run.metrics_candidate
    low, high = candidate["ci"]["spearman"]
    assert f"<td>{candidate['spearman']:.4g} ({low:.3g} to {high:.3g})</td>" in html
    # The gate's verdict and its reasons, above the figures.
    assert "Better than the live model beyond noise" in html
    assert "validation: Spearman gain +" in html
    # No field shows the stored JSON itself.
    assert "{&quot;" not in html and "[{&#x27;" not in html
