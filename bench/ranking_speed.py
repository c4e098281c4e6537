"""Ranking one job against N resumes whose vectors are cached.

Builds a throwaway SQLite database with N extracted resumes (synthetic text and random
unit vectors: the encoder's speed is not what is measured here), then times:
- the scoring pass alone: features + scorer over the stacked vectors (numpy/scipy),
- the whole re-ranking of the job: load vectors and terms (2 queries), score, and upsert
  N Pair rows.

    .venv/bin/python bench/ranking_speed.py [--resumes 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "resumeproject.settings"
os.environ["DATABASE_URL"] = ""
_db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["SQLITE_PATH"] = str(_db)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from matching import lexical, services  # noqa: E402
from matching.encoder import PRETRAINED_KEY  # noqa: E402
from matching.heads import scorer_for  # noqa: E402
from matching.models import Embedding, Job, Resume  # noqa: E402
from matching.scoring import pair_features  # noqa: E402
from matching.selectors import resume_batch  # noqa: E402
from matching.vectors import text_hash  # noqa: E402

WORDS = (
    "python django postgresql docker kubernetes aws java spring react nurse patient care "
    "accounting ifrs audit sales crm negotiation teacher curriculum design figma cad "
    "solidworks manufacturing leadership agile scrum sql excel marketing seo analytics"
).split()
DIM = 384


def unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def populate(n: int, rng: np.random.Generator) -> Job:
    resumes, embeddings = [], []
    for i in range(n):
        text = f"Candidate {i}. " + " ".join(rng.choice(WORDS, size=250))
        h = text_hash(text)
        ids, counts = lexical.term_vector(text).to_bytes()
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
        chunks = unit_rows(rng, int(rng.integers(2, 7)))  # 2-6 windows, as for 500-1500 words
        mean = chunks.mean(axis=0)
        embeddings.append(
            Embedding(
                text_sha256=h,
                encoder_key=PRETRAINED_KEY,
                dim=DIM,
                vector=(mean / np.linalg.norm(mean)).tobytes(),
                chunk_vectors=chunks.tobytes(),
                chunk_spans=[[0, 10]] * len(chunks),
            )
        )
    Resume.objects.bulk_create(resumes, batch_size=2000)
    Embedding.objects.bulk_create(embeddings, batch_size=2000)
    job = Job.objects.create(
        title="Python developer",
        description="Python Django PostgreSQL AWS",
        must_have="Python\nDjango\nPostgreSQL",
    )
    text = services.job_text(job)
    chunks = unit_rows(rng, 1)
    Embedding.objects.create(
        text_sha256=text_hash(text),
        encoder_key=PRETRAINED_KEY,
        dim=DIM,
        vector=chunks[0].tobytes(),
        chunk_vectors=chunks.tobytes(),
        chunk_spans=[[0, len(text)]],
    )
    return job


def percentiles(samples: list[float]) -> dict[str, float]:
    ms = np.array(samples) * 1000
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resumes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rng = np.random.default_rng(0)
    job = populate(args.resumes, rng)
    model = services.scoring_model_active()
    scorer = scorer_for(model)
    ids = list(Resume.objects.values_list("pk", flat=True))
    batch, _ = resume_batch(resume_ids=ids, encoder_key=model.encoder_key)
    job_in = services.job_input(job, encoder_key=model.encoder_key)

    scoring = []
    for _ in range(args.repeat * 4):
        t = time.perf_counter()
        scorer(batch.vectors, job_in.vector, pair_features(job_in, batch))
        scoring.append(time.perf_counter() - t)

    services.pairs_score(jobs=[job])  # first pass creates the Pair rows
    full = []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            services.pairs_score(jobs=[job])
            full.append(time.perf_counter() - t)
    result = {
        "resumes": args.resumes,
        "windows": int(batch.chunks.shape[0]),
        "vector_memory_mb": round((batch.vectors.nbytes + batch.chunks.nbytes) / 2**20, 1),
        "scoring_pass": percentiles(scoring),
        "rescore_job_with_db": {**percentiles(full), "queries": len(queries)},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
