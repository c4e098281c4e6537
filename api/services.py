"""Writes the API needs that matching.services does not offer as one call."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from matching import services
from matching.services import UploadResult
from matching.tasks import enqueue_score_resumes


def resumes_upload(*, files: list[UploadedFile], uploaded_by=None) -> list[UploadResult]:
    """Store uploaded files as resumes, each imported, a duplicate, or rejected with why.

    Text is extracted now, so the answer carries each file's status; scoring of everything
    imported is queued as one batch (as the admin upload does) and runs in the background.
    A file over RESUME_MAX_BYTES that Django spooled to disk is hashed from there and
    recorded as rejected without being read into memory.
    """
    results: list[UploadResult] = []
    for upload in files:
        temp_path = getattr(upload, "temporary_file_path", None)
        if upload.size > settings.RESUME_MAX_BYTES and temp_path is not None:
            result = services.resume_create_oversized(
                name=upload.name, size=upload.size, uploaded_by=uploaded_by, path=Path(temp_path())
            )
        else:
            result = services.resume_create(
                name=upload.name,
                data=upload.read(),
                uploaded_by=uploaded_by,
                content_type=upload.content_type or "",
                schedule=False,
            )
        results.append(result)
    imported = [r.resume.pk for r in results if r.outcome == "imported"]
    if imported:
        enqueue_score_resumes(imported)
    return results
