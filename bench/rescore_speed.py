"""Re-scoring everything after a fast-head model is activated, with no re-embedding.

A throwaway SQLite database gets N resumes and J open jobs with cached vectors
(bench/synthetic.py). Measured in one run:
- baseline: re-scoring every pair with the pre-trained scorer (what `rescore_all` does
  when the pre-trained model is re-activated: same vectors, plain blend),
- activation of a fast head (fitted here with training.fast on 500 pairs, saved to a
  scratch model store, its encoder the pre-trained one, as the fast trainer makes it):
  `scoring_activation.scoring_model_activate`, whose re-scoring runs inline
  (MATCHING_SYNC_TASKS=1), timed from the call to the last Pair written. The encoder is
  replaced by one that counts the texts it is asked to embed, and Embedding rows are
  counted before and after: both must stay unchanged,
- for scale, what re-embedding would have cost: the real encoder embeds --embed-sample
  resumes of the role set, and the time per window is multiplied by the corpus's windows
  (an estimate, stated as such).

    .venv/bin/python bench/rescore_speed.py [--resumes 10000] [--jobs 1] [--embed-sample 20]
"""

from __future__ import annotations

import argparse
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
os.environ["MATCHING_SYNC_TASKS"] = "1"
_tmp = Path(tempfile.mkdtemp(prefix="bench-rescore-"))
os.environ["SQLITE_PATH"] = str(_tmp / "bench.sqlite3")
os.environ["MODELS_STORE_DIR"] = str(_tmp / "models_store")

import django  # noqa: E402

django.setup()

# numpy after the project package: it sets how OpenBLAS's threads wait (resumeproject/).
import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.synthetic import create_job, populate_resumes  # noqa: E402
from matching import models_store  # noqa: E402
from matching.encoding import cache as encoding_cache  # noqa: E402
from matching.encoding.registry import get_encoder  # noqa: E402
from matching.models import Embedding, Pair, Resume, ScoringModel  # noqa: E402
from matching.models_store import PRETRAINED_KEY  # noqa: E402
from matching.scoring import activation as scoring_activation  # noqa: E402
from matching.scoring import inputs as scoring_inputs  # noqa: E402
from matching.scoring import services as scoring_services  # noqa: E402
from matching.scoring.features import pair_features  # noqa: E402
from matching.scoring.heads import scorer_for  # noqa: E402
from matching.scoring.inputs import resume_batch  # noqa: E402

ROLES = ROOT / "bench" / "data" / "roles" / "roles.json"


class CountingEncoder:
    """Counts the texts the scoring code asks to embed; embeds nothing itself."""

    def __init__(self) -> None:
        self.texts = 0

    def encode_documents(self, texts: list[str]):
        self.texts += len(texts)
        raise RuntimeError(f"re-embedding {len(texts)} texts: the fast head should not")

    encode_texts = encode_documents


def fast_head_model(job, rng: np.random.Generator) -> ScoringModel:
    """A fast-head model folder and row, as the fast trainer leaves them."""
    from training.fast import train_fast

    live = scoring_activation.scoring_model_active()
    ids = list(Resume.objects.order_by("?").values_list("pk", flat=True)[:500])
    batch, _ = resume_batch(resume_ids=ids, encoder_key=live.encoder_key)
    job_in = scoring_inputs.job_input(job, encoder_key=live.encoder_key)
    features = pair_features(job_in, batch)
    labels = scorer_for(live)(batch.vectors, job_in.vector, features)
    labels = np.clip(labels + rng.normal(0, 0.1, len(labels)), 0, 1)
    inputs = scoring_inputs.PairInputs(
        resume_vectors=batch.vectors,
        job_vectors=np.repeat(job_in.vector[None], len(batch), axis=0),
        features=features,
    )
    head, _ = train_fast(inputs, labels, groups=np.arange(len(labels)) % 50)
    folder = Path(settings.MODELS_STORE_DIR) / "bench-fast-head"
    folder.mkdir(parents=True)
    head.save(folder)
    return ScoringModel.objects.create(
        version="bench-fast-head",
        kind=ScoringModel.Kind.CUSTOM,
        path="bench-fast-head",
        encoder_key=PRETRAINED_KEY,
        metrics={"better_than_live": True},
    )


def embedding_sample(sample: int) -> dict:
    """The real encoder over `sample` role-set resumes (load time excluded)."""
    texts = [r["text"] for r in json.loads(ROLES.read_text())["resumes"][:sample]]
    encoder = get_encoder(models_store.encoder_path(PRETRAINED_KEY))
    encoder.encode_documents(texts[:2])  # warm-up
    t = time.perf_counter()
    encoded = encoder.encode_documents(texts)
    seconds = time.perf_counter() - t
    windows = sum(len(v.chunk_spans) for v in encoded)
    return {
        "backend": getattr(encoder, "backend", "torch"),
        "resumes": len(texts),
        "windows": windows,
        "seconds": round(seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resumes", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument(
        "--embed-sample",
        type=int,
        default=20,
        help="Resumes the real encoder embeds for the re-embedding estimate (0: skip).",
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rng = np.random.default_rng(0)
    populate_resumes(args.resumes, rng, progress=args.resumes >= 50_000)
    jobs = [create_job(rng, title=f"Job {k}") for k in range(args.jobs)]
    pairs = args.resumes * args.jobs

    scoring_services.pairs_score()  # the first scoring, creating every Pair row
    t = time.perf_counter()
    written = scoring_services.pairs_score()
    baseline_s = time.perf_counter() - t
    assert written == pairs

    model = fast_head_model(jobs[0], rng)
    counting = CountingEncoder()
    encoding_cache.get_encoder = lambda path=None: counting
    # Resume and job vectors; the sentence vectors the verdicts keep are no re-embedding.
    documents = Embedding.objects.exclude(encoder_key__contains=models_store.SENTENCES_VIEW)
    embeddings_before = documents.count()
    t = time.perf_counter()
    scoring_activation.scoring_model_activate(model=model)
    activation_s = time.perf_counter() - t
    rescored = Pair.objects.filter(scoring_model=model).count()
    result: dict = {
        "resumes": args.resumes,
        "jobs": args.jobs,
        "pairs": pairs,
        "baseline_rescore_pretrained_s": round(baseline_s, 2),
        "activate_fast_head_and_rescore_s": round(activation_s, 2),
        "ratio_fast_head_over_baseline": round(activation_s / baseline_s, 2),
        "pairs_rescored_by_fast_head": rescored,
        "texts_sent_to_encoder": counting.texts,
        "new_embedding_rows": documents.count() - embeddings_before,
    }
    assert rescored == pairs, "not every pair was re-scored"
    if args.embed_sample:
        encoding_cache.get_encoder = get_encoder
        sample = embedding_sample(args.embed_sample)
        # Per window, since the corpus's resumes are longer than the role set's.
        corpus_windows = sum(len(s) for s in documents.values_list("chunk_spans", flat=True))
        estimate = sample["seconds"] / sample["windows"] * corpus_windows
        result["embedding_sample"] = sample
        result["corpus_windows"] = corpus_windows
        result["estimated_reembedding_s"] = round(estimate)
        result["ratio_estimated_reembedding_over_fast_head"] = round(estimate / activation_s)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
