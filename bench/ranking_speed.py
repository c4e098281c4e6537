"""Ranking one job against N resumes whose vectors are cached.

Builds a throwaway SQLite database with N extracted resumes (bench/synthetic.py: ~250
distinct terms each, 2-6 random unit window vectors; the encoder's speed is not what is
measured here), then measures:
- loading: the stacked vectors and terms of all N resumes (2 queries), their memory
  (array bytes, and the process's resident memory before and after),
- preparing: the batch's TF-IDF columns, built once per loaded batch and shared by every
  job scored against it,
- the scoring pass: features + scorer for one job over the stacked vectors (numpy/scipy),
  for a job of one window (a posting under ~180 words) and of three,
- plain baselines in the same run: plain cosine of the document vectors with numpy, and
  the same cosine as a per-resume Python loop,
- with --head, the scoring pass of a trained fast head (fitted here on 500 pairs): the
  first job against the batch, which also prepares what the head keeps of it, and each
  further job,
- unless --no-db, the whole re-ranking of the job: load, score, upsert N Pair rows.

    .venv/bin/python bench/ranking_speed.py [--resumes 100000] [--repeat 20] [--head]
        [--head-pairs 500]
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "resumeproject.settings"
os.environ["DATABASE_URL"] = ""
_tmp = Path(tempfile.mkdtemp(prefix="bench-ranking-"))
os.environ["SQLITE_PATH"] = str(_tmp / "bench.sqlite3")
os.environ["MODELS_STORE_DIR"] = str(_tmp / "models_store")

import django  # noqa: E402

django.setup()

# numpy after the project package: it sets how OpenBLAS's threads wait (resumeproject/).
import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.synthetic import create_job, populate_resumes, rss_bytes  # noqa: E402
from matching.models import Resume  # noqa: E402
from matching.scoring import activation as scoring_activation  # noqa: E402
from matching.scoring import inputs as scoring_inputs  # noqa: E402
from matching.scoring import services as scoring_services  # noqa: E402
from matching.scoring.features import pair_features  # noqa: E402
from matching.scoring.heads import TrainedHead, scorer_for  # noqa: E402
from matching.scoring.inputs import resume_batch  # noqa: E402

MB = 1e6


def percentiles(samples: list[float]) -> dict[str, float]:
    ms = np.array(samples) * 1000
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
    }


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return samples


def fit_head(batch, job_in, rng: np.random.Generator, pairs: int) -> TrainedHead:
    """A fast head as the trainer makes it, fitted on `pairs` pairs (as many distinct
    resumes) of this corpus whose labels follow the pre-trained score with noise."""
    from training.fast import train_fast

    rows = rng.choice(len(batch), size=pairs, replace=False)
    features = pair_features(job_in, batch)
    inputs = scoring_inputs.PairInputs(
        resume_vectors=batch.vectors,
        job_vectors=np.repeat(job_in.vector[None], len(batch), axis=0),
        features=features,
    ).take(rows)
    labels = scorer_for(scoring_activation.scoring_model_active())(
        batch.vectors, job_in.vector, features
    )
    labels = np.clip(labels[rows] + rng.normal(0, 0.1, len(rows)), 0, 1)
    head, _ = train_fast(inputs, labels, groups=rows % 50)
    return head


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resumes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20, help="Scoring passes timed per job.")
    parser.add_argument("--db-repeat", type=int, default=3, help="Whole re-ranks timed.")
    parser.add_argument("--head", action="store_true", help="Also time a trained fast head.")
    parser.add_argument(
        "--head-pairs",
        type=int,
        default=500,
        help="Rated pairs (distinct resumes) the head remembers: its kernel's width.",
    )
    parser.add_argument("--no-db", action="store_true", help="Skip the whole re-rank.")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rng = np.random.default_rng(0)
    t = time.perf_counter()
    populate_resumes(args.resumes, rng, progress=args.resumes >= 50_000)
    jobs = {w: create_job(rng, windows=w, title=f"Job of {w} window(s)") for w in (1, 3)}
    populate_s = time.perf_counter() - t
    model = scoring_activation.scoring_model_active()
    scorer = scorer_for(model)
    ids = list(Resume.objects.order_by("pk").values_list("pk", flat=True))

    gc.collect()
    rss_before = rss_bytes()
    t = time.perf_counter()
    batch, _ = resume_batch(resume_ids=ids, encoder_key=model.encoder_key)
    load_s = time.perf_counter() - t
    gc.collect()
    rss_loaded = rss_bytes()
    t = time.perf_counter()
    batch.tfidf_columns  # noqa: B018 - built once per batch, then cached on it
    prepare_s = time.perf_counter() - t
    rss_prepared = rss_bytes()
    job_inputs = {
        w: scoring_inputs.job_input(job, encoder_key=model.encoder_key) for w, job in jobs.items()
    }

    passes = {}
    for w, job_in in job_inputs.items():
        passes[f"job_of_{w}_window(s)"] = percentiles(
            timed(
                lambda j=job_in: scorer(batch.vectors, j.vector, pair_features(j, batch)),
                args.repeat,
            )
        )
    one = job_inputs[1]
    plain = timed(lambda: batch.vectors @ one.vector, args.repeat)
    loop_repeat = max(3, args.repeat // 5)
    loop = timed(lambda: [float(np.dot(v, one.vector)) for v in batch.vectors], loop_repeat)
    scoring_p50 = float(
        np.percentile(
            timed(
                lambda: scorer(batch.vectors, one.vector, pair_features(one, batch)), args.repeat
            ),
            50,
        )
    )
    result: dict = {
        "resumes": args.resumes,
        "windows": int(batch.chunks.shape[0]),
        "distinct_terms_per_resume": round(batch.terms.nnz / len(batch), 1),
        "populate_s": round(populate_s, 1),
        "memory_mb": {
            "document_vectors": round(batch.vectors.nbytes / MB, 1),
            "window_vectors": round(batch.chunks.nbytes / MB, 1),
            "terms_csr": round(
                (batch.terms.data.nbytes + batch.terms.indices.nbytes + batch.terms.indptr.nbytes)
                / MB,
                1,
            ),
            "rss_delta_loading": round((rss_loaded - rss_before) / MB, 1),
            "rss_delta_tfidf_columns": round((rss_prepared - rss_loaded) / MB, 1),
        },
        "load_vectors_and_terms_s": round(load_s, 2),
        "prepare_tfidf_columns_s": round(prepare_s, 2),
        "scoring_pass": passes,
        "plain_numpy_cosine": percentiles(plain),
        "plain_python_loop_cosine": percentiles(loop),
        "ratio_scoring_pass_over_numpy_cosine": round(scoring_p50 / float(np.median(plain)), 1),
        "ratio_python_loop_over_scoring_pass": round(float(np.median(loop)) / scoring_p50, 1),
    }
    if args.head:
        head = fit_head(batch, one, rng, args.head_pairs)
        # The first job against a batch also computes what the head keeps of it (the
        # kernel to its remembered resumes); every further job reuses that. As a scoring
        # pass goes (matching.scoring.services.pairs_score): the head loaded once, as
        # scorer_for keeps it, and each batch a new matrix that replaces the last; its
        # copy is made outside the timing, as loading a batch is.
        first = []
        for _ in range(max(3, args.repeat // 4) + 1):
            matrix = batch.vectors.copy()
            t = time.perf_counter()
            head(matrix, one.vector, pair_features(one, batch))
            first.append(time.perf_counter() - t)
        # The first of them includes the head's one-off preparation (fast_head_prepare).
        result["scoring_pass_fast_head_first_job"] = percentiles(first[1:])
        del matrix
        # What a head costs once per process, when it is loaded: its 8-bit kernel graph.
        result["fast_head_prepare"] = percentiles(
            timed(lambda: dataclasses.replace(head)._kernel, 5)
        )
        head(batch.vectors, one.vector, pair_features(one, batch))  # its first job
        result["scoring_pass_fast_head"] = percentiles(
            timed(lambda: head(batch.vectors, one.vector, pair_features(one, batch)), args.repeat)
        )
        features = pair_features(one, batch)
        result["fast_head_alone_without_pair_features"] = percentiles(
            timed(lambda: head(batch.vectors, one.vector, features), args.repeat)
        )
        result["fast_head_memory_pairs"] = len(head.memory_scores)

    if not args.no_db:
        job = jobs[1]
        del batch
        gc.collect()
        scoring_services.pairs_score(jobs=[job])  # the first pass creates the Pair rows
        full = []
        for _ in range(args.db_repeat):
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                scoring_services.pairs_score(jobs=[job])
                full.append(time.perf_counter() - t)
        result["rescore_job_with_db"] = {**percentiles(full), "queries": len(queries)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
