"""Reads of the matching app: rankings, a resume's best jobs, explanations, vectors."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from matching import lexical
from matching.models import Job, Pair, Resume
from matching.scoring import ResumeBatch
from matching.skills import skills_in
from matching.vectors import cached_vectors, ensure_vectors, text_hash

# --- vectors and corpus statistics -------------------------------------------------------

_idf_lock = threading.Lock()
_idf_cache: dict[str, object] = {}


def corpus_idf() -> np.ndarray:
    """IDF of hashed terms over every resume with text, cached until the corpus changes."""
    extracted = Resume.objects.filter(status=Resume.Status.EXTRACTED)
    stamp = extracted.aggregate(n=Max("pk"), changed=Max("updated_at"))
    key = f"{extracted.count()}:{stamp['n']}:{stamp['changed']}"
    with _idf_lock:
        if _idf_cache.get("key") == key:
            return _idf_cache["idf"]  # type: ignore[return-value]
    rows = extracted.values_list("term_ids", "term_counts").iterator(chunk_size=5000)
    vectors = [lexical.TermVector.from_bytes(bytes(i), bytes(c)) for i, c in rows]
    idf = lexical.idf_from(lexical.stack(vectors))
    with _idf_lock:
        _idf_cache.update(key=key, idf=idf)
    return idf


def resume_batch(
    *, resume_ids: list[int], encoder_key: str, idf: np.ndarray | None = None
) -> tuple[ResumeBatch, list[int]]:
    """The stacked vectors and terms of resumes, embedding those not cached yet.

    Two queries for any number of resumes (terms, then vectors), plus the embedding of
    texts never seen by this encoder.
    """
    rows = list(
        Resume.objects.filter(pk__in=resume_ids, status=Resume.Status.EXTRACTED)
        .order_by("pk")
        .values_list("pk", "text_sha256", "term_ids", "term_counts")
    )
    hashes = {h for _, h, _, _ in rows}
    vectors = cached_vectors(hashes=hashes, encoder_key=encoder_key)
    missing = hashes - vectors.keys()
    if missing:
        texts = dict(
            Resume.objects.filter(text_sha256__in=missing).values_list("text_sha256", "text")
        )
        vectors.update(ensure_vectors(texts=texts, encoder_key=encoder_key))
    batch = ResumeBatch.build(
        vectors=[vectors[h].vector for _, h, _, _ in rows],
        chunk_vectors=[vectors[h].chunk_vectors for _, h, _, _ in rows],
        terms=[lexical.TermVector.from_bytes(bytes(i), bytes(c)) for _, _, i, c in rows],
        idf=corpus_idf() if idf is None else idf,
    )
    return batch, [pk for pk, _, _, _ in rows]


# --- rankings ----------------------------------------------------------------------------


def job_ranking(
    *, job: Job, min_score: float | None = None, rated: bool | None = None
) -> QuerySet[Pair]:
    """A job's scored candidates, best first; the resume text is not loaded."""
    qs = (
        Pair.objects.filter(job=job, score__isnull=False, resume__status=Resume.Status.EXTRACTED)
        .select_related("resume", "scoring_model")
        .defer("resume__text", "resume__term_ids", "resume__term_counts")
        .order_by(F("score").desc(), "pk")
    )
    if min_score is not None:
        qs = qs.filter(score__gte=min_score)
    if rated is True:
        qs = qs.filter(rating_count__gt=0)
    elif rated is False:
        qs = qs.filter(rating_count=0)
    return qs


def resume_best_jobs(*, resume: Resume) -> QuerySet[Pair]:
    return (
        Pair.objects.filter(resume=resume, score__isnull=False)
        .select_related("job")
        .order_by(F("score").desc(), "pk")
    )


def pairs_disagreeing(*, threshold: float | None = None) -> Q:
    """Filter for rated pairs whose human mean is far from the model score."""
    t = settings.DISAGREEMENT_THRESHOLD if threshold is None else threshold
    return Q(rating_count__gt=0) & (
        Q(rating_mean__gte=F("score") + t) | Q(rating_mean__lte=F("score") - t)
    )


# --- explanations ------------------------------------------------------------------------


@dataclass
class Explanation:
    must_found: list[str]
    must_missing: list[str]
    nice_found: list[str]
    nice_missing: list[str]
    skills_found: list[str]
    skills_missing: list[str]
    passages: list[str]


def explain_pairs(
    *, job: Job, pairs: list[Pair], encoder_key: str, passages: int = 2
) -> dict[int, Explanation]:
    """Why each pair scored as it did; cached vectors only, so no model is loaded."""
    from matching.services import job_text

    if not pairs:
        return {}
    resumes = {
        r.pk: r
        for r in Resume.objects.filter(pk__in=[p.resume_id for p in pairs]).only(
            "pk", "text", "text_sha256"
        )
    }
    jtext = job_text(job)
    job_vec = cached_vectors(hashes=[text_hash(jtext)], encoder_key=encoder_key).get(
        text_hash(jtext)
    )
    vectors = cached_vectors(
        hashes={r.text_sha256 for r in resumes.values()}, encoder_key=encoder_key
    )
    must = lexical.split_requirements(job.must_have)
    nice = lexical.split_requirements(job.nice_to_have)
    job_skills = skills_in(jtext)
    out: dict[int, Explanation] = {}
    for pair in pairs:
        resume = resumes[pair.resume_id]
        terms = set(lexical.tokenize(resume.text))
        must_ok = [r for r in must if requirement_met(r, terms)]
        nice_ok = [r for r in nice if requirement_met(r, terms)]
        have = set(skills_in(resume.text))
        out[pair.pk] = Explanation(
            must_found=must_ok,
            must_missing=[r for r in must if r not in must_ok],
            nice_found=nice_ok,
            nice_missing=[r for r in nice if r not in nice_ok],
            skills_found=[s for s in job_skills if s in have],
            skills_missing=[s for s in job_skills if s not in have],
            passages=best_passages(
                resume.text, vectors.get(resume.text_sha256), job_vec, k=passages
            ),
        )
    return out


def requirement_met(requirement: str, resume_terms: set[str]) -> bool:
    """Most of a requirement's words appear in the resume ("5+ years" has none: unmet)."""
    words = lexical.tokenize(requirement)
    if not words:
        return False
    return sum(w in resume_terms for w in words) / len(words) >= 0.5


def best_passages(text: str, vectors, job_vectors, *, k: int, length: int = 320) -> list[str]:
    if vectors is None or job_vectors is None:
        return []
    sims = vectors.chunk_vectors @ job_vectors.vector
    picked = []
    for i in np.argsort(-sims)[:k]:
        start, end = vectors.chunk_spans[int(i)]
        snippet = " ".join(text[start:end].split())
        picked.append(snippet[:length] + ("…" if len(snippet) > length else ""))
    return picked


# --- scoring progress (REST API: clients poll it after an upload) ------------------------


def resumes_with_scoring_progress() -> QuerySet[Resume]:
    """Resumes without their long columns, each annotated with `scored_jobs`: how many open
    jobs it has a score against. One subquery per row, not a join, so counting a filtered
    list stays one cheap COUNT."""
    scored = (
        Pair.objects.filter(resume=OuterRef("pk"), score__isnull=False, job__is_open=True)
        .order_by()
        .values("resume")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Resume.objects.defer("text", "term_ids", "term_counts").annotate(
        scored_jobs=Coalesce(Subquery(scored, output_field=IntegerField()), 0)
    )


def open_job_count() -> int:
    return Job.objects.filter(is_open=True).count()
