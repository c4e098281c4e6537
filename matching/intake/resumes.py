"""Resumes in: uploads, imports from folders, their text and term vector; scoring is
queued (matching.queue) after the commit.

Named <entity>_<action> with keyword-only arguments (HackSoft Django-Styleguide).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from matching import queue
from matching.errors import ExtractionError, extraction_error
from matching.intake import terms
from matching.intake.extraction import SUPPORTED_EXTENSIONS, extension_of, extract_text
from matching.intake.profile import profile_of
from matching.intake.readers import human_size
from matching.models import Resume
from matching.texts import text_hash


@dataclass
class UploadResult:
    resume: Resume
    created: bool

    @property
    def outcome(self) -> str:
        if not self.created:
            return "duplicate"
        return "imported" if self.resume.status == Resume.Status.EXTRACTED else "rejected"


def resume_create(
    *,
    name: str,
    data: bytes,
    uploaded_by: User | None = None,
    content_type: str = "",
    schedule: bool = True,
) -> UploadResult:
    """Store an uploaded file and its text; the same bytes twice return the first resume.

    A file whose text cannot be extracted is kept with status "failed" and the reason, so
    nothing a user uploaded vanishes. Scoring is queued after the commit.
    """
    digest = hashlib.sha256(data).hexdigest()
    existing = Resume.objects.filter(sha256=digest).first()
    if existing is not None:
        return UploadResult(existing, created=False)

    resume = Resume(
        original_name=name[:255],
        content_type=content_type[:100],
        size_bytes=len(data),
        sha256=digest,
        uploaded_by=uploaded_by,
    )
    try:
        _set_text(resume, extract_text(name, data))
    except ExtractionError as exc:
        resume.status = Resume.Status.FAILED
        resume.error_code = exc.code
        resume.error = exc.message
    # An oversized file is recorded but its bytes are not stored.
    stored = data if resume.error_code != "too_large" else b""
    result = _resume_save_new(resume, name=name, data=stored)
    if result.created and schedule and resume.status == Resume.Status.EXTRACTED:
        queue.enqueue_score_resumes([resume.pk])
    return result


def resume_profile(text: str, *, today: date | None = None) -> dict:
    """The stored form of a resume's structured profile, as of `today`."""
    today = today or date.today()
    return profile_of(text, today=today).stored(as_of=today)


# What is read from a resume's text and stored beside it (resume_read).
READ_FROM_TEXT = ["term_ids", "term_counts", "profile", "candidate_name"]


def resume_read(resume: Resume, *, today: date | None = None) -> None:
    """Set on `resume` what is read from its text (READ_FROM_TEXT): the terms the score
    counts, the structured profile and the candidate's name. Saves nothing."""
    resume.term_ids, resume.term_counts = terms.resume_term_vector(resume.text).to_bytes()
    resume.profile = resume_profile(resume.text, today=today)
    resume.candidate_name = resume.profile.get("name", "")


def resumes_reread(rows: QuerySet[Resume] | None = None, *, batch: int = 200) -> int:
    """Read the resumes of `rows` (default: every readable one) again, after the rules
    that read them changed; returns how many. `rows` may be of a migration's historical
    Resume: only its pk, text and the READ_FROM_TEXT fields are touched."""
    if rows is None:
        rows = Resume.objects.filter(status=Resume.Status.EXTRACTED)
    rows = rows.order_by("pk")
    today = date.today()
    done = 0
    for start in range(0, rows.count(), batch):
        chunk = list(rows.only("pk", "text")[start : start + batch])
        for resume in chunk:
            resume_read(resume, today=today)
        rows.model.objects.bulk_update(chunk, READ_FROM_TEXT)
        done += len(chunk)
    return done


def _set_text(resume: Resume, text: str) -> None:
    resume.text = text
    resume.text_sha256 = text_hash(text)
    resume_read(resume)
    resume.status = Resume.Status.EXTRACTED
    resume.error_code = ""
    resume.error = ""


@dataclass
class ImportSummary:
    imported: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    resume_ids: list[int] = field(default_factory=list)
    # Scoring tasks queued for the imported resumes, all under one django-q2 group.
    scoring_tasks: int = 0
    scoring_group: str = ""

    def record(self, path: str, result: UploadResult) -> None:
        if result.outcome == "imported":
            self.imported.append(path)
            self.resume_ids.append(result.resume.pk)
        elif result.outcome == "duplicate":
            self.duplicates.append(path)
        else:
            self.rejected.append((path, result.resume.error))


def collect_resume_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and every file under the folders named, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            )
        else:
            files.append(path)
    return files


