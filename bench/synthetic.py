"""Synthetic corpora for the speed benchmarks: N extracted resumes whose vectors are
already cached, written straight into the database (no encoder, no files).

Texts draw 300 words from a 2,000-word vocabulary, so a resume has ~250 distinct terms,
as a real one of 500-1,500 words does; each resume gets 2-6 random unit window vectors
(the windows of 500-1,500 words) and their normalised mean as its document vector.
Import this after django.setup().
"""

from __future__ import annotations

import os

import numpy as np

from matching.intake import terms
from matching.models import Embedding, Job, Resume
from matching.models_store import PRETRAINED_KEY
from matching.texts import text_hash

DIM = 384
SKILLS = (
    "python django postgresql docker kubernetes aws java spring react nurse patient care "
    "accounting ifrs audit sales crm negotiation teacher curriculum design figma cad "
    "solidworks manufacturing leadership agile scrum sql excel marketing seo analytics"
).split()
VOCABULARY = SKILLS + [f"term{i}" for i in range(2000 - len(SKILLS))]
# Rows per bulk insert: bounds the memory of the pending Embedding objects.
INSERT_BATCH = 5000


def resume_key(encoder_key: str = PRETRAINED_KEY) -> str:
    """The Embedding.encoder_key resume vectors are cached under (it differs from the
    encoder's when resumes are embedded anonymised)."""
    try:
        from matching.encoding.cache import resume_cache_key
    except ImportError:  # a tree without anonymised scoring
        return encoder_key
    return resume_cache_key(encoder_key)


def unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def populate_resumes(n: int, rng: np.random.Generator, *, progress: bool = False) -> None:
    key = resume_key()
    for start in range(0, n, INSERT_BATCH):
        resumes, embeddings = [], []
        for i in range(start, min(n, start + INSERT_BATCH)):
            text = f"Candidate {i}. " + " ".join(rng.choice(VOCABULARY, size=300))
            h = text_hash(text)
            ids, counts = terms.term_vector(text).to_bytes()
            resumes.append(
                Resume(
                    original_name=f"r{i}.txt",
                    sha256=f"{i:064d}",
                    text=text,
                    text_sha256=h,
                    term_ids=ids,
                    term_counts=counts,
                    status=Resume.Status.EXTRACTED,
                    file=f"resumes/r{i}.txt",
                )
            )
            chunks = unit_rows(rng, int(rng.integers(2, 7)))
            mean = chunks.mean(axis=0)
            embeddings.append(
                Embedding(
                    text_sha256=h,
                    encoder_key=key,
                    dim=DIM,
                    vector=(mean / np.linalg.norm(mean)).astype(np.float32).tobytes(),
                    chunk_vectors=chunks.tobytes(),
                    chunk_spans=[[0, 10]] * len(chunks),
                )
            )
        Resume.objects.bulk_create(resumes, batch_size=1000)
        Embedding.objects.bulk_create(embeddings, batch_size=1000)
        if progress:
            print(f"  {min(n, start + INSERT_BATCH):,} of {n:,} resumes written", flush=True)


def create_job(rng: np.random.Generator, *, windows: int = 1, title: str = "") -> Job:
    """A job with cached vectors: `windows` random window vectors (a long posting has
    several) and their normalised mean as its document vector."""
    job = Job.objects.create(
        title=title or "Python developer",
        description="Python Django PostgreSQL AWS " + " ".join(SKILLS[: windows * 4]),
        must_have="Python\nDjango\nPostgreSQL",
        nice_to_have="Kubernetes\nAWS",
    )
    text = job.embedded_text
    chunks = unit_rows(rng, windows)
    mean = chunks.mean(axis=0)
    Embedding.objects.create(
        text_sha256=text_hash(text),
        encoder_key=PRETRAINED_KEY,
        dim=DIM,
        vector=(mean / np.linalg.norm(mean)).astype(np.float32).tobytes(),
        chunk_vectors=chunks.tobytes(),
        chunk_spans=[[0, len(text)]] * windows,
    )
    return job


def rss_bytes() -> int:
    """Resident memory of this process now (Linux)."""
    with open(f"/proc/{os.getpid()}/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
