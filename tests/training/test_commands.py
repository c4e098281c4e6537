"""The management commands of the training app, through call_command."""

from __future__ import annotations

import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from matching.models import ScoringModel
from matching.scoring.activation import scoring_model_active
from training.management.commands.train_custom_model import DEFAULT_SAMPLE_TARGET
from training.models import LabeledExample, TrainingRun

pytestmark = pytest.mark.django_db

METRIC_KEYS = {"n", "spearman", "pearson", "mae", "band_accuracy", "model"}


def _call(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


# --- train_custom_model -------------------------------------------------------------------


def test_create_sample_writes_a_varied_training_file(tmp_path):
    target = tmp_path / "data" / "sample.json"
    output = _call("train_custom_model", "--create-sample", str(target))
    rows = json.loads(target.read_text())
    assert f"Wrote {len(rows)} sample examples to {target}" in output
    assert len(rows) >= 50
    assert all(set(r) >= {"resume", "job_description", "score"} for r in rows)
    assert any(r["score"] < 0.3 for r in rows) and any(r["score"] >= 0.7 for r in rows)
    assert len({r["job_description"] for r in rows}) >= 4  # several roles
    assert not TrainingRun.objects.exists()


def test_the_default_sample_file_lands_where_git_ignores_it():
    """`--create-sample` without a path writes under data/ in the checkout: a file made
    by following the docs must not show up as something to commit."""
    root = Path(__file__).resolve().parents[2]
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", str(DEFAULT_SAMPLE_TARGET)], cwd=root
    )
    assert ignored.returncode == 0, f"{DEFAULT_SAMPLE_TARGET} is not ignored by git"


def test_train_prints_the_live_and_candidate_metrics(tmp_path, sample_rows, write_json):
    path = write_json("train.json", sample_rows)
    output = _call("train_custom_model", "--train", str(path), "--no-progress")
    run = TrainingRun.objects.get()
    assert run.status == TrainingRun.Status.SUCCEEDED
    lines = output.splitlines()
    header = next(line for line in lines if "spearman" in line)
    assert header.split() == ["spearman", "95%", "interval", "pearson", "mae", "bands"]
    live = next(line for line in lines if line.startswith("live"))
    candidate = next(line for line in lines if line.startswith("candidate"))
    assert live.split()[1] == str(run.metrics_live["spearman"])
    assert live.split()[-1] == "pretrained"
    assert candidate.split()[1] == str(run.metrics_candidate["spearman"])
    low, high = run.metrics_candidate["ci"]["spearman"]
    assert candidate.split()[2:5] == [f"{low:.3f}", "to", f"{high:.3f}"]
    assert candidate.split()[-1] == run.output_model.version
    verdict = run.output_model.metrics["comparison"]["verdict"]
    assert f"Against the live model: {verdict} (validation: Spearman gain" in output
    assert f"Saved {run.output_model.version} (not active)" in output
    assert "info     No validation data given" in output


def test_train_with_validation_and_activate(better_rows, write_json):
    train = write_json("train.json", better_rows)
    validation = write_json("val.json", better_rows)
    output = _call(
        "train_custom_model",
        "--train",
        str(train),
        "--validation",
        str(validation),
        "--activate",
        "--no-progress",
    )
    run = TrainingRun.objects.get()
    assert run.params["activate"] is True
    assert scoring_model_active() == run.output_model
    assert f"Saved {run.output_model.version} (active)" in output
    assert f"activated {run.output_model.version}" in output


def test_train_with_a_bad_file_names_the_row(sample_rows, write_json):
    rows = sample_rows[:10]
    rows[6] = {"resume": "r", "job_description": "j", "score": "very good"}
    path = write_json("bad.json", rows)
    with pytest.raises(CommandError, match=r"bad\.json, example 7: 'score' must be a number"):
        _call("train_custom_model", "--train", str(path), "--no-progress")
    assert not TrainingRun.objects.exists()


def test_train_with_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        _call("train_custom_model", "--train", str(tmp_path / "nope.json"))


def test_train_that_fails_its_checks_prints_them_and_errors(sample_rows, write_json):
    path = write_json("small.json", sample_rows[:12])
    with pytest.raises(CommandError, match=r"Run \d+ failed: Only 12 labeled examples"):
        _call("train_custom_model", "--train", str(path), "--no-progress")
    assert TrainingRun.objects.get().status == TrainingRun.Status.FAILED


def test_train_queue_records_the_run_without_running_it(sample_rows, write_json, settings):
    settings.MATCHING_SYNC_TASKS = False  # a real queue: nothing runs in this process
    path = write_json("train.json", sample_rows)
    output = _call("train_custom_model", "--train", str(path), "--queue")
    run = TrainingRun.objects.get()
    assert f"Queued training run {run.pk}" in output
    assert run.status == TrainingRun.Status.QUEUED


# --- evaluate -----------------------------------------------------------------------------


def test_evaluate_prints_one_json_object_on_its_last_line(sample_rows, write_json):
    path = write_json("eval.json", sample_rows)
    output = _call("evaluate", "--data", str(path))
    result = json.loads(output.strip().splitlines()[-1])
    assert set(result) >= METRIC_KEYS
    assert result["n"] == 63
    assert result["model"] == "pretrained"
    assert -1.0 <= result["spearman"] <= 1.0
    assert 0.0 <= result["band_accuracy"] <= 1.0
    assert 0.0 <= result["mae"] <= 1.0


