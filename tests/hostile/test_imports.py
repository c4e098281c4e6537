"""Label imports are all or nothing: one malformed row in the middle of a file stops the
import with the row number and the reason, and no row of that file stays in the
database. Labels stored before the import are untouched."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from tests.api.helpers import token_client
from training.datasets import Example
from training.labels import examples_import
from training.models import LabeledExample, TrainingRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier_labels() -> int:
    """Labels already in the database: a failed import must leave them as they are."""
    for i in range(3):
        LabeledExample.objects.create(
            resume_text=f"earlier resume {i}",
            job_text="earlier job",
            resume_sha256=f"{i:064d}",
            score=0.5,
            source=LabeledExample.Source.IMPORT,
        )
    return LabeledExample.objects.count()


def _rows(n: int) -> list[dict]:
    return [
        {"resume": f"Resume {i}: Python developer", "job_description": "Backend job", "score": 0.8}
        for i in range(1, n + 1)
    ]


def _import(path, *flags: str) -> None:
    call_command("import_labels", str(path), *flags, stdout=StringIO(), stderr=StringIO())


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ({"resume": "r", "job_description": "j", "score": "high"}, "'score' must be a number"),
        ({"resume": "r", "job_description": "j", "score": 1e400}, "'score' is inf, not between"),
        ({"resume": "r", "job_description": "j", "score": 10**400}, "'score' must be a number"),
        ({"resume": "a\x00b", "job_description": "j", "score": 0.5}, "contains a NUL character"),
        ({"resume": "\ud800", "job_description": "j", "score": 0.5}, "an unpaired surrogate"),
        ({"resume": "r", "job_description": ["j"], "score": 0.5}, "'job_description' must be"),
        ("just a string", "expected an object"),
    ],
    ids=["word-score", "infinite-score", "huge-int-score", "nul", "surrogate", "list", "string"],
)
def test_a_json_file_with_a_bad_example_in_the_middle_imports_nothing(
    tmp_path, earlier_labels, bad_row, reason
):
    rows = _rows(10)
    rows.insert(5, bad_row)
    path = tmp_path / "labels.json"
    path.write_text(json.dumps(rows))

    with pytest.raises(CommandError) as info:
        _import(path)

    assert str(info.value).startswith("Nothing imported. labels.json, example 6: ")
    assert reason in str(info.value)
    assert LabeledExample.objects.count() == earlier_labels


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("Cy,Nurse,promoted", "row 4: outcome 'promoted' is not one of"),
        (",Nurse,hired", "row 4: 'resume' must be non-empty text"),
        ("Cy\x00,Nurse,hired", "row 4: 'resume' contains a NUL character"),
        # Python's csv module refuses a field over 128 KB: a clear error, not a crash.
        ('"' + "x" * 200_000 + '",Nurse,hired', "row 4: not valid CSV (field larger than"),
    ],
    ids=["unknown-outcome", "no-resume", "nul", "oversized-field"],
)
def test_a_history_csv_with_a_bad_row_in_the_middle_imports_nothing(
    tmp_path, earlier_labels, bad_line, reason
):
    lines = ["resume,job,outcome", "Ana,Nurse,hired", "Bo,Nurse,rejected", bad_line]
    lines += [f"Dee {i},Nurse,hired" for i in range(5)]
    path = tmp_path / "history.csv"
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(CommandError) as info:
        _import(path, "--history")

    assert str(info.value).startswith("Nothing imported. history.csv, ")
    assert reason in str(info.value)
    assert LabeledExample.objects.count() == earlier_labels


def test_a_history_csv_with_old_mac_line_ends_is_read_row_by_row(tmp_path):
    path = tmp_path / "history.csv"
    path.write_bytes(b"resume,job,outcome\rAna,Nurse,hired\rBo,Nurse,rejected\r")

    _import(path, "--history")

    assert sorted(LabeledExample.objects.values_list("resume_text", flat=True)) == ["Ana", "Bo"]


def test_a_history_json_with_a_bad_record_imports_nothing(tmp_path, earlier_labels):
    records = [{"resume": f"R{i}", "job": "Nurse", "outcome": "hired"} for i in range(6)]
    records[3]["outcome"] = {"hired": True}
    path = tmp_path / "history.json"
    path.write_text(json.dumps(records))

    with pytest.raises(CommandError, match=r"history\.json, record 4: outcome .+ is not one of"):
        _import(path, "--history")
    assert LabeledExample.objects.count() == earlier_labels


def test_a_file_nested_deeper_than_python_recurses_is_refused_cleanly(tmp_path, earlier_labels):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)

    with pytest.raises(CommandError, match=r"deep\.json: not valid JSON \(nested too deeply\)"):
        _import(path)
    assert LabeledExample.objects.count() == earlier_labels


def test_a_database_failure_after_the_first_batch_leaves_nothing(earlier_labels):
    # Rows go in batches of 500; the 700th cannot be stored (a score is required), so
    # the first batch is already written when the import fails, and must be undone.
    examples = [Example(resume=f"R{i}", job="J", score=0.5) for i in range(1000)]
    examples[699] = Example(resume="R699", job="J", score=None)  # type: ignore[arg-type]

    with pytest.raises(IntegrityError):
        examples_import(examples=examples, source=LabeledExample.Source.IMPORT, origin="x.json")

    assert LabeledExample.objects.count() == earlier_labels


def test_the_api_refuses_a_training_file_with_a_bad_example_and_queues_nothing(reviewer):
    rows = _rows(8)
    rows[4]["resume"] = "Jane\x00Doe"
    upload = SimpleUploadedFile("train.json", json.dumps(rows).encode())

    response = token_client(reviewer).post(
        "/api/v1/training/runs/", {"train_file": upload}, format="multipart"
    )

    assert response.status_code == 400
    [message] = response.json()["error"]["fields"]["train_file"]
    assert message.startswith("train.json, example 5: 'resume' contains a NUL character")
    assert not TrainingRun.objects.exists()
