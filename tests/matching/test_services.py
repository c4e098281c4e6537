"""Uploads, scoring, ratings and deletion through the matching services."""

from __future__ import annotations

import os

import pytest

from matching.intake import erasure as intake_erasure
from matching.intake import jobs as intake_jobs
from matching.intake import resumes as intake_resumes
from matching.models import Embedding, Pair, Rating, Resume, ScoringModel
from matching.review import ratings as review_ratings
from matching.scoring import activation as scoring_activation
from matching.scoring import inputs as scoring_inputs
from matching.scoring import services as scoring_services
from tests.conftest import NURSE_RESUME, PYTHON_RESUME, make_pdf
from tests.factories import JobFactory, PairFactory, ResumeFactory

pytestmark = pytest.mark.django_db


def test_upload_extracts_text_and_keeps_the_original_file(pdf_bytes):
    result = intake_resumes.resume_create(name="jane.pdf", data=pdf_bytes)
    resume = result.resume
    assert result.outcome == "imported"
    assert resume.status == Resume.Status.EXTRACTED
    assert "Django" in resume.text
    with resume.file.open("rb") as fh:
        assert fh.read() == pdf_bytes


def test_duplicate_upload_returns_existing_resume(pdf_bytes):
    first = intake_resumes.resume_create(name="jane.pdf", data=pdf_bytes)
    second = intake_resumes.resume_create(name="jane-again.pdf", data=pdf_bytes)
    assert second.outcome == "duplicate"
    assert second.resume.pk == first.resume.pk
    assert Resume.objects.count() == 1


def test_bad_upload_is_kept_with_its_reason():
    result = intake_resumes.resume_create(name="broken.pdf", data=b"%PDF-1.4 garbage")
    assert result.outcome == "rejected"
    resume = Resume.objects.get()
    assert resume.status == Resume.Status.FAILED
    assert resume.error.startswith("broken.pdf:")
    assert resume.file.size == len(b"%PDF-1.4 garbage")


def test_new_resume_is_scored_against_open_jobs(pdf_bytes):
    open_job = JobFactory()
    closed = JobFactory(is_open=False)
    resume = intake_resumes.resume_create(name="jane.pdf", data=pdf_bytes).resume
    pair = Pair.objects.get(resume=resume, job=open_job)
    assert 0.0 <= pair.score <= 1.0
    assert pair.scoring_model == ScoringModel.objects.get(is_active=True)
    assert not Pair.objects.filter(job=closed).exists()


def test_matching_resume_ranks_above_unrelated_one():
    job = intake_jobs.job_create(
        title="Senior Python Developer",
        description="Python, Django and PostgreSQL for our payment APIs.",
        must_have="Python\nDjango",
    )
    python = intake_resumes.resume_create(name="py.txt", data=PYTHON_RESUME.encode()).resume
    nurse = intake_resumes.resume_create(name="rn.txt", data=NURSE_RESUME.encode()).resume
    scores = dict(Pair.objects.filter(job=job).values_list("resume_id", "score"))
    assert scores[python.pk] > scores[nurse.pk]


def test_job_creation_scores_existing_resumes():
    ResumeFactory.create_batch(3)
    job = intake_jobs.job_create(title="Python developer", description="Python and Django")
    assert Pair.objects.filter(job=job, score__isnull=False).count() == 3


def test_vectors_are_cached_once_per_text():
    job = JobFactory()
    r = ResumeFactory()
    scoring_services.pairs_score(jobs=[job])
    scoring_services.pairs_score(jobs=[job])
    assert Embedding.objects.filter(text_sha256=r.text_sha256).count() == 1


def test_scoring_many_resumes_takes_a_constant_number_of_queries(django_assert_max_num_queries):
    job = JobFactory()
    ResumeFactory.create_batch(5)
    scoring_services.pairs_score(jobs=[job])  # warm the vector cache and the active model
    ResumeFactory.create_batch(60)
    scoring_services.pairs_score(jobs=[job])
    with django_assert_max_num_queries(15):
        scoring_services.pairs_score(jobs=[job])
    assert Pair.objects.filter(job=job).count() == 65


def test_rating_updates_the_pairs_rating_summary():
    pair = PairFactory(score=0.4)
    review_ratings.rating_create(pair=pair, score=0.9)
    review_ratings.rating_create(pair=pair, score=0.5, source=Rating.Source.API)
    pair.refresh_from_db()
    assert pair.rating_count == 2
    assert pair.rating_mean == pytest.approx(0.7)
    assert Rating.objects.filter(pair=pair).first().predicted_score == pytest.approx(0.4)