def test_evaluate_a_named_model_uses_it(better_run, better_rows, write_json):
    path = write_json("eval.json", better_rows)
    version = better_run.output_model.version
    result = json.loads(_call("evaluate", "--data", str(path), "--model", version).splitlines()[-1])
    assert result["model"] == version
    # The run validated on these very examples: the command measures the same figures.
    assert result["spearman"] == pytest.approx(better_run.metrics_candidate["spearman"], abs=1e-3)


def test_evaluate_the_pretrained_model_by_name_on_a_fresh_database(sample_rows, write_json):
    path = write_json("eval.json", sample_rows)
    result = json.loads(
        _call("evaluate", "--data", str(path), "--model", "pretrained").splitlines()[-1]
    )
    assert result["model"] == "pretrained"
    assert result["n"] == 63


def test_evaluate_an_unknown_model_is_a_command_error(sample_rows, write_json):
    path = write_json("eval.json", sample_rows)
    with pytest.raises(CommandError, match=r"No model 'custom-nope'\. Known: pretrained\."):
        _call("evaluate", "--data", str(path), "--model", "custom-nope")


def test_evaluate_a_bad_file_is_a_command_error(write_json):
    path = write_json("eval.json", [{"resume": "r", "job_description": "j", "score": 3}])
    with pytest.raises(CommandError, match=r"eval\.json, example 1"):
        _call("evaluate", "--data", str(path))


# --- import_labels ------------------------------------------------------------------------


def test_import_labels_stores_every_example(sample_rows, write_json):
    path = write_json("labels.json", sample_rows)
    output = _call("import_labels", str(path))
    assert "Imported 63 labeled examples from labels.json" in output
    stored = LabeledExample.objects.all()
    assert stored.count() == 63
    assert set(stored.values_list("source", flat=True)) == {"import"}
    assert set(stored.values_list("origin", flat=True)) == {"labels.json"}
    assert sorted(stored.values_list("score", flat=True)) == sorted(r["score"] for r in sample_rows)


def test_import_labels_history_csv_maps_outcomes(tmp_path, settings):
    path = tmp_path / "history.csv"
    path.write_text("resume,job,outcome\nAna nurse,ICU nurse,hired\nBo welder,ICU nurse,rejected\n")
    output = _call("import_labels", "--history", str(path))
    assert "Imported 2 labeled examples" in output
    stored = dict(LabeledExample.objects.values_list("resume_text", "score"))
    assert stored == {
        "Ana nurse": settings.HIRING_OUTCOME_SCORES["hired"],
        "Bo welder": settings.HIRING_OUTCOME_SCORES["rejected"],
    }
    assert set(LabeledExample.objects.values_list("source", flat=True)) == {"history"}


def test_import_labels_is_all_or_nothing(sample_rows, write_json):
    rows = [*sample_rows[:5], {"resume": "r", "job_description": "j"}, *sample_rows[5:10]]
    path = write_json("labels.json", rows)
    with pytest.raises(CommandError, match=r"Nothing imported\. labels\.json, example 6"):
        _call("import_labels", str(path))
    assert not LabeledExample.objects.exists()


def test_import_history_with_a_bad_row_imports_nothing(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("resume,job,outcome\nAna,Nurse,hired\nBo,Nurse,hired\nCy,Nurse,promoted\n")
    with pytest.raises(CommandError, match="row 4: outcome 'promoted' is not one of"):
        _call("import_labels", "--history", str(path))
    assert not LabeledExample.objects.exists()


# --- activate_model -----------------------------------------------------------------------


def test_activate_model_lists_versions_with_the_live_one_marked(better_run):
    output = _call("activate_model", "--list")
    lines = output.splitlines()
    assert any(line.startswith("* pretrained") for line in lines)
    version = better_run.output_model.version
    custom = next(line for line in lines if version in line)
    assert custom.startswith(" ")
    assert f"spearman={better_run.metrics_candidate['spearman']}" in custom


def test_activate_model_activates_and_rolls_back(better_run):
    version = better_run.output_model.version
    assert f"{version} is live" in _call("activate_model", version)
    assert scoring_model_active().version == version
    assert "pretrained is live" in _call("activate_model", "pretrained")
    assert scoring_model_active().version == "pretrained"
    assert ScoringModel.objects.filter(is_active=True).count() == 1


def test_activate_model_refuses_a_worse_model_unless_forced(worse_run):
    version = worse_run.output_model.version
    with pytest.raises(CommandError, match="was worse than pretrained"):
        _call("activate_model", version)
    assert scoring_model_active().version == "pretrained"
    _call("activate_model", version, "--force")
    assert scoring_model_active().version == version


def test_activate_model_unknown_version_or_missing_folder(better_run, settings):
    with pytest.raises(CommandError, match="No model 'v404'"):
        _call("activate_model", "v404")
    version = better_run.output_model.version
    (Path(settings.MODELS_STORE_DIR) / version / "head.npz").write_bytes(b"truncated")
    with pytest.raises(CommandError, match="cannot be read"):
        _call("activate_model", version)
    assert scoring_model_active().version == "pretrained"
