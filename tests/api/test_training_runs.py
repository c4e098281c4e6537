"""Training runs: queue (JSON or files), follow, list, cancel; the retraining suggestion."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from tests.api.helpers import assert_error, token_client
from training.models import LabeledExample, TrainingRun

pytestmark = pytest.mark.django_db

URL = "/api/v1/training/runs/"
SUGGESTION = "/api/v1/training/suggestion/"


def queue_files(client, train: bytes | None, validation: bytes | None = None, **options):
    data: dict = {key: str(value).lower() for key, value in options.items()}
    if train is not None:
        data["train_file"] = SimpleUploadedFile("train.json", train)
    if validation is not None:
        data["validation_file"] = SimpleUploadedFile("validation.json", validation)
    return client.post(URL, data, format="multipart")


def poll(client, url: str, attempts: int = 20) -> dict:
    """GET the run's status URL until it is final, as a client does."""
    for _ in range(attempts):
        body = client.get(url).json()
        if body["is_final"]:
            return body
    raise AssertionError(f"the run did not finish: {body['status']} {body['stage']}")


# --- queueing ------------------------------------------------------------------------------


def test_queueing_with_files_answers_202_with_the_run_and_its_status_url(
    api, reviewer, sample_bytes
):
    response = queue_files(api, sample_bytes, sample_bytes)
    assert response.status_code == 202, response.content
    body = response.json()
    run = TrainingRun.objects.get()
    assert body["id"] == run.pk
    assert body["url"] == f"http://testserver/api/v1/training/runs/{run.pk}/"
    assert response["Location"] == body["url"]
    assert body["created_by"] == reviewer.username
    assert run.created_by == reviewer
    assert run.train_file.name.endswith(".json") and run.validation_file
    assert body["params"] == {
        "from_ratings": False,
        "force": False,
        "train_on_gold": False,
        "activate": False,
        "activate_if_worse": False,
        "epochs": 2,
        "batch_size": 16,
    }


def test_a_run_queued_through_the_api_is_followed_until_it_succeeds(api, sample_bytes):
    """With synchronous tasks the run has finished by the time the client polls."""
    url = queue_files(api, sample_bytes, sample_bytes).json()["url"]
    run = poll(api, url)
    assert run["status"] == "succeeded", run["error"]
    assert (run["progress"], run["stage"], run["error"]) == (1.0, "done", "")
    assert run["output_model"].startswith("custom-")
    assert run["base_model"] == "pretrained"
    assert run["metrics_live"]["model"] == "pretrained"
    assert run["metrics_candidate"]["model"] == run["output_model"]
    assert run["metrics_live"]["n"] == run["metrics_candidate"]["n"] == 63
    assert run["metrics_candidate"]["spearman"] >= run["metrics_live"]["spearman"]
    assert run["dataset"]["train"]["examples"] == 63
    assert run["dataset"]["validation"]["examples"] == 63
    assert run["dataset"]["sources"] == {"file": 63}
    assert {"embedding_s", "training_s", "total_s"} <= set(run["timings"])
    assert run["checks"] == []  # the sample passes every check, and validation was given
    assert run["log_tail"] and "against the live model: " in "\n".join(run["log_tail"])
    assert run["started_at"] and run["finished_at"] and run["duration_s"] >= 0
    assert run["fine_tune"] is None


def test_examples_can_come_inline_as_json(api, sample_rows):
    response = api.post(
        URL,
        {"train_examples": sample_rows, "validation_examples": sample_rows, "mode": "fast"},
        format="json",
    )
    assert response.status_code == 202, response.content
    run = TrainingRun.objects.get()
    assert run.status == TrainingRun.Status.SUCCEEDED, run.error
    assert json.loads(run.train_file.read()) == sample_rows
    assert run.train_file.name.endswith("train_examples.json")


