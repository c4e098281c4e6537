"""What a scorer reads: a job's input, a batch of stored resumes, features of texts, and
the corpus IDF. Reads only (embedding uncached texts on the way)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.encoding.cache import (
    cached_vectors,
    encode_uncached,
    ensure_vectors,
    resume_cache_key,
)
from matching.encoding.windows import DocumentVectors
from matching.intake import terms as intake_terms
from matching.intake.profile import years_of
from matching.intake.sections import evidence_text
from matching.models import Job, Resume
from matching.scoring import lexical
from matching.scoring.activation import scoring_model_active
from matching.scoring.corpus import model_idf
from matching.scoring.features import FEATURE_NAMES, JobInput, ResumeBatch, pair_features
from matching.scoring.requirements import YEARS, parse_requirement
from matching.texts import requirements_from_text, text_hash


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
        .values_list("pk", "text_sha256", "term_ids", "term_counts", "profile__years_total")
    )
    hashes = {row[1] for row in rows}
    key = resume_cache_key(encoder_key)
    vectors = cached_vectors(hashes=hashes, encoder_key=key)
    missing = hashes - vectors.keys()
    if missing:
        texts = dict(
            Resume.objects.filter(text_sha256__in=missing).values_list("text_sha256", "text")
        )
        texts = {h: evidence_text(t) for h, t in texts.items()}
        vectors.update(ensure_vectors(texts=texts, encoder_key=key))
    batch = ResumeBatch.build(
        vectors=[vectors[row[1]].vector for row in rows],
        chunk_vectors=[vectors[row[1]].chunk_vectors for row in rows],
        terms=[intake_terms.TermVector.from_bytes(bytes(row[2]), bytes(row[3])) for row in rows],
        idf=model_idf(scoring_model_active())[1] if idf is None else idf,
        years=[row[4] for row in rows],
    )
    return batch, [row[0] for row in rows]


def job_input(job: Job, *, encoder_key: str) -> JobInput:
    """A stored job as the scorer reads it: the same path as a job given as text, so a
    job scores the same from the database, a file or the API."""
    text = job.embedded_text
    h = text_hash(text)
    vectors = ensure_vectors(texts={h: text}, encoder_key=encoder_key)[h]
    return job_input_from_text(
        text, title=job.title, vectors=vectors, terms=intake_terms.term_vector(text)
    )


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

    def take(self, rows: np.ndarray | list[int]) -> PairInputs:
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

    def embed(texts: dict[str, str], key: str) -> dict[str, DocumentVectors]:
        if cache:
            return ensure_vectors(texts=texts, encoder_key=key)
        return encode_uncached(texts=texts, encoder_key=key)

    jobs = {text_hash(p.job): p.job for p in pairs}
    resumes = {text_hash(p.resume): p.resume for p in pairs}
    # Resumes are embedded as ranking reads them (evidence_text, under resume_cache_key):
    # their evidence, without claims or personal details; jobs whole.
    vectors = embed(jobs, encoder_key)
    resume_vectors = embed(
        {h: evidence_text(t) for h, t in resumes.items()}, resume_cache_key(encoder_key)
    )
    # Read as stored resumes are at import (resume_term_vector, the profile's years).
    terms = {h: intake_terms.resume_term_vector(t) for h, t in resumes.items()}
    years = {h: years_of(t) for h, t in resumes.items()}
    resume_hashes = [text_hash(p.resume) for p in pairs]
    idf = (
        lexical.idf_from(lexical.stack(list(terms.values())))
        if len(resumes) >= MIN_LOCAL_IDF_DOCS
        else model_idf(scoring_model_active())[1]
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
            jobs[jh],
            title=pairs[idx[0]].title,
            vectors=vectors[jh],
            terms=intake_terms.term_vector(jobs[jh]),
        )
        hashes = [resume_hashes[i] for i in idx]
        batch = ResumeBatch.build(
            vectors=[resume_vectors[h].vector for h in hashes],
            chunk_vectors=[resume_vectors[h].chunk_vectors for h in hashes],
            terms=[terms[h] for h in hashes],
            idf=idf,
            years=[years[h] for h in hashes],
        )
        out.resume_vectors[idx] = batch.vectors
        out.job_vectors[idx] = job.vector
        for name, values in pair_features(job, batch).items():
            out.features[name][idx] = values
    return out


# Below this many distinct resumes, IDF from the texts themselves is meaningless.
MIN_LOCAL_IDF_DOCS = 20


def job_input_from_text(
    text: str, *, title: str, vectors: DocumentVectors, terms: intake_terms.TermVector
) -> JobInput:
    must, nice = requirements_from_text(text)
    asked = [r.years for r in map(parse_requirement, must) if r.kind == YEARS and r.years]
    first_line = text.strip().splitlines()[0][:200] if text.strip() else ""
    return JobInput(
        title=title or first_line,
        text=text,
        must_have=must,
        nice_to_have=nice,
        vector=vectors.vector,
        chunk_vectors=vectors.chunk_vectors,
        terms=terms,
        years_required=max(asked, default=None),
    )
