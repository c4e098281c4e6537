"""Hostile files in a batch with good ones, end to end: the bulk import, the upload
service behind the admin, and the REST API. Good files are imported, bad ones are kept
as rejected with the reason, nothing is lost and nothing stops the batch."""

from __future__ import annotations

import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from matching.intake import resumes as intake_resumes
from matching.models import Pair, Resume
from tests.api.helpers import token_client
from tests.conftest import NURSE_RESUME, PYTHON_RESUME, make_docx, make_pdf
from tests.factories import JobFactory
from tests.hostile import corpus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_reader_memory(settings):
    """A lower memory limit, so the PDF bomb of the batch is stopped sooner."""
    settings.EXTRACTION_MAX_MEMORY_MB = 256


GOOD = {
    "jane.pdf": ("extracted", "", "Senior Python developer"),
    "john.docx": ("extracted", "", "Registered nurse"),
    "zoe.txt": ("extracted", "", "Zoë Müller"),
    # A stray NUL would end the text on PostgreSQL: it is blanked, the text kept.
    "nul.txt": ("extracted", "", "Jane Doe, data engineer"),
}
BAD = {
    "bomb.pdf": ("failed", "extraction_memory", ""),
    "bomb.docx": ("failed", "docx_too_large", ""),
    "xxe.docx": ("failed", "docx_dtd", ""),
    "locked.pdf": ("failed", "encrypted_pdf", ""),
    "photo.pdf": ("failed", "type_mismatch", ""),
    "empty.txt": ("failed", "empty_file", ""),
    "noise.txt": ("failed", "undecodable_text", ""),
}


def _hostile_batch() -> dict[str, bytes]:
    pdf, docx_bytes = make_pdf(PYTHON_RESUME), make_docx(NURSE_RESUME)
    return {
        "jane.pdf": pdf,
        "john.docx": docx_bytes,
        "zoe.txt": "Zoë Müller, café manager".encode("cp1252"),
        "nul.txt": b"Jane Doe, data\x00engineer with Spark and Airflow, 6 years in fintech.",
        "bomb.pdf": corpus.flate_bomb_pdf(512),
        "bomb.docx": corpus.docx_bomb(docx_bytes, inflated_mb=200),
        "xxe.docx": corpus.xxe_docx(docx_bytes, system_url="file:///etc/passwd"),
        "locked.pdf": corpus.encrypted_pdf(pdf, user_password="secret"),
        "photo.pdf": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        "empty.txt": b"",
        "noise.txt": bytes(range(256)) * 8,
    }


def _assert_recorded(resume: Resume, name: str, data: bytes) -> None:
    status, code, text = {**GOOD, **BAD}[name]
    assert (resume.status, resume.error_code) == (status, code), resume.error
    assert text in resume.text
    assert "\x00" not in resume.text
    if code:
        assert resume.error.startswith(f"{name}: ")
    # Nothing lost: the file is kept as uploaded, rejected or not.
    with resume.file.open("rb") as fh:
        assert fh.read() == data


def test_bulk_import_of_a_hostile_folder_imports_the_good_and_records_the_bad(
    tmp_path, sparse_gigabyte
):
    job = JobFactory(title="Python developer", description="Python, Django, PostgreSQL")
    batch = _hostile_batch()
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name, data in batch.items():
        (folder / name).write_bytes(data)
    sparse_gigabyte.rename(folder / "gigabyte.pdf")

    summary = intake_resumes.resumes_import_paths(paths=[folder])

    assert sorted(p.rsplit("/", 1)[-1] for p in summary.imported) == sorted(GOOD)
    rejected = {p.rsplit("/", 1)[-1]: reason for p, reason in summary.rejected}
    assert sorted(rejected) == sorted([*BAD, "gigabyte.pdf"])
    assert all(reason.startswith(f"{name}: ") for name, reason in rejected.items())
    # One row per file: every upload is there, good or bad.
    assert Resume.objects.count() == len(batch) + 1
    for name, data in batch.items():
        _assert_recorded(Resume.objects.get(original_name=name), name, data)
    huge = Resume.objects.get(original_name="gigabyte.pdf")
    assert (huge.status, huge.error_code, huge.size_bytes) == ("failed", "too_large", 1024**3)
    assert "1.0 GB" in huge.error
    # The good resumes were scored against the open job (tasks run inline in the suite).
    scored = Pair.objects.filter(job=job).values_list("resume__original_name", flat=True)
    assert sorted(scored) == sorted(GOOD)


def test_uploads_mixing_hostile_and_good_files_keep_each_outcome():
    batch = _hostile_batch()
    files = [SimpleUploadedFile(name, data) for name, data in batch.items()]

    results = intake_resumes.resumes_upload(files=files)

    assert [r.outcome for r in results] == [
        "imported" if name in GOOD else "rejected" for name in batch
    ]
    for (name, data), result in zip(batch.items(), results, strict=True):
        _assert_recorded(result.resume, name, data)


def test_an_upload_spooled_to_disk_claiming_a_gigabyte_is_rejected_without_reading_it(
    sparse_gigabyte,
):
    upload = TemporaryUploadedFile("huge.pdf", "application/pdf", 1024**3, None)
    upload.file.close()
    upload.file.name = str(sparse_gigabyte)  # Django wrote the upload there
    upload.size = 1024**3

    tracemalloc.start()
    try:
        [result] = intake_resumes.resumes_upload(files=[upload])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    resume = result.resume
    assert (result.outcome, resume.error_code, resume.size_bytes) == (
        "rejected",
        "too_large",
        1024**3,
    )
    assert resume.error == "huge.pdf: the file is 1.0 GB, larger than the limit of 10.0 MB."
    assert resume.file.size == 0  # recorded, its bytes not stored
    assert peak < 16 * 1024 * 1024  # hashed in blocks, never read whole


def test_an_in_memory_upload_that_claims_a_gigabyte_is_judged_by_its_real_bytes():
    upload = SimpleUploadedFile("jane.txt", b"Jane Doe, Python developer")
    upload.size = 1024**3  # a lie in the request; Django keeps at most 5 MB in memory

    [result] = intake_resumes.resumes_upload(files=[upload])

    assert result.outcome == "imported"
    assert result.resume.size_bytes == len(b"Jane Doe, Python developer")


def test_the_api_answers_207_for_a_hostile_batch_and_names_each_files_reason(reviewer):
    batch = _hostile_batch()
    files = [SimpleUploadedFile(name, data) for name, data in batch.items()]

    response = token_client(reviewer).post("/api/v1/resumes/", {"files": files}, format="multipart")

    assert response.status_code == 207
    body = response.json()
    assert (body["imported"], body["rejected"]) == (len(GOOD), len(BAD))
    for item in body["results"]:
        status, code, _ = {**GOOD, **BAD}[item["name"]]
        assert (item["resume"]["status"], item["resume"]["error_code"]) == (status, code)
        if code:
            assert item["resume"]["error"].startswith(f"{item['name']}: ")
