"""Erasure: deleting a candidate removes the file, text, vectors, pairs and ratings, and
every copy training keeps (labeled examples, rows of uploaded training files, vectors in
trained heads' memory), from the service, the admin (one and bulk) and the API."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from matching import models_store
from matching.encoding.cache import resume_cache_key
from matching.intake import erasure as intake_erasure
from matching.models import Embedding, Pair, Rating, Resume, ReviewSkip
from matching.review import ratings as review_ratings
from matching.review import services as review_services
from matching.scoring import activation as scoring_activation
from matching.scoring import heads
from matching.scoring import services as scoring_services
from matching.texts import text_hash
from tests.api.helpers import token_client
from tests.factories import JobFactory, ResumeFactory
from training import labels as training_labels
from training import runs as training_runs
from training.models import LabeledExample, TrainingRun

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "training" / "sample" / "training_data.json"
CANDIDATE = "Mira Kovac. Data engineer, Spark and Airflow pipelines, 7 years. mira@example.org"


@pytest.fixture
def candidate(reviewer) -> Resume:
    """A scored, rated, skipped resume whose text is also kept for training as a feedback
    label, an imported example and a row of a run's training file."""
    resume = ResumeFactory(text=CANDIDATE)
    job = JobFactory()
    scoring_services.pairs_score(jobs=[job])
    pair = Pair.objects.get(resume=resume, job=job)
    review_ratings.rating_submit(pair=pair, reviewer=reviewer, score=0.75)
    review_services.pair_skip(pair=pair, reviewer=reviewer)
    training_labels.feedback_collect(
        resume_text=CANDIDATE,
        job_description=job.description,
        predicted_score=0.4,
        actual_score=0.9,
    )
    LabeledExample.objects.create(
        resume_text=CANDIDATE,
        job_text="Data engineer",
        resume_sha256=text_hash(CANDIDATE),
        score=0.8,
        source=LabeledExample.Source.IMPORT,
    )
    return resume


@pytest.fixture
def other_label() -> LabeledExample:
    """Someone else's label: erasure must leave it alone."""
    return training_labels.feedback_collect(
        resume_text="Another person entirely.",
        job_description="A job",
        predicted_score=None,
        actual_score=0.2,
    )


def _file_rows(field_file) -> list[dict]:
    with field_file.storage.open(field_file.name, "rb") as fh:
        return json.loads(fh.read())


def _nothing_left_of(resume_id: int, text: str, file_path: Path) -> None:
    assert not Resume.objects.filter(pk=resume_id).exists()
    assert not Pair.objects.filter(resume_id=resume_id).exists()
    assert not Rating.objects.filter(pair__resume_id=resume_id).exists()
    assert not ReviewSkip.objects.filter(pair__resume_id=resume_id).exists()
    assert not Embedding.objects.filter(text_sha256=text_hash(text)).exists()
    assert not LabeledExample.objects.filter(resume_sha256=text_hash(text)).exists()
    # No label kept for training carries the text, under any hash.
    assert not LabeledExample.objects.filter(resume_text__contains=text[:40]).exists()
    assert not file_path.exists()


def test_deleting_a_resume_erases_its_file_text_vectors_pairs_ratings_and_labels(
    candidate, other_label, settings, django_capture_on_commit_callbacks
):
    file_path = Path(settings.MEDIA_ROOT) / candidate.file.name
    assert file_path.exists() and Embedding.objects.filter(text_sha256=candidate.text_sha256)
    with django_capture_on_commit_callbacks(execute=True):
        removed = intake_erasure.resume_delete(resume=candidate)
    _nothing_left_of(candidate.pk, CANDIDATE, file_path)
    assert LabeledExample.objects.filter(pk=other_label.pk).exists()
    assert removed["pairs"] == 1 and removed["ratings"] == 1
    assert removed["training"]["labeled_examples"] == 2


def test_a_text_another_resume_still_has_keeps_its_vectors_and_labels_until_both_go(
    candidate, django_capture_on_commit_callbacks
):
    twin = ResumeFactory(text=CANDIDATE, sha256="f" * 64)  # the same text as a DOCX, say
    with django_capture_on_commit_callbacks(execute=True):
        intake_erasure.resume_delete(resume=candidate)
    assert Embedding.objects.filter(text_sha256=text_hash(CANDIDATE)).exists()
    assert LabeledExample.objects.filter(resume_sha256=text_hash(CANDIDATE)).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        intake_erasure.resume_delete(resume=twin)
    assert not Embedding.objects.filter(text_sha256=text_hash(CANDIDATE)).exists()
    assert not LabeledExample.objects.filter(resume_sha256=text_hash(CANDIDATE)).exists()


# --- training files and trained heads -------------------------------------------------------


@pytest.fixture
def trained():
    """A finished fast run on the shipped sample (also its validation file); returns the
    run and the resume text that appears most often in it."""
    raw = SAMPLE.read_bytes()
    rows = json.loads(raw)
    run = training_runs.training_run_create(
        train_file=("train.json", raw), validation_file=("validation.json", raw), enqueue=False
    )
    run = training_runs.training_run_execute(run.pk)
    assert run.status == TrainingRun.Status.SUCCEEDED, run.error
    text, count = Counter(r["resume"] for r in rows).most_common(1)[0]
    assert count >= 2
    return run, text, count


def _memory_matches(model, text: str) -> int:
    head = heads.TrainedHead.load(models_store.version_dir(model))
    key = resume_cache_key(model.encoder_key)
    row = Embedding.objects.get(text_sha256=text_hash(text), encoder_key=key)
    vector = np.frombuffer(bytes(row.vector), dtype=np.float32)
    return int((np.abs(head.memory_resumes - vector).max(axis=1) <= 1e-5).sum())


