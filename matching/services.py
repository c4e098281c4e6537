"""Writes of the matching app: resumes in, jobs, scores and ratings.

Named <entity>_<action> with keyword-only arguments (HackSoft Django-Styleguide). Views,
admin actions, commands and tasks call these and stay thin.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Max, Min
from django.utils import timezone

from matching import lexical
from matching.encoder import PRETRAINED_KEY
from matching.errors import ExtractionError, extraction_error
from matching.extraction import SUPPORTED_EXTENSIONS, extension_of, extract_text, human_size
from matching.models import Job, Pair, Rating, Resume, ReviewSkip, ScoringModel
from matching.scoring import FEATURE_NAMES, JobInput, ResumeBatch, pair_features
from matching.vectors import encode_uncached, ensure_vectors, text_hash

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


class ActivationRefused(Exception):
    """The candidate measured worse than the model it would replace."""


def scoring_model_activate(*, model: ScoringModel, force: bool = False) -> ScoringModel:
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
    with transaction.atomic():
        # Locks the live row: two activations at once are applied one after the other.
        list(ScoringModel.objects.select_for_update().filter(is_active=True))
        ScoringModel.objects.filter(is_active=True).exclude(pk=model.pk).update(is_active=False)
        ScoringModel.objects.filter(pk=model.pk).update(is_active=True, activated_at=timezone.now())
        enqueue_rescore_all()
    model.refresh_from_db()
    return model


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
    try:
        with transaction.atomic():
            resume.file.save(Path(name).name or "resume", ContentFile(stored), save=False)
            resume.save()
    except IntegrityError:
        # The same file uploaded at the same moment by someone else.
        resume.file.delete(save=False)
        return UploadResult(Resume.objects.get(sha256=digest), created=False)
    if schedule and resume.status == Resume.Status.EXTRACTED:
        from matching.tasks import enqueue_score_resumes

        enqueue_score_resumes([resume.pk])
    return UploadResult(resume, created=True)


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

    One bad file never stops the batch. Scoring of everything imported is queued as one
    batch at the end, so the encoder runs over many resumes at a time.
    """
    summary = ImportSummary()
    limit = settings.RESUME_MAX_BYTES
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
        if progress:
            progress(path, result)
    if summary.resume_ids:
        from matching.tasks import enqueue_score_resumes

        enqueue_score_resumes(summary.resume_ids)
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
    resume.file.save(Path(name).name, ContentFile(b""), save=False)
    resume.save()
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


def resume_delete(*, resume: Resume) -> None:
    """Remove a resume with its file, pairs and (if no other resume shares the text) vectors."""
    from matching.models import Embedding

    text_sha = resume.text_sha256
    with transaction.atomic():
        storage, file_name = resume.file.storage, resume.file.name
        resume.delete()
        if text_sha and not Resume.objects.filter(text_sha256=text_sha).exists():
            Embedding.objects.filter(text_sha256=text_sha).delete()
        transaction.on_commit(lambda: file_name and storage.delete(file_name))


# --- jobs --------------------------------------------------------------------------------


def job_create(
    *,
    title: str,
    description: str,
    must_have: str = "",
    nice_to_have: str = "",
    is_open: bool = True,
) -> Job:
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
            written += _store_scores(job=job, resume_ids=batch_ids, scores=scores, model=model)
            if progress:
                progress(written, total)
    return written


def _store_scores(
    *, job: Job, resume_ids: list[int], scores: np.ndarray, model: ScoringModel
) -> int:
    now = timezone.now()
    rows = [
        Pair(resume_id=rid, job=job, score=float(s), scoring_model=model, scored_at=now)
        for rid, s in zip(resume_ids, scores, strict=True)
    ]
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
    if not 0.0 <= score <= 1.0:
        raise ValueError("A rating is a score between 0 and 1.")
    with transaction.atomic():
        rating = Rating.objects.create(
            pair=pair,
            score=score,
            reviewer=reviewer,
            note=note,
            source=source,
            predicted_score=pair.score,
        )
        pair_refresh_rating_stats(pair=pair)
    return rating


def pair_refresh_rating_stats(*, pair: Pair) -> None:
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

    texts = {text_hash(t): t for p in pairs for t in (p.resume, p.job)}
    vectors = (
        ensure_vectors(texts=texts, encoder_key=encoder_key)
        if cache
        else encode_uncached(texts=texts, encoder_key=encoder_key)
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
            vectors=[vectors[h].vector for h in hashes],
            chunk_vectors=[vectors[h].chunk_vectors for h in hashes],
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

# Sources where a person rates a pair in this product's own screens: one rating per
# reviewer and pair among them (rating_submit updates it instead of adding another).
REVIEWER_SOURCES = (Rating.Source.QUEUE, Rating.Source.ADMIN)


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
    if not 0.0 <= score <= 1.0:
        raise ValueError("A rating is a score between 0 and 1.")
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
    Pair.objects.filter(pk=pair.pk).update(
        settled_score=score, settled_by=settled_by, settled_at=timezone.now()
    )
    pair.refresh_from_db(fields=["settled_score", "settled_by", "settled_at"])
    return pair


def pair_unsettle(*, pair: Pair) -> Pair:
    """Back to the reviewers' mean (a settled score given by mistake)."""
    Pair.objects.filter(pk=pair.pk).update(settled_score=None, settled_by=None, settled_at=None)
    pair.refresh_from_db(fields=["settled_score", "settled_by", "settled_at"])
    return pair
