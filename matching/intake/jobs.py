"""Jobs in: created and changed with their texts held to the limit of a resume's text;
scoring is queued (matching.queue) after the commit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from matching import queue
from matching.errors import JOB_TEXT_TOO_LONG
from matching.models import Job

# The long texts of a job, as the messages name them.
JOB_LONG_TEXTS = {
    "description": "description",
    "must_have": "must-have requirements",
    "nice_to_have": "nice-to-have requirements",
}


def job_text_errors(fields: Mapping[str, object]) -> dict[str, list[str]]:
    """The long texts among `fields` that pass the limit of a resume's text, each with its
    message: a job's text is embedded and matched like a resume's, so the same bound on
    the work one text may cause holds (the admin form shows these next to the fields)."""
    limit = settings.EXTRACTION_MAX_CHARS
    return {
        name: [JOB_TEXT_TOO_LONG.format(label=label, length=len(value), limit=limit)]
        for name, label in JOB_LONG_TEXTS.items()
        if isinstance(value := fields.get(name), str) and len(value) > limit
    }


def _job_texts_check(fields: Mapping[str, object]) -> None:
    errors = job_text_errors(fields)
    if errors:
        raise ValidationError(errors)


def job_create(
    *,
    title: str,
    description: str,
    must_have: str = "",
    nice_to_have: str = "",
    is_open: bool = True,
) -> Job:
    """A new job, scored against every resume in the background; ValidationError (by
    field) when a text is longer than the limit."""
    _job_texts_check(
        {"description": description, "must_have": must_have, "nice_to_have": nice_to_have}
    )
    job = Job.objects.create(
        title=title,
        description=description,
        must_have=must_have,
        nice_to_have=nice_to_have,
        is_open=is_open,
    )
    _schedule_job(job)
    return job


def job_update(*, job: Job, **fields: Any) -> Job:
    _job_texts_check(fields)
    text_before = job.embedded_text
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    if job.embedded_text != text_before or fields.get("is_open"):
        _schedule_job(job)
    return job


def _schedule_job(job: Job) -> None:
    if job.is_open:
        queue.enqueue_score_job(job.pk)