def test_rating_outside_unit_interval_is_refused():
    pair = PairFactory()
    with pytest.raises(ValueError):
        review_ratings.rating_create(pair=pair, score=1.5)
    assert not Rating.objects.exists()


@pytest.mark.parametrize(("stars", "score"), [(1, 0.0), (3, 0.5), (5, 1.0)])
def test_stars_map_onto_unit_interval(stars, score):
    assert Rating.stars_to_score(stars) == score


def test_deleting_a_resume_removes_file_pairs_and_vectors(
    pdf_bytes, django_capture_on_commit_callbacks
):
    JobFactory()
    resume = intake_resumes.resume_create(name="jane.pdf", data=pdf_bytes).resume
    file_path = resume.file.path
    sha = resume.text_sha256
    # The file goes only once the deletion has committed.
    with django_capture_on_commit_callbacks(execute=True):
        intake_erasure.resume_delete(resume=resume)
    assert not Resume.objects.exists()
    assert not Pair.objects.exists()
    assert not Embedding.objects.filter(text_sha256=sha).exists()
    assert not os.path.exists(file_path)


def test_only_one_model_is_active():
    first = scoring_activation.scoring_model_active()
    assert scoring_activation.scoring_model_active().pk == first.pk
    assert ScoringModel.objects.filter(is_active=True).count() == 1


def test_import_paths_reports_imported_duplicate_and_rejected(tmp_path):
    # One PDF written twice: fpdf2 stamps the creation time, so two calls may differ.
    pdf = make_pdf(PYTHON_RESUME)
    (tmp_path / "a.pdf").write_bytes(pdf)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(NURSE_RESUME)
    (tmp_path / "sub" / "copy.pdf").write_bytes(pdf)
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    (tmp_path / "notes.xlsx").write_bytes(b"not supported")
    summary = intake_resumes.resumes_import_paths(paths=[tmp_path])
    assert len(summary.imported) == 2
    assert len(summary.duplicates) == 1
    reasons = dict(summary.rejected)
    assert "unsupported file type" in reasons[str(tmp_path / "notes.xlsx")]
    assert reasons[str(tmp_path / "bad.pdf")].startswith("bad.pdf:")
    # The bad PDF is kept (with its reason); the unsupported file never became a resume.
    assert Resume.objects.filter(status=Resume.Status.FAILED).count() == 1


def test_oversized_file_is_recorded_without_storing_its_bytes(tmp_path, settings):
    settings.RESUME_MAX_BYTES = 1000
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    summary = intake_resumes.resumes_import_paths(paths=[big])
    resume = Resume.objects.get()
    assert summary.rejected[0][1] == resume.error
    assert resume.error_code == "too_large"
    assert resume.size_bytes == 5000
    assert resume.file.size == 0


def test_texts_score_does_not_store_anything_without_cache():
    scores, features = scoring_services.texts_score(
        pairs=[scoring_inputs.TextPair(resume=PYTHON_RESUME, job="Python developer with Django")],
        cache=False,
    )
    assert 0 <= scores[0] <= 1
    assert set(features) >= {"passage", "lexical", "coverage"}
    assert not Embedding.objects.exists()


def test_the_database_holds_one_rating_per_reviewer_and_pair_from_every_reviewer_surface(
    django_user_model,
):
    from django.db import IntegrityError, transaction

    reviewer = django_user_model.objects.create_user(username="ann")
    pair = PairFactory()
    Rating.objects.create(pair=pair, reviewer=reviewer, score=0.5, source=Rating.Source.ADMIN)
    for source in (Rating.Source.API, Rating.Source.QUEUE, Rating.Source.ADMIN):
        with pytest.raises(IntegrityError), transaction.atomic():
            Rating.objects.create(pair=pair, reviewer=reviewer, score=0.9, source=source)
    # Labels without a reviewer (imports, hiring history) may be many per pair.
    Rating.objects.create(pair=pair, score=0.1, source=Rating.Source.IMPORT)
    Rating.objects.create(pair=pair, score=0.2, source=Rating.Source.IMPORT)


def test_rating_create_for_a_reviewer_keeps_their_one_rating(django_user_model):
    reviewer = django_user_model.objects.create_user(username="ann")
    pair = PairFactory()
    review_ratings.rating_create(pair=pair, score=0.25, reviewer=reviewer)
    review_ratings.rating_create(pair=pair, score=0.75, reviewer=reviewer, source=Rating.Source.API)
    pair.refresh_from_db()
    assert (pair.rating_count, pair.rating_mean) == (1, 0.75)