def test_activate_makes_a_better_model_live_at_the_end(api, better_rows):
    body = api.post(
        URL,
        {"train_examples": better_rows, "validation_examples": better_rows, "activate": True},
        format="json",
    ).json()
    live = api.get("/api/v1/models/", {"is_active": "true"}).json()["results"]
    assert [m["version"] for m in live] == [body["output_model"]]


def test_activate_leaves_a_worse_model_aside_unless_asked_to_insist(api, sample_rows):
    inverted = [{**row, "score": round(1.0 - row["score"], 2)} for row in sample_rows]
    body = api.post(
        URL,
        {"train_examples": inverted, "validation_examples": sample_rows, "activate": True},
        format="json",
    ).json()
    assert body["status"] == "succeeded"
    assert "not activated" in "\n".join(body["log_tail"])
    live = api.get("/api/v1/models/", {"is_active": "true"}).json()["results"]
    assert [m["version"] for m in live] == ["pretrained"]

    forced = api.post(
        URL,
        {
            "train_examples": inverted,
            "validation_examples": sample_rows,
            "activate": True,
            "activate_if_worse": True,
        },
        format="json",
    ).json()
    live = api.get("/api/v1/models/", {"is_active": "true"}).json()["results"]
    assert [m["version"] for m in live] == [forced["output_model"]]


def test_a_run_from_the_database_labels_only_needs_from_ratings(api, sample_rows):
    LabeledExample.objects.bulk_create(
        LabeledExample(
            resume_text=row["resume"],
            job_text=row["job_description"],
            resume_sha256=str(i),
            score=row["score"],
            source=LabeledExample.Source.IMPORT,
        )
        for i, row in enumerate(sample_rows)
    )
    response = api.post(URL, {"from_ratings": True}, format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "succeeded", body["error"]
    assert body["dataset"]["sources"] == {"import": 63}
    # No validation examples given: the run held out whole resumes itself, and says so.
    assert [c["level"] for c in body["checks"]] == ["info"]
    assert body["dataset"]["validation"]["examples"] > 0


def test_a_run_whose_data_fails_the_checks_is_accepted_then_fails_with_the_reason(api, sample_rows):
    response = api.post(URL, {"train_examples": sample_rows[:10]}, format="json")
    assert response.status_code == 202
    body = poll(api, response.json()["url"])
    assert body["status"] == "failed"
    assert "50" in body["error"]
    assert any(c["level"] == "error" for c in body["checks"])
    assert body["output_model"] is None and body["metrics_candidate"] is None


# --- bad input: a 400 naming the example, and nothing created -------------------------------


def test_a_bad_training_file_is_a_400_naming_the_example_and_creates_nothing(
    api, sample_rows, settings
):
    rows = [sample_rows[0], {**sample_rows[1], "score": 1.5}]
    response = queue_files(api, json.dumps(rows).encode())
    error = assert_error(response, 400, "invalid", ["train_file"])
    assert error["fields"]["train_file"] == [
        "train.json, example 2: 'score' is 1.5, not between 0 and 1."
    ]
    assert not TrainingRun.objects.exists()
    assert not (settings.MEDIA_ROOT / "training").exists()


def test_a_training_file_over_the_limit_is_a_400_and_is_not_read(api, sample_bytes, monkeypatch):
    monkeypatch.setattr("training.api.serializers.runs.TRAINING_FILE_MAX_BYTES", 1024)
    response = queue_files(api, sample_bytes)
    error = assert_error(response, 400, "invalid", ["train_file"])
    assert error["fields"]["train_file"][0].startswith("train.json is ")
    assert "at most 1.0 KB" in error["message"]
    assert not TrainingRun.objects.exists()


def test_a_validation_file_that_is_not_json_is_a_400(api, sample_bytes):
    response = queue_files(api, sample_bytes, b"resume,job,score\n")
    error = assert_error(response, 400, "invalid", ["validation_file"])
    assert "validation.json: not valid JSON" in error["message"]
    assert not TrainingRun.objects.exists()


def test_bad_inline_examples_are_a_400_naming_the_example(api, sample_rows):
    rows = [*sample_rows[:2], {"resume": "", "job_description": "x", "score": 0.5}]
    response = api.post(URL, {"train_examples": rows}, format="json")
    error = assert_error(response, 400, "invalid", ["train_examples"])
    assert error["fields"]["train_examples"] == [
        "train_examples, example 3: 'resume' must be non-empty text."
    ]
    assert not TrainingRun.objects.exists()


def test_no_examples_and_no_database_labels_is_a_400(api):
    error = assert_error(api.post(URL, {"mode": "fast"}, format="json"), 400, "invalid", [])
    assert error["message"] == "Give a training file, or train from the database's labels."
    assert not TrainingRun.objects.exists()


def test_a_file_and_inline_examples_for_one_side_is_a_400(api, sample_bytes):
    response = api.post(
        URL,
        {
            "train_file": SimpleUploadedFile("train.json", sample_bytes),
            "train_examples": ["{}"],
        },
        format="multipart",
    )
    assert_error(response, 400, "invalid", ["train_file"])
    assert not TrainingRun.objects.exists()


@pytest.mark.parametrize(
    ("options", "field"),
    [({"mode": "slow"}, "mode"), ({"epochs": 0}, "epochs"), ({"batch_size": 1000}, "batch_size")],
)
def test_bad_options_are_a_400_naming_them(api, sample_rows, options, field):
    response = api.post(URL, {"train_examples": sample_rows, **options}, format="json")
    assert_error(response, 400, "invalid", [field])
    assert not TrainingRun.objects.exists()


# --- listing and reading ---------------------------------------------------------------------


def test_runs_are_listed_newest_first_and_filtered_by_status_and_mode(viewer_api):
    old = TrainingRun.objects.create(status=TrainingRun.Status.FAILED, error="boom")
    new = TrainingRun.objects.create(mode=TrainingRun.Mode.FULL)
    TrainingRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1))

    def ids(**query) -> list[int]:
        response = viewer_api.get(URL, query)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [new.pk, old.pk]
    assert ids(status="failed") == [old.pk]
    assert ids(mode="full") == [new.pk]
    assert ids(status="queued", mode="fast") == []
    assert ids(ordering="created_at") == [old.pk, new.pk]
    assert_error(viewer_api.get(URL, {"status": "done"}), 400, "invalid", ["status"])
    row = viewer_api.get(URL).json()["results"][1]
    assert (row["status"], row["error"], row["is_final"]) == ("failed", "boom", True)
    assert "log_tail" not in row  # the detail has it


