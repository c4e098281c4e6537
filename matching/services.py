"""Writes of the matching app: resumes in, jobs, scores and ratings.

Named <entity>_<action> with keyword-only arguments (HackSoft Django-Styleguide). Views,
admin actions, commands and tasks call these and stay thin.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Max, Min, Q
from django.utils import timezone

from matching import lexical
from matching.encoder import PRETRAINED_KEY
from matching.errors import JOB_TEXT_TOO_LONG, ExtractionError, extraction_error
from matching.extraction import (
    SUPPORTED_EXTENSIONS,
    extension_of,
    extract_text,
    human_size,
    normalize_text,
)
from matching.models import (
    REVIEWER_SOURCES,
    Job,
    Pair,
    Rating,
    Resume,
    ReviewerPreference,
    ReviewSkip,
    ScoringModel,
)
from matching.scoring.features import FEATURE_NAMES, JobInput, ResumeBatch, pair_features
from matching.vectors import (
    encode_uncached,
    ensure_vectors,
    resume_cache_key,
    scored_text,
    text_hash,
)

logger = logging.getLogger(__name__)

PRETRAINED_VERSION = "pretrained"
# Resumes scored per pass: 20,000 resumes of ~4 windows are ~120 MB of float32 vectors.
SCORING_BATCH = 20_000


# --- scoring models ---------------------------------------------------------------------


def scoring_model_active() -> ScoringModel:
    """The live model; the bundled pre-trained one until something else is activated."""
    model = ScoringModel.objects.filter(is_active=True).first()
    if model is not None:
        return model
    try:
        with transaction.atomic():
            model, _ = ScoringModel.objects.get_or_create(
                version=PRETRAINED_VERSION,
                defaults={
                    "kind": ScoringModel.Kind.PRETRAINED,
                    "encoder_key": PRETRAINED_KEY,
                    "is_active": True,
                    "activated_at": timezone.now(),
                },
            )
            if not model.is_active and not ScoringModel.objects.filter(is_active=True).exists():
                model.is_active = True
                model.activated_at = timezone.now()
                model.save(update_fields=["is_active", "activated_at"])
    except IntegrityError:
        # Two processes created it at the same moment; the other one won.
        pass
    return ScoringModel.objects.get(is_active=True)


# Activations that may take the live row between one waiting activation's looks at it.
ACTIVATION_LOCK_TRIES = 20


class ActivationRefused(Exception):
    """The candidate measured worse than the model it would replace."""


def scoring_model_activate(*, model: ScoringModel, force: bool = False, actor=None) -> ScoringModel:
    """Make `model` the live one, then re-score every pair in the background.

    A version that measured worse than the live model on the same validation set (its
    training run records `better_than_live`) is refused unless forced. Rollback is the
    same call on an earlier version, or on the pre-trained one.

    Every web and worker process reads the live model from the database when it scores,
    and loads a version's head and encoder once, so the switch needs no restart. The
    model's files are loaded first: a missing or unreadable folder fails here, before
    anything changes.
    """
    from matching.heads import scorer_for
    from matching.tasks import enqueue_rescore_all

    if not force and model.metrics.get("better_than_live") is False:
        live = model.metrics.get("live_at_training", {})
        raise ActivationRefused(
            f"{model.version} was worse than {live.get('model', 'the live model')} on the same "
            f"validation set (Spearman {model.metrics.get('spearman')} against "
            f"{live.get('spearman')}); not activated. Activate it anyway to insist."
        )
    scorer_for(model)
    scoring_model_active()  # on a fresh database, creates the pre-trained row to lock
    with transaction.atomic():
        # Locks the live row: two activations at once are applied one after the other.
        # One that waited finds the row it waited for no longer live, and locks the row
        # that is live now (each statement reads what committed before it).
        live = None
        for _ in range(ACTIVATION_LOCK_TRIES):
            live = ScoringModel.objects.select_for_update().filter(is_active=True).first()
            if live is not None:
                break
        ScoringModel.objects.filter(is_active=True).exclude(pk=model.pk).update(is_active=False)
        ScoringModel.objects.filter(pk=model.pk).update(is_active=True, activated_at=timezone.now())
        enqueue_rescore_all()
        _audit_activation(model=model, live=live, force=force, actor=actor)
    model.refresh_from_db()
    return model


def _audit_activation(
    *, model: ScoringModel, live: ScoringModel | None, force: bool, actor
) -> None:
    from audit.services import Target, audit_record

    # Going back to a version older than the live one is a rollback, whichever screen did it.
    rolled_back = live is not None and live.pk != model.pk and model.created_at < live.created_at
    audit_record(
        actor=actor,
        action="rolled_back" if rolled_back else "activated",
        target=Target.of(model, label=model.version),
        details={
            "version": model.version,
            "previous": live.version if live else None,
            "force": force,
        },
    )


# --- resumes -----------------------------------------------------------------------------


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
    *, name: str, data: bytes, uploaded_by=None, content_type: str = "", schedule: bool = True
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
        from matching.tasks import enqueue_score_resumes

        enqueue_score_resumes([resume.pk])
    return result


def _set_text(resume: Resume, text: str) -> None:
    resume.text = text
    resume.text_sha256 = text_hash(text)
    resume.term_ids, resume.term_counts = lexical.term_vector(text).to_bytes()
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
    uploaded_by=None,
    progress: Callable[[Path, UploadResult | None], None] | None = None,
) -> ImportSummary:
    """Import files and folders: each file is imported, a duplicate, or rejected with why.

    One bad file never stops the batch. Text is extracted here, so the summary can say
    at once why a file was rejected; scoring (embedding dominates it) is queued in tasks
    of IMPORT_BATCH_SIZE resumes as soon as each is full, so django-q2 workers embed in
    parallel while the rest is still being read.
    """
    from matching.tasks import enqueue_score_resumes

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
            summary.scoring_tasks += enqueue_score_resumes(pending, group=summary.scoring_group)
            pending = []
        if progress:
            progress(path, result)
    if pending:
        summary.scoring_tasks += enqueue_score_resumes(pending, group=summary.scoring_group)
    return summary


def _has_signature(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(5)
    return head.startswith((b"%PDF-", b"PK\x03\x04"))


def resume_create_oversized(
    *, name: str, size: int, uploaded_by=None, path: Path | None = None
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


def resumes_upload(*, files: Iterable[UploadedFile], uploaded_by=None) -> list[UploadResult]:
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
        if upload.size > settings.RESUME_MAX_BYTES and temp_path is not None:
            result = resume_create_oversized(
                name=upload.name, size=upload.size, uploaded_by=uploaded_by, path=Path(temp_path())
            )
        else:
            result = resume_create(
                name=upload.name,
                data=upload.read(),
                uploaded_by=uploaded_by,
                content_type=upload.content_type or "",
                schedule=False,
            )
        results.append(result)
    imported = [r.resume.pk for r in results if r.outcome == "imported"]
    if imported:
        from matching.tasks import enqueue_score_resumes

        enqueue_score_resumes(imported)
    return results


def resume_text_key(text: str) -> str:
    """The hash that finds copies of a resume's text kept outside matching (labeled
    examples, rows of training files) when the resume is erased.

    The text as extraction normalises it, with every run of whitespace made one space: a
    copy that differs from the stored text only in line endings, a trailing newline, blank
    lines or spacing (pasted into a JSON file, sent as feedback) is the same person.
    """
    return text_hash(" ".join(normalize_text(text).split()))


def resume_delete(*, resume: Resume, actor=None, reason: str = "deleted") -> dict:
    """Erase a resume: its file, text, pairs and their ratings and skips, and, when no
    other resume has the same text, its vectors and every copy kept for training (the
    resume_erased signal: training removes labeled examples, rows of uploaded training
    files and the vectors in trained heads' memory). Names in the admin's history become
    "resume #id". Returns what was removed; the audit log records it with `actor`.

    A model already trained on the resume keeps what it learned: weights cannot unlearn
    one example (docs/reliability.md).
    """
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Value
    from django.db.models.functions import Concat

    from audit.services import Target, audit_record
    from matching.models import Embedding, PairConflict
    from matching.signals import resume_erased

    resume_id, text_sha = resume.pk, resume.text_sha256
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
        text_unshared = bool(text_sha) and not (
            Resume.objects.filter(text_sha256=text_sha).exclude(pk=resume_id).exists()
        )
        if text_unshared:
            embeddings = Embedding.objects.filter(text_sha256=text_sha)
            vectors = {
                row.encoder_key: np.frombuffer(bytes(row.vector), dtype=np.float32)
                for row in embeddings.only("encoder_key", "vector")
            }
            for _, result in resume_erased.send(
                sender=Resume,
                resume_id=resume_id,
                text_sha256=text_sha,
                text_key=resume_text_key(resume.text),
                vectors=vectors,
                actor=actor,
            ):
                removed["training"].update(result or {})
            removed["embeddings"] = embeddings.delete()[0]
        resume.delete()
        # The admin's history names objects by str(): the file name and "name x job".
        for model, ids in ((Resume, [resume_id]), (Pair, pair_ids), (PairConflict, pair_ids)):
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            LogEntry.objects.filter(
                content_type=content_type, object_id__in=[str(i) for i in ids]
            ).update(object_repr=Concat(Value(f"{model._meta.verbose_name} #"), "object_id"))
        audit_record(actor=actor, action="deleted_resume", target=target, details=removed)
        transaction.on_commit(lambda: file_name and storage.delete(file_name))
    return removed


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

    Run daily by django-q2 (migration matching/0004) and by `manage.py purge_resumes`.
    Each resume is erased in its own transaction: a failure stops the purge with the ones
    before it done, and the next run continues.
    """
    from audit.services import Target, audit_record

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


# --- jobs --------------------------------------------------------------------------------


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


def job_update(*, job: Job, **fields) -> Job:
    _job_texts_check(fields)
    text_before = job_text(job)
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    if job_text(job) != text_before or fields.get("is_open"):
        _schedule_job(job)
    return job


def _schedule_job(job: Job) -> None:
    if job.is_open:
        from matching.tasks import enqueue_score_job

        enqueue_score_job(job.pk)


def job_text(job: Job) -> str:
    """The text embedded for a job; its requirement headings parse back with
    lexical.requirements_from_text, so a job scores the same from the database or a file."""
    parts = [job.title, job.description]
    for heading, raw in (("Must have:", job.must_have), ("Nice to have:", job.nice_to_have)):
        items = lexical.split_requirements(raw)
        if items:
            parts.append("\n".join([heading, *items]))
    return "\n\n".join(parts)


# --- scores ------------------------------------------------------------------------------


def job_input(job: Job, *, encoder_key: str) -> JobInput:
    """A stored job as the scorer reads it: the same path as a job given as text, so a
    job scores the same from the database, a file or the API."""
    text = job_text(job)
    h = text_hash(text)
    vectors = ensure_vectors(texts={h: text}, encoder_key=encoder_key)[h]
    return job_input_from_text(
        text, title=job.title, vectors=vectors, terms=lexical.term_vector(text)
    )


def pairs_score(
    *,
    jobs: Iterable[Job] | None = None,
    resume_ids: list[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Score resumes against jobs with the live model; returns the number of pairs written.

    Defaults: every open job, every resume with text. Each job is one vectorised pass over
    the stacked vectors of the resumes; resumes are embedded first if not cached.
    """
    from matching.heads import scorer_for
    from matching.selectors import corpus_idf, resume_batch

    model = scoring_model_active()
    scorer = scorer_for(model)
    jobs = list(Job.objects.filter(is_open=True) if jobs is None else jobs)
    resumes = Resume.objects.filter(status=Resume.Status.EXTRACTED)
    if resume_ids is not None:
        resumes = resumes.filter(pk__in=resume_ids)
    ids = list(resumes.order_by("pk").values_list("pk", flat=True))
    if not ids or not jobs:
        return 0
    job_inputs = [(job, job_input(job, encoder_key=model.encoder_key)) for job in jobs]
    idf = corpus_idf()
    written = 0
    total = len(ids) * len(jobs)
    # Batches bound the memory of the stacked vectors, not the speed: each job is still
    # one vectorised pass per batch.
    for start in range(0, len(ids), SCORING_BATCH):
        batch, batch_ids = resume_batch(
            resume_ids=ids[start : start + SCORING_BATCH], encoder_key=model.encoder_key, idf=idf
        )
        for job, inputs in job_inputs:
            scores = scorer(batch.vectors, inputs.vector, pair_features(inputs, batch))
            stored = _store_scores(job=job, resume_ids=batch_ids, scores=scores, model=model)
            if stored is None:
                logger.info("stopped scoring with %s: another model went live", model.version)
                return written
            written += stored
            if progress:
                progress(written, total)
    return written


def pairs_rescore(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Score with the live model every open job it has not fully scored since it went
    live: after an activation, every job; when that re-scoring was interrupted (a worker
    killed) and runs again, only the jobs it had not finished."""
    model = scoring_model_active()
    total = Resume.objects.filter(status=Resume.Status.EXTRACTED).count()
    done = Q(
        pairs__scoring_model=model,
        pairs__score__isnull=False,
        pairs__resume__status=Resume.Status.EXTRACTED,
    )
    if model.activated_at is not None:
        done &= Q(pairs__scored_at__gte=model.activated_at)
    jobs = (
        Job.objects.filter(is_open=True)
        .annotate(live_pairs=Count("pairs", filter=done))
        .filter(live_pairs__lt=total)
        .order_by("pk")
    )
    return pairs_score(jobs=list(jobs), progress=progress)


def _store_scores(
    *, job: Job, resume_ids: list[int], scores: np.ndarray, model: ScoringModel
) -> int | None:
    """Write the scores; None, writing nothing, when `model` is no longer live."""
    now = timezone.now()
    rows = [
        Pair(resume_id=rid, job=job, score=float(s), scoring_model=model, scored_at=now)
        for rid, s in zip(resume_ids, scores, strict=True)
    ]
    with transaction.atomic():
        # Locks the model's row while it is live, as activation does: a pass that began
        # before an activation never overwrites the new model's scores (the activation
        # re-scores everything), and an activation waits for the batch being written.
        live = ScoringModel.objects.select_for_update().filter(pk=model.pk, is_active=True)
        if live.values_list("pk", flat=True).first() is None:
            return None
        # Only the score's columns: ratings and settled scores written meanwhile stay.
        Pair.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["resume", "job"],
            update_fields=["score", "scoring_model", "scored_at"],
            batch_size=1000,
        )
    return len(rows)


# --- ratings -----------------------------------------------------------------------------


def pair_get_or_create(*, resume: Resume, job: Job) -> Pair:
    pair, _ = Pair.objects.get_or_create(resume=resume, job=job)
    return pair


def rating_create(
    *, pair: Pair, score: float, reviewer=None, note: str = "", source: str = Rating.Source.ADMIN
) -> Rating:
    """A label for a pair. A reviewer's rating from the product's own screens or API
    (REVIEWER_SOURCES) is their one rating of the pair (rating_submit); other sources
    (imports, hiring history, feedback, a rating with no reviewer) add a row each time."""
    if reviewer is not None and source in REVIEWER_SOURCES:
        return rating_submit(
            pair=pair, reviewer=reviewer, score=score, note=note, source=source
        ).rating
    _check_score(score)
    with transaction.atomic():
        # Locks the pair as rating_submit does: two ratings of one pair at once are counted
        # one after the other, so neither's statistics overwrite the other's.
        Pair.objects.select_for_update().filter(pk=pair.pk).values_list("pk").first()
        rating = Rating.objects.create(
            pair=pair,
            score=score,
            reviewer=reviewer,
            note=note,
            source=source,
            predicted_score=pair.score,
        )
        pair_refresh_rating_stats(pair=pair)
        _audit_rating(rating=rating, actor=reviewer, created=True)
    return rating


def _pair_target(pair: Pair):
    """A pair in the audit log: ids only, never the resume's name or text."""
    from audit.services import Target

    return Target.of(pair, label=f"pair #{pair.pk} (resume #{pair.resume_id}, job #{pair.job_id})")


def _audit_rating(*, rating: Rating, actor, created: bool) -> None:
    from audit.services import audit_record

    pair = rating.pair
    audit_record(
        actor=actor,
        action="rated",
        target=_pair_target(pair),
        details={
            "rating": rating.pk,
            "score": rating.score,
            "source": rating.source,
            "created": created,
        },
    )


class RatingRefused(PermissionError):
    """A reviewer changing or deleting another reviewer's rating without the permission."""


def _check_score(score: float) -> None:
    if not 0.0 <= score <= 1.0:
        raise ValueError("A rating is a score between 0 and 1.")


def _check_changeable(rating: Rating, actor) -> None:
    if not rating.changeable_by(actor):
        raise RatingRefused(
            "Only the reviewer who gave a rating, or a lead with the permission "
            '"Can change other reviewers\' ratings", may change or delete it.'
        )


def _rating_state(rating: Rating) -> dict:
    """What the audit log keeps of a rating before and after a change."""
    return {"score": rating.score, "note": rating.note, "source": rating.source}


def rating_update(*, rating: Rating, actor, score: float, note: str) -> Rating:
    """A change to an existing rating (the admin's change form): the reviewer's own, or
    another's by a lead. It stays credited to its reviewer; the audit log records who
    changed it, with the rating before and after."""
    from audit.services import audit_record

    _check_changeable(rating, actor)
    _check_score(score)
    with transaction.atomic():
        Pair.objects.select_for_update().filter(pk=rating.pair_id).values_list("pk").first()
        # Read again under the lock: the caller's object may already hold the new values.
        current = Rating.objects.select_related("pair").get(pk=rating.pk)
        before = _rating_state(current)
        current.score, current.note = score, note
        current.save(update_fields=["score", "note", "updated_at"])
        pair_refresh_rating_stats(pair=current.pair)
        audit_record(
            actor=actor,
            action="rating_changed",
            target=_pair_target(current.pair),
            details={
                "rating": current.pk,
                "reviewer": current.reviewer_id,
                "before": before,
                "after": _rating_state(current),
            },
        )
    return current


def ratings_delete(*, ratings: Iterable[Rating], actor) -> int:
    """Delete ratings (one, or the admin's bulk action): each must be changeable by the
    actor, each is audited with what it was, and every pair touched gets its count, mean
    and spread from the ratings left, so no pair counts a rating that is gone."""
    from audit.services import audit_record

    ratings = list(ratings)
    for rating in ratings:
        _check_changeable(rating, actor)
    pair_ids = sorted({r.pair_id for r in ratings})
    with transaction.atomic():
        # Locked in id order, as every writer takes one pair at a time: no deadlock.
        list(Pair.objects.select_for_update().filter(pk__in=pair_ids).order_by("pk").values("pk"))
        rows = list(Rating.objects.select_related("pair").filter(pk__in=[r.pk for r in ratings]))
        for row in rows:
            audit_record(
                actor=actor,
                action="rating_deleted",
                target=_pair_target(row.pair),
                details={
                    "rating": row.pk,
                    "reviewer": row.reviewer_id,
                    "before": _rating_state(row),
                },
            )
        Rating.objects.filter(pk__in=[r.pk for r in rows]).delete()
        for pair in Pair.objects.filter(pk__in=pair_ids).only("pk"):
            pair_refresh_rating_stats(pair=pair)
    return len(rows)


def pair_refresh_rating_stats(*, pair: Pair) -> None:
    """Count, mean and spread of the pair's ratings, read under the pair's row lock: a
    rating written by another transaction meanwhile is counted by whichever refresh comes
    second (each statement reads what committed before it). Writers that insert a rating
    take the lock before the insert (rating_create, rating_submit): the insert's foreign
    key check would otherwise hold a share lock that two of them then wait on."""
    with transaction.atomic():
        Pair.objects.select_for_update().filter(pk=pair.pk).values_list("pk").first()
        stats = Rating.objects.filter(pair=pair).aggregate(
            n=Count("id"), mean=Avg("score"), low=Min("score"), high=Max("score")
        )
        spread = None if stats["n"] == 0 else stats["high"] - stats["low"]
        Pair.objects.filter(pk=pair.pk).update(
            rating_count=stats["n"], rating_mean=stats["mean"], rating_spread=spread
        )


# --- ad-hoc scoring ----------------------------------------------------------------------


@dataclass
class TextPair:
    resume: str
    job: str
    title: str = ""


@dataclass
class PairInputs:
    """What a scorer reads for a list of pairs: both sides' vectors and the pair features."""

    resume_vectors: np.ndarray  # float32[n, dim]
    job_vectors: np.ndarray  # float32[n, dim]
    features: dict[str, np.ndarray]  # FEATURE_NAMES -> float32[n]

    def take(self, rows) -> PairInputs:
        """The same inputs for a subset of the pairs (a fold, a training sample)."""
        return PairInputs(
            resume_vectors=self.resume_vectors[rows],
            job_vectors=self.job_vectors[rows],
            features={k: v[rows] for k, v in self.features.items()},
        )


def texts_features(*, pairs: list[TextPair], encoder_key: str, cache: bool = True) -> PairInputs:
    """Vectors and features of resume/job texts that need not be in the database.

    Pairs are grouped by job so each job is one vectorised pass. IDF comes from the
    resumes given when there are enough of them, otherwise from the stored corpus. With
    cache=False nothing is written (ad-hoc scoring of texts a client does not keep).
    """
    from matching.selectors import corpus_idf

    def embed(texts: dict[str, str], key: str):
        if cache:
            return ensure_vectors(texts=texts, encoder_key=key)
        return encode_uncached(texts=texts, encoder_key=key)

    texts = {text_hash(t): t for p in pairs for t in (p.resume, p.job)}
    # ANONYMIZE_SCORED_TEXT: resumes are embedded masked, cached under their own key, the
    # same vectors ranking reads (selectors.resume_batch). Lexical terms stay on the text.
    resume_key = resume_cache_key(encoder_key)
    if resume_key == encoder_key:
        vectors = resume_vectors = embed(texts, encoder_key)
    else:
        vectors = embed({text_hash(p.job): p.job for p in pairs}, encoder_key)
        resume_vectors = embed(
            {text_hash(p.resume): scored_text(p.resume) for p in pairs}, resume_key
        )
    terms = {h: lexical.term_vector(t) for h, t in texts.items()}
    resume_hashes = [text_hash(p.resume) for p in pairs]
    unique_resumes = set(resume_hashes)
    idf = (
        lexical.idf_from(lexical.stack([terms[h] for h in unique_resumes]))
        if len(unique_resumes) >= MIN_LOCAL_IDF_DOCS
        else corpus_idf()
    )
    dim = next(iter(vectors.values())).vector.shape[0] if vectors else 384
    out = PairInputs(
        resume_vectors=np.zeros((len(pairs), dim), np.float32),
        job_vectors=np.zeros((len(pairs), dim), np.float32),
        features={name: np.zeros(len(pairs), dtype=np.float32) for name in FEATURE_NAMES},
    )
    by_job: dict[str, list[int]] = {}
    for i, p in enumerate(pairs):
        by_job.setdefault(text_hash(p.job), []).append(i)
    for jh, idx in by_job.items():
        job = job_input_from_text(
            texts[jh], title=pairs[idx[0]].title, vectors=vectors[jh], terms=terms[jh]
        )
        hashes = [resume_hashes[i] for i in idx]
        batch = ResumeBatch.build(
            vectors=[resume_vectors[h].vector for h in hashes],
            chunk_vectors=[resume_vectors[h].chunk_vectors for h in hashes],
            terms=[terms[h] for h in hashes],
            idf=idf,
        )
        out.resume_vectors[idx] = batch.vectors
        out.job_vectors[idx] = job.vector
        for name, values in pair_features(job, batch).items():
            out.features[name][idx] = values
    return out


def texts_score(
    *, pairs: list[TextPair], model: ScoringModel | None = None, cache: bool = True
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Scores (and features) of text pairs under a model, the live one by default."""
    from matching.heads import scorer_for

    model = model or scoring_model_active()
    scorer = scorer_for(model)
    inputs = texts_features(pairs=pairs, encoder_key=model.encoder_key, cache=cache)
    if not pairs:
        return np.zeros(0, np.float32), inputs.features
    scores = scorer(inputs.resume_vectors, inputs.job_vectors, inputs.features)
    return np.asarray(scores, np.float32), inputs.features


# Below this many distinct resumes, IDF from the texts themselves is meaningless.
MIN_LOCAL_IDF_DOCS = 20


def job_input_from_text(text: str, *, title: str, vectors, terms) -> JobInput:
    must, nice = lexical.requirements_from_text(text)
    first_line = text.strip().splitlines()[0][:200] if text.strip() else ""
    return JobInput(
        title=title or first_line,
        text=text,
        must_have=must,
        nice_to_have=nice,
        vector=vectors.vector,
        chunk_vectors=vectors.chunk_vectors,
        terms=terms,
    )


# --- reviewer workflow: queue ratings, skips, settling conflicts (docs/reviewing.md) -------


@dataclass
class SubmittedRating:
    rating: Rating
    created: bool  # False: the reviewer's earlier rating of the pair was updated


def rating_submit(
    *,
    pair: Pair,
    reviewer,
    score: float,
    note: str = "",
    source: str = Rating.Source.QUEUE,
) -> SubmittedRating:
    """A reviewer's rating of a pair: created the first time, updated in place after.

    Rating a pair twice (the queue, the back button, the admin) changes the reviewer's one
    rating, so a reviewer never counts twice in the mean, the ratings wanted per pair or the
    agreement between reviewers. The model's score is recorded as it is at this moment.
    """
    _check_score(score)
    with transaction.atomic():
        # Locks the pair: two submits of one reviewer (a double click) are applied one
        # after the other, so the second finds and updates the first.
        locked = Pair.objects.select_for_update().only("pk", "score").get(pk=pair.pk)
        rating = (
            Rating.objects.filter(pair=pair, reviewer=reviewer, source__in=REVIEWER_SOURCES)
            .order_by("-created_at", "-pk")
            .first()
        )
        created = rating is None
        if created:
            rating = Rating.objects.create(
                pair=pair,
                score=score,
                reviewer=reviewer,
                note=note,
                source=source,
                predicted_score=locked.score,
            )
        else:
            rating.score, rating.note, rating.source = score, note, source
            rating.predicted_score = locked.score
            rating.save(update_fields=["score", "note", "source", "predicted_score", "updated_at"])
        ReviewSkip.objects.filter(pair=pair, reviewer=reviewer).delete()
        pair_refresh_rating_stats(pair=pair)
        _audit_rating(rating=rating, actor=reviewer, created=created)
    return SubmittedRating(rating=rating, created=created)


def pair_skip(*, pair: Pair, reviewer, minutes: int | None = None) -> ReviewSkip:
    """Put a pair aside for a reviewer; the queue serves it again after `minutes`
    (REVIEW_SKIP_MINUTES), or sooner when nothing else is waiting."""
    now = timezone.now()
    minutes = settings.REVIEW_SKIP_MINUTES if minutes is None else minutes
    with transaction.atomic():
        # The reviewer's expired skips are housekeeping: they no longer change the order.
        ReviewSkip.objects.filter(reviewer=reviewer, until__lte=now).delete()
        skip, _ = ReviewSkip.objects.update_or_create(
            pair=pair,
            reviewer=reviewer,
            defaults={"until": now + timedelta(minutes=minutes)},
        )
    return skip


class SettleRefused(ValueError):
    """A settled score outside 0..1."""


def pair_settle(*, pair: Pair, score: float, settled_by) -> Pair:
    """A lead's final score for a pair whose reviewers disagree; training uses it instead
    of the reviewers' mean. Settling again replaces the earlier decision."""
    if not 0.0 <= score <= 1.0:
        raise SettleRefused("A settled score is between 0 and 1.")
    from audit.services import audit_record

    with transaction.atomic():
        Pair.objects.filter(pk=pair.pk).update(
            settled_score=score, settled_by=settled_by, settled_at=timezone.now()
        )
        audit_record(
            actor=settled_by,
            action="settled",
            target=_pair_target(pair),
            details={"score": score},
        )
    pair.refresh_from_db(fields=["settled_score", "settled_by", "settled_at"])
    return pair


def pair_unsettle(*, pair: Pair) -> Pair:
    """Back to the reviewers' mean (a settled score given by mistake)."""
    Pair.objects.filter(pk=pair.pk).update(settled_score=None, settled_by=None, settled_at=None)
    pair.refresh_from_db(fields=["settled_score", "settled_by", "settled_at"])
    return pair


# --- anonymized view: a reviewer's own choice (docs/reviewing.md, "Anonymized view") ------


def reviewer_preference_set(*, user, anonymize: bool | None) -> ReviewerPreference:
    """Record whether `user` sees resumes anonymized; None follows ANONYMIZE_REVIEWS."""
    preference, _ = ReviewerPreference.objects.update_or_create(
        user=user, defaults={"anonymize": anonymize}
    )
    # The user object in hand answers selectors.reviewer_anonymizes with the new choice.
    user.reviewer_preference = preference
    return preference