def resumes_import_paths(
    *,
    paths: Iterable[str | Path],
    uploaded_by: User | None = None,
    progress: Callable[[Path, UploadResult | None], None] | None = None,
) -> ImportSummary:
    """Import files and folders: each file is imported, a duplicate, or rejected with why.

    One bad file never stops the batch. Text is extracted here, so the summary can say
    at once why a file was rejected; scoring (embedding dominates it) is queued in tasks
    of IMPORT_BATCH_SIZE resumes as soon as each is full, so django-q2 workers embed in
    parallel while the rest is still being read.
    """
    summary = ImportSummary(scoring_group=f"import-{uuid.uuid4().hex[:12]}")
    limit = settings.RESUME_MAX_BYTES
    pending: list[int] = []
    for path in collect_resume_files(paths):
        result: UploadResult | None = None
        try:
            if not path.exists():
                summary.rejected.append((str(path), f"{path}: no such file."))
            elif extension_of(path.name) not in SUPPORTED_EXTENSIONS and not _has_signature(path):
                summary.rejected.append(
                    (
                        str(path),
                        extraction_error(
                            "unsupported_type",
                            name=path.name,
                            detail=f" ({extension_of(path.name) or 'no extension'})",
                        ).message,
                    )
                )
            elif path.stat().st_size > limit:
                # Not read into memory: record the rejection with the claimed size only.
                result = resume_create_oversized(
                    name=path.name, size=path.stat().st_size, uploaded_by=uploaded_by, path=path
                )
                summary.record(str(path), result)
            else:
                result = resume_create(
                    name=path.name, data=path.read_bytes(), uploaded_by=uploaded_by, schedule=False
                )
                summary.record(str(path), result)
        except OSError as exc:
            summary.rejected.append((str(path), f"{path.name}: cannot be read ({exc.strerror})."))
        if result is not None and result.outcome == "imported":
            pending.append(result.resume.pk)
        if len(pending) >= settings.IMPORT_BATCH_SIZE:
            summary.scoring_tasks += queue.enqueue_score_resumes(
                pending, group=summary.scoring_group
            )
            pending = []
        if progress:
            progress(path, result)
    if pending:
        summary.scoring_tasks += queue.enqueue_score_resumes(pending, group=summary.scoring_group)
    return summary


def _has_signature(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(5)
    return head.startswith((b"%PDF-", b"PK\x03\x04"))


def resume_create_oversized(
    *, name: str, size: int, uploaded_by: User | None = None, path: Path | None = None
) -> UploadResult:
    """Record a file over the size limit without reading or storing its bytes."""
    digest_source = hashlib.sha256()
    if path is not None:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest_source.update(block)
    digest = digest_source.hexdigest()
    existing = Resume.objects.filter(sha256=digest).first()
    if existing is not None:
        return UploadResult(existing, created=False)
    error = extraction_error(
        "too_large", name=name, detail=human_size(size), limit=human_size(settings.RESUME_MAX_BYTES)
    )
    resume = Resume(
        original_name=name[:255],
        size_bytes=size,
        sha256=digest,
        uploaded_by=uploaded_by,
        status=Resume.Status.FAILED,
        error_code=error.code,
        error=error.message,
    )
    return _resume_save_new(resume, name=name, data=b"")


def _resume_save_new(resume: Resume, *, name: str, data: bytes) -> UploadResult:
    """Save a new resume with its file; if the same bytes were saved at the same moment
    by another upload, return that resume instead, as a duplicate."""
    try:
        with transaction.atomic():
            resume.file.save(Path(name).name or "resume", ContentFile(data), save=False)
            resume.save()
    except IntegrityError:
        resume.file.delete(save=False)
        return UploadResult(Resume.objects.get(sha256=resume.sha256), created=False)
    return UploadResult(resume, created=True)


def resumes_upload(
    *, files: Iterable[UploadedFile], uploaded_by: User | None = None
) -> list[UploadResult]:
    """Store uploaded files (the admin's upload page, the API) as resumes: each one is
    imported, a duplicate, or rejected with why, in the order given.

    Text is extracted now, so the caller can show each file's outcome; scoring of
    everything imported is queued as one batch, so the encoder runs over many resumes at
    a time. A file over RESUME_MAX_BYTES that Django spooled to disk is hashed from there
    and recorded as rejected without being read into memory.
    """
    results: list[UploadResult] = []
    for upload in files:
        temp_path = getattr(upload, "temporary_file_path", None)
        name, size = upload.name or "resume", upload.size or 0
        if size > settings.RESUME_MAX_BYTES and temp_path is not None:
            result = resume_create_oversized(
                name=name, size=size, uploaded_by=uploaded_by, path=Path(temp_path())
            )
        else:
            result = resume_create(
                name=name,
                data=upload.read(),
                uploaded_by=uploaded_by,
                content_type=upload.content_type or "",
                schedule=False,
            )
        results.append(result)
    imported = [r.resume.pk for r in results if r.outcome == "imported"]
    if imported:
        queue.enqueue_score_resumes(imported)
    return results