def test_erasure_takes_the_resume_out_of_training_files_and_trained_heads(trained):
    run, text, count = trained
    model = run.output_model
    memory_before = len(heads.TrainedHead.load(models_store.version_dir(model)).memory_scores)
    assert _memory_matches(model, text) == count
    rows_before = len(_file_rows(run.train_file))
    resume = ResumeFactory(text=text)

    removed = intake_erasure.resume_delete(resume=resume)

    run.refresh_from_db()
    for field_file in (run.train_file, run.validation_file):
        rows = _file_rows(field_file)
        assert len(rows) == rows_before - count
        assert all(r["resume"] != text for r in rows)
    assert "erasure of a resume" in run.log
    head = heads.TrainedHead.load(models_store.version_dir(model))
    assert len(head.memory_scores) == memory_before - count
    assert len(head.memory_resumes) == len(head.memory_jobs) == len(head.memory_scores)
    assert removed["training"]["training_file_rows"] == 2 * count
    assert removed["training"]["head_memory_rows"] == {model.version: count}
    # The smaller head still serves: the live version scores with it.
    scoring_activation.scoring_model_activate(model=model, force=True)
    job = JobFactory()
    other = ResumeFactory()
    assert scoring_services.pairs_score(jobs=[job], resume_ids=[other.pk]) == 1
    assert Pair.objects.get(resume=other, job=job).score is not None


# --- every way to delete goes through the erasure ------------------------------------------


def test_the_admin_delete_page_erases_and_scrubs_the_name_from_the_admin_history(
    candidate, reviewer
):
    client = Client()
    client.force_login(reviewer)
    name = candidate.original_name
    url = reverse("admin:matching_resume_delete", args=[candidate.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not LabeledExample.objects.filter(resume_sha256=text_hash(CANDIDATE)).exists()
    assert not Resume.objects.filter(pk=candidate.pk).exists()
    assert LogEntry.objects.filter(object_id=str(candidate.pk)).exists()
    assert not LogEntry.objects.filter(object_repr__contains=name).exists()
    event = AuditEvent.objects.get(action="deleted_resume")
    assert event.actor == reviewer and event.target_id == str(candidate.pk)


def test_the_admin_bulk_delete_action_erases_each_resume(candidate, reviewer):
    second = ResumeFactory()
    client = Client()
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:matching_resume_changelist"),
        {"action": "delete_selected", "_selected_action": [candidate.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Resume.objects.filter(pk__in=[candidate.pk, second.pk]).exists()
    assert not LabeledExample.objects.filter(resume_sha256=text_hash(CANDIDATE)).exists()
    assert AuditEvent.objects.filter(action="deleted_resume", actor=reviewer).count() == 2


def test_the_api_delete_erases_and_records_the_caller(candidate, reviewer):
    response = token_client(reviewer).delete(f"/api/v1/resumes/{candidate.pk}/")
    assert response.status_code == 204
    assert not LabeledExample.objects.filter(resume_sha256=text_hash(CANDIDATE)).exists()
    assert AuditEvent.objects.get(action="deleted_resume").actor == reviewer
    copies = AuditEvent.objects.get(action="erased_training_copies")
    assert copies.actor == reviewer
    assert copies.details["labeled_examples"] == 2


def test_the_audit_log_of_an_erasure_holds_no_personal_text(candidate):
    name = candidate.original_name
    intake_erasure.resume_delete(resume=candidate)
    for event in AuditEvent.objects.all():
        dumped = json.dumps([event.target_label, event.target_type, event.target_id, event.details])
        assert name not in dumped and "Mira" not in dumped


# --- the same person under another spelling of whitespace ----------------------------------

# As extraction stores it (matching.texts.normalize_text): LF lines, single spaces.
STORED = (
    "Mira Kovac\nData engineer, Spark and Airflow pipelines.\nmira@example.org +44 20 7946 0958"
)


@pytest.mark.parametrize(
    "spelling",
    [
        pytest.param(STORED + "\n", id="trailing-newline"),
        pytest.param(STORED.replace("\n", "\r\n") + "\r\n", id="crlf"),
        pytest.param(STORED.replace(" ", "  \t").replace("\n", " \n\n\n"), id="inner-whitespace"),
    ],
)
def test_erasure_matches_training_rows_and_labels_on_the_text_as_extraction_normalises_it(
    spelling, django_capture_on_commit_callbacks
):
    rows = [
        {"resume": spelling, "job_description": "Data engineer", "score": 0.9},
        {"resume": "Someone else entirely.", "job_description": "Data engineer", "score": 0.1},
    ]
    raw = json.dumps(rows).encode()
    run = training_runs.training_run_create(
        train_file=("train.json", raw), validation_file=("validation.json", raw), enqueue=False
    )
    training_labels.feedback_collect(
        resume_text=spelling, job_description="Data engineer", predicted_score=0.4, actual_score=0.9
    )
    resume = ResumeFactory(text=STORED)

    with django_capture_on_commit_callbacks(execute=True):
        removed = intake_erasure.resume_delete(resume=resume)

    run.refresh_from_db()
    for field_file in (run.train_file, run.validation_file):
        kept = _file_rows(field_file)
        assert [r["resume"] for r in kept] == ["Someone else entirely."]
        assert "mira@example.org" not in json.dumps(kept)
    assert not LabeledExample.objects.filter(resume_text__contains="mira@example.org").exists()
    assert removed["training"]["training_file_rows"] == 2
    assert removed["training"]["labeled_examples"] == 1