def test_a_queued_run_shows_no_progress_and_no_metrics_yet(viewer_api):
    run = TrainingRun.objects.create()
    body = viewer_api.get(f"{URL}{run.pk}/").json()
    assert (body["status"], body["is_final"], body["progress"]) == ("queued", False, 0.0)
    assert body["metrics_live"] is None and body["dataset"] is None
    assert body["log_tail"] == [] and body["timings"] == {}
    assert body["started_at"] is None and body["duration_s"] is None


def test_a_stale_run_reads_failed_without_a_write(viewer_api, reviewer, client, settings):
    """A run whose worker died reads failed at once on the API and in the admin (detail,
    list, the status filter, the polled JSON), derived when read: no read writes to the
    database; the scheduled sweep does (training.runs.runs_fail_stale)."""
    stale = timezone.now() - timedelta(seconds=settings.TRAINING_STALE_AFTER_S + 60)
    run = TrainingRun.objects.create(
        status=TrainingRun.Status.RUNNING, started_at=stale, heartbeat_at=stale
    )
    alive = TrainingRun.objects.create(
        status=TrainingRun.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as queries:
        body = viewer_api.get(f"{URL}{run.pk}/").json()
        listed = {r["id"]: r["status"] for r in viewer_api.get(URL).json()["results"]}
        failed = [r["id"] for r in viewer_api.get(URL, {"status": "failed"}).json()["results"]]
        running = [r["id"] for r in viewer_api.get(URL, {"status": "running"}).json()["results"]]
        polled = client.get(reverse("admin:training_trainingrun_status", args=[run.pk])).json()
        changelist = client.get(reverse("admin:training_trainingrun_changelist")).content
        admin_failed = client.get(
            reverse("admin:training_trainingrun_changelist"), {"status": "failed"}
        )
    assert body["status"] == "failed"
    assert "stopped reporting" in body["error"]
    assert listed == {run.pk: "failed", alive.pk: "running"}
    assert (failed, running) == ([run.pk], [alive.pk])
    assert (polled["status"], polled["final"]) == ("failed", True)
    assert "stopped reporting" in polled["error"]
    assert b"Failed" in changelist
    assert admin_failed.context["cl"].result_count == 1
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if "trainingrun" in q["sql"] and q["sql"].lstrip().upper().startswith("UPDATE")
    ]
    assert writes == []
    run.refresh_from_db()
    assert run.status == TrainingRun.Status.RUNNING  # until the sweep writes it


