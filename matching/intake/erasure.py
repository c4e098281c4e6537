"""Erasing resumes: on request (resume_delete) and after RESUME_RETENTION_DAYS
(resumes_purge_expired, run daily as the task matching.tasks.purge_expired_resumes).

Copies kept outside matching (training's labeled examples, rows of uploaded training
files, vectors in trained heads' memory) are removed by the receivers of the
resume_erased signal (matching.signals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import timezone

from audit.services import Target, audit_record
from matching.models import Embedding, Pair, PairConflict, Rating, Resume
from matching.models_store import SENTENCES_VIEW
from matching.signals import resume_erased
from matching.texts import resume_text_key


def resume_delete(*, resume: Resume, actor: User | None = None, reason: str = "deleted") -> dict:
    """Erase a resume: its file, text, pairs and their ratings and skips, and, when no
    other resume has the same text, its vectors and every copy kept for training (the
    resume_erased signal: training removes labeled examples, rows of uploaded training
    files and the vectors in trained heads' memory). Names in the admin's history become
    "resume #id". Returns what was removed; the audit log records it with `actor`.

    A model already trained on the resume keeps what it learned: weights cannot unlearn
    one example (docs/reliability.md).
    """
    resume_id = resume.pk
    target = Target(type="matching.resume", id=str(resume_id), label=f"resume #{resume_id}")
    with transaction.atomic():
        storage, file_name = resume.file.storage, resume.file.name
        pair_ids = list(Pair.objects.filter(resume_id=resume_id).values_list("pk", flat=True))
        removed: dict = {
            "reason": reason,
            "pairs": len(pair_ids),
            "ratings": Rating.objects.filter(pair_id__in=pair_ids).count(),
            "file": bool(file_name),
            "embeddings": 0,
            "training": {},
        }
        removed["embeddings"], removed["training"] = _erase_copies(resume, actor)
        resume.delete()
        _anonymize_history(resume_id, pair_ids)
        audit_record(actor=actor, action="deleted_resume", target=target, details=removed)
        transaction.on_commit(lambda: file_name and storage.delete(file_name))
    return removed


def _erase_copies(resume: Resume, actor: User | None) -> tuple[int, dict]:
    """The resume's vectors and, through resume_erased, every copy kept for training, when
    no other resume has the same text; (vectors removed, what training removed)."""
    resume_id, text_sha = resume.pk, resume.text_sha256
    training: dict = {}
    text_unshared = bool(text_sha) and not (
        Resume.objects.filter(text_sha256=text_sha).exclude(pk=resume_id).exists()
    )
    if not text_unshared:
        return 0, training
    embeddings = Embedding.objects.filter(text_sha256=text_sha)
    vectors = {
        row.encoder_key: np.frombuffer(bytes(row.vector), dtype=np.float32)
        for row in embeddings.exclude(encoder_key__contains=SENTENCES_VIEW).only(
            "encoder_key", "vector"
        )
    }
    for _, result in resume_erased.send(
        sender=Resume,
        resume_id=resume_id,
        text_sha256=text_sha,
        text_key=resume_text_key(resume.text),
        vectors=vectors,
        actor=actor,
    ):
        if isinstance(result, dict):
            training.update(result)
    return embeddings.delete()[0], training


def _anonymize_history(resume_id: int, pair_ids: list[int]) -> None:
    # The admin's history names objects by str(): the file name and "name x job".
    for model, ids in ((Resume, [resume_id]), (Pair, pair_ids), (PairConflict, pair_ids)):
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        LogEntry.objects.filter(
            content_type=content_type, object_id__in=[str(i) for i in ids]
        ).update(object_repr=Concat(Value(f"{model._meta.verbose_name} #"), "object_id"))


@dataclass
class PurgeResult:
    days: int
    cutoff: datetime | None
    resume_ids: list[int] = field(default_factory=list)
    dry_run: bool = False


def resumes_purge_expired(
    *, days: int | None = None, dry_run: bool = False, now: datetime | None = None
) -> PurgeResult:
    """Erase resumes uploaded more than `days` (RESUME_RETENTION_DAYS) ago, each through
    resume_delete, so nothing of them stays in training data either. 0 keeps everything.

    Run daily by django-q2 (the task matching.tasks.purge_expired_resumes) and by
    `manage.py purge_resumes`.
    Each resume is erased in its own transaction: a failure stops the purge with the ones
    before it done, and the next run continues.
    """
    days = settings.RESUME_RETENTION_DAYS if days is None else days
    if days <= 0:
        return PurgeResult(days=days, cutoff=None, dry_run=dry_run)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    expired = Resume.objects.filter(created_at__lt=cutoff).order_by("pk")
    result = PurgeResult(days=days, cutoff=cutoff, dry_run=dry_run)
    if dry_run:
        result.resume_ids = list(expired.values_list("pk", flat=True))
        return result
    # Ids first: rows are deleted one by one while the list is walked.
    for resume_id in list(expired.values_list("pk", flat=True)):
        resume = Resume.objects.defer("text", "term_ids", "term_counts").filter(pk=resume_id)
        for row in resume:  # gone already if someone deleted it meanwhile
            resume_delete(resume=row, reason=f"retention ({days} days)")
            result.resume_ids.append(resume_id)
    if result.resume_ids:
        audit_record(
            actor=None,
            action="purged",
            target=Target(
                type="matching.resume",
                id="",
                label=f"{len(result.resume_ids)} resumes older than {days} days",
            ),
            details={"days": days, "cutoff": cutoff.isoformat(), "resumes": result.resume_ids},
        )
    return result
