"""Training runs end to end with the suite's fake encoder: queueing, checks, execution,
the model folder, activation and rollback, faults, cancellation and stale runs; feedback
and the retraining suggestion."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from django.utils import timezone

from matching import errors as matching_errors
from matching import models_store
from matching.intake import jobs as intake_jobs
from matching.intake import resumes as intake_resumes
from matching.models import Pair, ScoringModel
from matching.review import ratings as review_ratings
from matching.scoring import activation as scoring_activation
from matching.scoring import heads
from matching.scoring import inputs as scoring_inputs
from matching.scoring import services as scoring_services
from tests.conftest import NURSE_RESUME, PYTHON_RESUME
from training import errors as training_errors
from training import labels as training_labels
from training import runs as training_runs
from training import steps as training_steps
from training import store, tasks
from training.datasets import Example
from training.errors import DatasetError
from training.models import LabeledExample, TrainingRun
from training.selectors import retrain_status

pytestmark = pytest.mark.django_db

Status = TrainingRun.Status


def _store_entries(settings) -> list[str]:
    """Everything in models_store, incoming folders included."""
    root = Path(settings.MODELS_STORE_DIR)
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_dir() or p.is_file())


def _versions(settings) -> list[str]:
    root = Path(settings.MODELS_STORE_DIR)
    return (
        sorted(p.name for p in root.iterdir() if not p.name.startswith("."))
        if root.exists()
        else []
    )


def _incoming(settings) -> list[str]:
    folder = Path(settings.MODELS_STORE_DIR) / ".incoming"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _live() -> str:
    return scoring_activation.scoring_model_active().version


def _subset(rows: list[dict], resumes: int, *, skip: int = 0) -> list[dict]:
    """The examples of `resumes` distinct resumes (after skipping `skip` resumes)."""
    order = list(dict.fromkeys(r["resume"] for r in rows))
    chosen = set(order[skip : skip + resumes])
    return [r for r in rows if r["resume"] in chosen]


# --- creating a run -----------------------------------------------------------------------


def test_a_bad_training_file_is_refused_at_once_and_nothing_is_created(sample_rows, settings):
    rows = sample_rows[:5]
    rows[2] = {**rows[2], "score": 7}
    with pytest.raises(DatasetError, match=r"bad\.json, example 3: 'score' is 7, not between"):
        training_runs.training_run_create(
            train_file=("bad.json", json.dumps(rows).encode()), enqueue=True
        )
    assert not TrainingRun.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "training").exists()


def test_a_bad_validation_file_is_refused_too(sample_rows):
    with pytest.raises(DatasetError, match=r"val\.json, example 1: 'resume' must be non-empty"):
        training_runs.training_run_create(
            train_file=("train.json", json.dumps(sample_rows).encode()),
            validation_file=("val.json", b'[{"resume": "", "job_description": "j", "score": 1}]'),
        )
    assert not TrainingRun.objects.exists()


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({}, DatasetError, "Give a training file"),
        ({"from_ratings": True, "mode": "turbo"}, ValueError, "Unknown mode 'turbo'"),
        ({"from_ratings": True, "epochs": 0}, ValueError, "epochs must be at least 1"),
        ({"from_ratings": True, "batch_size": -2}, ValueError, "batch_size must be at least 1"),
    ],
)
def test_run_options_are_validated(options, error, message):
    with pytest.raises(error, match=message):
        training_runs.training_run_create(enqueue=False, **options)
    assert not TrainingRun.objects.exists()


def test_a_created_run_is_queued_with_its_parameters_and_files(sample_rows, settings):
    run = training_runs.training_run_create(
        train_file=("mine.json", json.dumps(sample_rows).encode()), epochs=3, enqueue=False
    )
    assert run.status == Status.QUEUED
    assert run.mode == settings.TRAINING_DEFAULT_MODE == "fast"
    assert run.params == {
        "from_ratings": False,
        "force": False,
        "train_on_gold": False,
        "activate": False,
        "activate_if_worse": False,
        "epochs": 3,
        "batch_size": 16,
    }
    # The uploaded file is kept with the run, byte for byte.
    with run.train_file.open("rb") as fh:
        assert json.loads(fh.read()) == sample_rows


# --- a successful run ---------------------------------------------------------------------


def test_training_on_the_sample_succeeds_and_writes_a_complete_model_folder(sample_rows, settings):
    assert len(sample_rows) == 63
    stages: list[tuple[float, str]] = []
    created = training_runs.training_run_create(
        train_file=("training_data.json", json.dumps(sample_rows).encode()), enqueue=False
    )
    run = training_runs.training_run_execute(
        created.pk, listener=lambda p, s: stages.append((p, s))
    )

    assert run.status == Status.SUCCEEDED, run.error
    assert run.progress == 1.0
    assert run.error == ""
    assert run.duration_s is not None and run.duration_s >= 0
    assert run.base_model.version == "pretrained"
    # Both models measured on the same validation examples.
    n = run.metrics_live["n"]
    assert n == run.metrics_candidate["n"] > 0
    assert len(run.validation_predictions["human"]) == n
    assert len(run.validation_predictions["candidate"]) == n
    assert run.metrics_live["model"] == "pretrained"
    for key in ("spearman", "pearson", "mae", "band_accuracy"):
        assert isinstance(run.metrics_candidate[key], float)
    assert run.dataset["sources"] == {"file": 63}
    assert run.dataset["train"]["examples"] + run.dataset["validation"]["examples"] == 63
    assert [c["code"] for c in run.checks] == ["auto_validation_split"]
    assert "against the live model: " in run.log
    fractions = [p for p, _ in stages]
    assert fractions == sorted(fractions) and stages[-1][1] == "publishing the model folder"

    model = run.output_model
    assert model.kind == ScoringModel.Kind.CUSTOM
    assert not model.is_active
    assert _live() == "pretrained"
    assert model.version == run.metrics_candidate["model"]
    assert model.encoder_key == "all-MiniLM-L6-v2"  # the fast head keeps the encoder
    assert model.metrics["spearman"] == run.metrics_candidate["spearman"]
    assert model.metrics["run"] == run.pk

    folder = Path(settings.MODELS_STORE_DIR) / model.version
    assert models_store.version_dir(model) == folder
    assert _versions(settings) == [model.version]
    assert _incoming(settings) == []
    assert (folder / "encoder" / "config.json").is_file()
    assert (folder / "head.npz").is_file()
    meta = json.loads((folder / "training_metadata.json").read_text())
    assert meta["format_version"] == models_store.METADATA_FORMAT
    assert meta["code_version"]
    assert meta["version"] == model.version
    assert meta["mode"] == "fast"
    assert meta["data"]["sources"] == {"file": 63}
    assert meta["data"]["train"]["examples"] == 63 - n
    assert meta["data"]["validation"]["examples"] == n
    assert meta["parameters"]["mode"] == "fast"
    assert set(meta["parameters"]["head"]) >= {"alpha", "knots", "cv_spearman"}
    assert meta["metrics"]["candidate"] == run.metrics_candidate
    assert meta["metrics"]["live"] == run.metrics_live
    # The head in the folder is what serves the model.
    assert isinstance(heads.scorer_for(model), heads.TrainedHead)


def test_a_trained_model_scores_text_pairs(better_run):
    model = better_run.output_model
    pairs = [
        scoring_inputs.TextPair(resume=PYTHON_RESUME, job="Senior Python developer, Django"),
        scoring_inputs.TextPair(resume=NURSE_RESUME, job="Senior Python developer, Django"),
    ]
    scores, _ = scoring_services.texts_score(pairs=pairs, model=model)
    assert scores.shape == (2,)
    assert np.all((scores >= 0) & (scores <= 1))


def test_activate_makes_a_better_candidate_live(run_training, better_rows):
    run = run_training(better_rows, better_rows, activate=True)
    assert run.output_model.metrics["better_than_live"] is True
    assert _live() == run.output_model.version
    assert f"activated {run.output_model.version}" in run.log


def test_activate_leaves_a_worse_candidate_inactive(run_training, inverted_rows, sample_rows):
    run = run_training(inverted_rows, sample_rows, activate=True)
    assert run.status == Status.SUCCEEDED
    assert run.metrics_candidate["spearman"] < run.metrics_live["spearman"]
    assert not ScoringModel.objects.get(pk=run.output_model.pk).is_active
    assert _live() == "pretrained"
    assert "not activated" in run.log


def test_activate_if_worse_insists(run_training, inverted_rows, sample_rows):
    run = run_training(inverted_rows, sample_rows, activate=True, activate_if_worse=True)
    assert run.output_model.metrics["better_than_live"] is False
    assert _live() == run.output_model.version


# --- activation and rollback --------------------------------------------------------------


def test_a_worse_model_is_refused_unless_forced(worse_run):
    model = worse_run.output_model
    with pytest.raises(matching_errors.ActivationRefused, match="was worse than pretrained"):
        scoring_activation.scoring_model_activate(model=model)
    assert _live() == "pretrained"
    scoring_activation.scoring_model_activate(model=model, force=True)
    assert _live() == model.version


def test_activation_rescores_pairs_and_rollback_restores_the_pretrained_model(better_run, settings):
    settings.MATCHING_SYNC_TASKS = True  # the background re-scoring runs inline
    job = intake_jobs.job_create(
        title="Senior Python developer", description="Django, PostgreSQL", must_have="Python"
    )
    for name, text in (("py.txt", PYTHON_RESUME), ("rn.txt", NURSE_RESUME)):
        intake_resumes.resume_create(name=name, data=text.encode())
    pretrained = ScoringModel.objects.get(version="pretrained")
    assert set(Pair.objects.filter(job=job).values_list("scoring_model", flat=True)) == {
        pretrained.pk
    }
    custom = better_run.output_model

    scoring_activation.scoring_model_activate(model=custom)

    assert _live() == custom.version
    assert isinstance(
        heads.scorer_for(scoring_activation.scoring_model_active()), heads.TrainedHead
    )
    rescored = Pair.objects.filter(job=job)
    assert rescored.count() == 2
    assert set(rescored.values_list("scoring_model", flat=True)) == {custom.pk}
    assert all(0.0 <= s <= 1.0 for s in rescored.values_list("score", flat=True))

    # A rollback: the pre-trained model has no comparison to refuse it.
    scoring_activation.scoring_model_activate(model=pretrained)

    assert _live() == "pretrained"
    assert not isinstance(
        heads.scorer_for(scoring_activation.scoring_model_active()), heads.TrainedHead
    )
    assert set(Pair.objects.filter(job=job).values_list("scoring_model", flat=True)) == {
        pretrained.pk
    }
    assert ScoringModel.objects.filter(is_active=True).count() == 1


def test_a_model_whose_folder_is_gone_cannot_be_activated(better_run, settings):
    model = better_run.output_model
    (Path(settings.MODELS_STORE_DIR) / model.version / "head.npz").unlink()
    with pytest.raises(matching_errors.ModelUnavailable):
        scoring_activation.scoring_model_activate(model=model)
    assert _live() == "pretrained"


# --- runs that do not succeed -------------------------------------------------------------


def test_too_few_examples_fail_with_the_check_message_and_leave_nothing(
    run_training, sample_rows, settings
):
    run = run_training(sample_rows[:20])
    assert run.status == Status.FAILED
    assert run.error.startswith("Only 20 labeled examples; at least 50 are needed")
    assert {"code": "too_few", "level": "error"}.items() <= run.checks[0].items()
    assert run.output_model is None
    assert not ScoringModel.objects.filter(kind=ScoringModel.Kind.CUSTOM).exists()
    assert _store_entries(settings) == []
    assert _live() == "pretrained"
    assert run.log.splitlines()[-1].startswith("failed: Only 20 labeled examples")


def test_too_few_examples_train_when_forced(run_training, sample_rows):
    train, validation = _subset(sample_rows, 20), _subset(sample_rows, 10, skip=20)
    run = run_training(train, validation, force=True)
    assert run.status == Status.SUCCEEDED, run.error
    assert {c["code"]: c["level"] for c in run.checks} == {"too_few": "warning"}
    assert run.metrics_candidate["n"] == len(validation)


def test_training_data_without_poor_matches_fails_with_the_check(run_training, sample_rows):
    good = [r for r in sample_rows if r["score"] >= 0.3]
    run = run_training(good, sample_rows)
    assert run.status == Status.FAILED
    assert "No poor matches (score below 0.3)" in run.error


def test_a_fault_mid_run_marks_it_failed_and_removes_the_half_written_folder(
    run_training, sample_rows, settings, tmp_path
):
    # The bundled model's folder is gone: embedding (the fake encoder) works, but copying
    # the encoder into the new model folder fails after that folder was started.
    missing = tmp_path / "moved-away-model"
    settings.PRETRAINED_MODEL_PATH = str(missing)
    run = run_training(sample_rows)
    assert run.status == Status.FAILED
    assert str(missing) in run.error
    assert run.finished_at is not None
    assert run.progress < 1.0
    assert run.output_model is None
    assert _incoming(settings) == []
    assert _versions(settings) == []
    assert not ScoringModel.objects.filter(kind=ScoringModel.Kind.CUSTOM).exists()
    assert _live() == "pretrained"
    assert "failed: " in run.log


def test_an_unwritable_models_store_fails_the_run_with_the_reason(
    run_training, sample_rows, settings, tmp_path
):
    # A file where the store's folder should be: no folder can be created under it (a
    # permission bit would not stop root, who runs these tests in CI containers).
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    settings.MODELS_STORE_DIR = blocker / "models_store"
    run = run_training(sample_rows, activate=True)
    assert run.status == Status.FAILED
    assert "not-a-folder" in run.error
    assert not ScoringModel.objects.filter(kind=ScoringModel.Kind.CUSTOM).exists()
    assert _live() == "pretrained"
    assert blocker.read_text() == "x"


# --- cancellation, stale runs, transitions ------------------------------------------------


def test_a_cancelled_queued_run_never_runs(sample_rows):
    run = training_runs.training_run_create(
        train_file=("t.json", json.dumps(sample_rows).encode()), enqueue=False
    )
    training_runs.training_run_cancel(run=run)
    assert tasks.run_training(run.pk) == "skipped"
    with pytest.raises(
        training_errors.InvalidTransition, match="is cancelled; it cannot become running"
    ):
        training_runs.training_run_execute(run.pk)
    run.refresh_from_db()
    assert run.status == Status.CANCELLED
    assert run.finished_at is not None
    assert run.output_model is None


def test_a_run_cancelled_while_running_stops_and_leaves_no_folder(sample_rows, settings):
    run = training_runs.training_run_create(
        train_file=("t.json", json.dumps(sample_rows).encode()), enqueue=False
    )
    seen: list[str] = []
    folder_when_cancelled: list[bool] = []

    def cancel_once_the_model_folder_is_started(progress: float, stage: str) -> None:
        seen.append(stage)
        if stage == "fitting the scoring head":
            folder_when_cancelled.append((models_store.incoming_dir(run.pk) / "encoder").is_dir())
            training_runs.training_run_cancel(run=run)

    run = training_runs.training_run_execute(
        run.pk, listener=cancel_once_the_model_folder_is_started
    )
    assert run.status == Status.CANCELLED
    # The cancel came while the incoming folder held the encoder; the run noticed at that
    # very report (a log line always reaches the database), fitted no head, and removed
    # the folder.
    assert folder_when_cancelled == [True]
    assert seen[-1] == "fitting the scoring head"
    assert "head fitted" not in seen
    assert run.log.splitlines()[-1] == "cancelled"
    assert run.output_model is None
    assert not ScoringModel.objects.filter(kind=ScoringModel.Kind.CUSTOM).exists()
    assert _incoming(settings) == []
    assert _versions(settings) == []
    assert _live() == "pretrained"


def test_stale_running_runs_are_marked_failed_and_their_folders_removed(settings):
    settings.TRAINING_STALE_AFTER_S = 900
    now = timezone.now()
    stale = TrainingRun.objects.create(
        status=Status.RUNNING,
        started_at=now - timedelta(hours=2),
        heartbeat_at=now - timedelta(minutes=20),
    )
    alive = TrainingRun.objects.create(
        status=Status.RUNNING, started_at=now, heartbeat_at=now - timedelta(minutes=5)
    )
    queued = TrainingRun.objects.create(status=Status.QUEUED)
    for run in (stale, alive):
        (store.start_incoming(run.pk) / "head.npz").write_bytes(b"half")

    assert training_runs.runs_fail_stale() == 1

    stale.refresh_from_db()
    assert stale.status == Status.FAILED
    assert "The worker stopped reporting at" in stale.error
    assert "The live model is unchanged" in stale.error
    assert stale.finished_at is not None
    assert not models_store.incoming_dir(stale.pk).exists()
    alive.refresh_from_db()
    queued.refresh_from_db()
    assert alive.status == Status.RUNNING
    assert models_store.incoming_dir(alive.pk).exists()
    assert queued.status == Status.QUEUED
    assert training_runs.runs_fail_stale() == 0


@pytest.mark.django_db(transaction=True)
def test_a_live_run_that_reports_nothing_for_a_while_is_not_taken_for_dead(
    run_training, sample_rows, settings, monkeypatch
):
    """Embedding the training pairs is one silent call that can outlast
    TRAINING_STALE_AFTER_S on a large set. The worker's heartbeat thread keeps the run
    alive through it: the sweep, run meanwhile, finds nothing (without the thread it
    fails the run, whose next report then stops it as cancelled)."""
    settings.TRAINING_STALE_AFTER_S = 1
    settings.TRAINING_HEARTBEAT_S = 0.1
    swept: list[int] = []
    embed = training_steps.examples_features

    def slow_and_silent(examples, encoder_key, **kwargs):
        if not swept:
            time.sleep(1.5)
            swept.append(training_runs.runs_fail_stale())
        return embed(examples, encoder_key, **kwargs)

    monkeypatch.setattr(training_steps, "examples_features", slow_and_silent)
    run = run_training(sample_rows)
    assert swept == [0]
    assert run.status == Status.SUCCEEDED, run.error


def test_final_runs_cannot_change_state(better_run):
    with pytest.raises(
        training_errors.InvalidTransition, match="is succeeded; it cannot become running"
    ):
        training_runs.training_run_execute(better_run.pk)
    with pytest.raises(training_errors.InvalidTransition, match="cannot become cancelled"):
        training_runs.training_run_cancel(run=better_run)
    better_run.refresh_from_db()
    assert better_run.status == Status.SUCCEEDED


def test_a_failed_run_cannot_be_cancelled(run_training, sample_rows):
    failed = run_training(sample_rows[:5])
    assert failed.status == Status.FAILED
    with pytest.raises(training_errors.InvalidTransition):
        training_runs.training_run_cancel(run=failed)


@pytest.mark.parametrize(
    ("start", "allowed"),
    [
        (Status.QUEUED, {Status.RUNNING, Status.CANCELLED, Status.FAILED}),
        (Status.RUNNING, {Status.SUCCEEDED, Status.FAILED, Status.CANCELLED}),
        (Status.SUCCEEDED, set()),
        (Status.FAILED, set()),
        (Status.CANCELLED, set()),
    ],
)
def test_only_the_documented_transitions_are_allowed(start, allowed):
    for target in Status.values:
        run = TrainingRun.objects.create(status=start)
        if target in allowed:
            assert TrainingRun.transition(run.pk, target).status == target
        else:
            with pytest.raises(training_errors.InvalidTransition):
                TrainingRun.transition(run.pk, target)
            run.refresh_from_db()
            assert run.status == start


# --- feedback and the retraining suggestion -----------------------------------------------


def test_feedback_is_stored_with_its_source_and_the_predicted_score(reviewer):
    example = training_labels.feedback_collect(
        resume_text=PYTHON_RESUME,
        job_description="Python developer",
        predicted_score=0.42,
        actual_score=0.9,
        user=reviewer,
        origin="client-app",
    )
    example.refresh_from_db()
    assert example.source == LabeledExample.Source.FEEDBACK
    assert example.score == 0.9
    assert example.predicted_score == 0.42
    assert example.created_by == reviewer
    assert example.origin == "client-app"
    assert example.resume_text == PYTHON_RESUME


def test_feedback_without_a_prediction_is_accepted():
    example = training_labels.feedback_collect(
        resume_text="r", job_description="j", predicted_score=None, actual_score=0
    )
    assert example.predicted_score is None and example.score == 0.0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"actual_score": 1.5}, "actual_score must be between 0 and 1"),
        ({"actual_score": -0.01}, "actual_score must be between 0 and 1"),
        ({"predicted_score": 2.0}, "predicted_score must be between 0 and 1"),
        ({"resume_text": "   "}, "must not be empty"),
        ({"job_description": ""}, "must not be empty"),
    ],
)
def test_feedback_out_of_range_or_empty_is_refused(fields, message):
    values = {
        "resume_text": "r",
        "job_description": "j",
        "predicted_score": 0.5,
        "actual_score": 0.5,
        **fields,
    }
    with pytest.raises(ValueError, match=message):
        training_labels.feedback_collect(**values)
    assert not LabeledExample.objects.exists()


def _feedback(n: int) -> None:
    for i in range(n):
        training_labels.feedback_collect(
            resume_text=f"Resume {i}", job_description="Job", predicted_score=0.5, actual_score=0.9
        )


def test_retraining_is_suggested_after_enough_new_labels(settings):
    settings.RETRAIN_SUGGEST_AFTER = 3
    assert retrain_status().new_labels == 0
    _feedback(2)
    status = retrain_status()
    assert (status.new_labels, status.threshold, status.suggested) == (2, 3, False)
    assert status.since is None and status.live_model == "pretrained"
    job = intake_jobs.job_create(title="Nurse", description="ICU")
    resume = intake_resumes.resume_create(name="rn.txt", data=NURSE_RESUME.encode()).resume
    pair = review_ratings.pair_get_or_create(resume=resume, job=job)
    review_ratings.rating_create(pair=pair, score=0.8)
    assert retrain_status().new_labels == 3
    assert retrain_status().suggested
    queued = TrainingRun.objects.create(status=Status.QUEUED)
    assert not retrain_status().suggested  # a run is on its way already
    training_runs.training_run_cancel(run=queued)
    assert retrain_status().suggested


def test_retraining_counts_only_labels_newer_than_the_live_custom_model(
    settings, run_training, better_rows
):
    settings.RETRAIN_SUGGEST_AFTER = 2
    _feedback(3)
    run = run_training(better_rows, better_rows, activate=True)
    assert _live() == run.output_model.version
    status = retrain_status()
    assert status.since == run.output_model.created_at
    assert (status.new_labels, status.suggested) == (0, False)
    _feedback(2)
    status = retrain_status()
    assert (status.new_labels, status.suggested) == (2, True)
    assert status.live_model == run.output_model.version


def test_enough_new_labels_queue_a_run_when_retrain_auto_is_on(
    settings, sample_rows, django_capture_on_commit_callbacks
):
    settings.RETRAIN_AUTO = True
    settings.RETRAIN_SUGGEST_AFTER = 60
    training_labels.examples_import(
        examples=[Example(r["resume"], r["job_description"], r["score"]) for r in sample_rows],
        source=LabeledExample.Source.IMPORT,
    )
    with django_capture_on_commit_callbacks(execute=True):
        _feedback(1)
    # MATCHING_SYNC_TASKS: the queued run executed inline on the database's labels.
    run = TrainingRun.objects.get()
    assert run.params["from_ratings"] is True
    assert run.status == Status.SUCCEEDED, run.error
    assert run.dataset["sources"] == {"import": 63, "feedback": 1}
    assert run.dataset["train"]["examples"] + run.dataset["validation"]["examples"] == 64


def test_retrain_auto_waits_for_the_threshold(settings, django_capture_on_commit_callbacks):
    settings.RETRAIN_AUTO = True
    settings.RETRAIN_SUGGEST_AFTER = 5
    with django_capture_on_commit_callbacks(execute=True):
        _feedback(4)
    assert not TrainingRun.objects.exists()


def test_labels_queue_nothing_when_retrain_auto_is_off(
    settings, django_capture_on_commit_callbacks
):
    settings.RETRAIN_AUTO = False
    settings.RETRAIN_SUGGEST_AFTER = 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _feedback(3)
    assert callbacks == []
    assert not TrainingRun.objects.exists()


def test_an_import_alone_queues_a_run_when_it_crosses_the_threshold(
    settings, sample_rows, django_capture_on_commit_callbacks
):
    settings.RETRAIN_AUTO = True
    settings.RETRAIN_SUGGEST_AFTER = 60
    with django_capture_on_commit_callbacks(execute=True):
        training_labels.examples_import(
            examples=[Example(r["resume"], r["job_description"], r["score"]) for r in sample_rows],
            source=LabeledExample.Source.IMPORT,
        )
    run = TrainingRun.objects.get()
    assert run.params["from_ratings"] is True
    assert run.dataset["sources"] == {"import": 63}