def test_an_unknown_run_is_a_404(viewer_api):
    assert_error(viewer_api.get(f"{URL}999/"), 404, "not_found")


# --- cancelling ------------------------------------------------------------------------------


def test_a_queued_run_is_cancelled_and_cancelling_it_again_is_a_409(api, queue_only, sample_bytes):
    body = queue_files(api, sample_bytes).json()
    assert body["status"] == "queued"
    cancelled = api.post(f"{URL}{body['id']}/cancel/")
    assert cancelled.status_code == 200, cancelled.content
    assert (cancelled.json()["status"], cancelled.json()["is_final"]) == ("cancelled", True)
    assert TrainingRun.objects.get().finished_at is not None

    again = api.post(f"{URL}{body['id']}/cancel/")
    error = assert_error(again, 409, "run_finished")
    assert "cancelled" in error["message"]
    assert TrainingRun.objects.get().status == TrainingRun.Status.CANCELLED


def test_a_finished_run_cannot_be_cancelled(api, sample_bytes):
    body = queue_files(api, sample_bytes, sample_bytes).json()
    assert_error(api.post(f"{URL}{body['id']}/cancel/"), 409, "run_finished")
    assert TrainingRun.objects.get().status == TrainingRun.Status.SUCCEEDED


def test_cancelling_an_unknown_run_is_a_404(api):
    assert_error(api.post(f"{URL}999/cancel/"), 404, "not_found")


# --- who may: viewers read, model managers queue and cancel -----------------------------------


def test_a_reviewer_without_the_view_permission_cannot_read_runs(member_api):
    run = TrainingRun.objects.create()
    for url in (URL, f"{URL}{run.pk}/", SUGGESTION):
        assert_error(member_api.get(url), 403, "permission_denied")


def test_a_viewer_reads_runs_but_cannot_queue_or_cancel(viewer_api, sample_bytes):
    run = TrainingRun.objects.create()
    assert viewer_api.get(URL).status_code == 200
    assert viewer_api.get(f"{URL}{run.pk}/").status_code == 200
    assert viewer_api.get(SUGGESTION).status_code == 200
    error = assert_error(queue_files(viewer_api, sample_bytes), 403, "permission_denied")
    assert "model managers" in error["message"]
    assert_error(viewer_api.post(f"{URL}{run.pk}/cancel/"), 403, "permission_denied")
    assert TrainingRun.objects.get().status == TrainingRun.Status.QUEUED
    assert TrainingRun.objects.count() == 1


def test_queueing_a_run_that_activates_its_model_needs_the_activate_permission(
    django_user_model, queue_only, sample_bytes
):
    trainer = django_user_model.objects.create_user(username="tia", password="pw-tia-2026")
    trainer.user_permissions.add(
        Permission.objects.get(content_type__app_label="training", codename="add_trainingrun")
    )
    client = token_client(trainer)
    for flag in ("activate", "activate_if_worse"):
        response = client.post(URL, {"from_ratings": True, flag: True}, format="json")
        error = assert_error(response, 403, "permission_denied")
        assert "matching.change_scoringmodel" in error["message"]
    assert not TrainingRun.objects.exists()
    assert client.post(URL, {"from_ratings": True}, format="json").status_code == 202


def test_a_member_of_the_model_managers_group_queues_and_cancels(
    manager_api, manager, queue_only, sample_bytes
):
    response = queue_files(manager_api, sample_bytes)
    assert response.status_code == 202, response.content
    assert TrainingRun.objects.get().created_by == manager
    cancel = manager_api.post(f"{URL}{response.json()['id']}/cancel/")
    assert cancel.status_code == 200


def test_anonymous_clients_can_neither_read_nor_queue(anon, sample_bytes):
    run = TrainingRun.objects.create()
    for response in [
        anon.get(URL),
        anon.get(f"{URL}{run.pk}/"),
        anon.get(SUGGESTION),
        queue_files(anon, sample_bytes),
        anon.post(f"{URL}{run.pk}/cancel/"),
    ]:
        assert_error(response, 401, "not_authenticated")
    assert TrainingRun.objects.count() == 1


def test_queueing_is_throttled_by_the_training_scope_but_reading_is_not(
    api, queue_only, sample_bytes, monkeypatch
):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "training", "2/hour")
    assert queue_files(api, sample_bytes).status_code == 202
    assert queue_files(api, sample_bytes).status_code == 202
    error = assert_error(queue_files(api, sample_bytes), 429, "throttled")
    assert error["retry_after"] > 0
    assert TrainingRun.objects.count() == 2
    assert [api.get(URL).status_code for _ in range(3)] == [200] * 3


# --- the retraining suggestion ----------------------------------------------------------------


def test_the_suggestion_counts_new_labels_against_the_threshold(viewer_api, settings):
    settings.RETRAIN_SUGGEST_AFTER = 2
    body = viewer_api.get(SUGGESTION).json()
    assert body == {
        "new_labels": 0,
        "threshold": 2,
        "suggested": False,
        "since": None,
        "live_model": "pretrained",
        "run_in_progress": False,
    }
    for score in (0.2, 0.9):
        LabeledExample.objects.create(
            resume_text="r", job_text="j", resume_sha256="x", score=score, source="feedback"
        )
    body = viewer_api.get(SUGGESTION).json()
    assert (body["new_labels"], body["suggested"]) == (2, True)


def test_no_suggestion_while_a_run_is_queued(api, settings, queue_only, sample_bytes):
    settings.RETRAIN_SUGGEST_AFTER = 1
    LabeledExample.objects.create(
        resume_text="r", job_text="j", resume_sha256="x", score=0.5, source="feedback"
    )
    assert api.get(SUGGESTION).json()["suggested"] is True
    queue_files(api, sample_bytes)
    body = api.get(SUGGESTION).json()
    assert (body["suggested"], body["run_in_progress"]) == (False, True)


def test_a_run_shows_each_figure_with_its_interval_and_the_gates_verdict(api, better_rows):
    better = json.dumps(better_rows).encode()
    url = queue_files(api, better, better).json()["url"]
    run = poll(api, url)
    for side in ("metrics_live", "metrics_candidate"):
        low, high = run[side]["ci"]["spearman"]
        assert low <= run[side]["spearman"] <= high
        assert run[side]["resumes"] > 0
    comparison = run["comparison"]
    assert comparison["verdict"] == "better"
    assert comparison["validation"]["ci"][0] > 0
    assert comparison["reasons"][0].startswith("validation: Spearman gain +")
