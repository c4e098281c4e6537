"""Custom training on gulp-dev: accuracy on resumes never seen, learning curve, speed.

One group of resumes (about 20% of the pairs, whole resumes) is held out for validation;
the trainers learn from 50, 200, 500 and all of the remaining pairs (random subsets).
Reported per size: Spearman and band accuracy of the pre-trained scorer and the fast
head; the fast trainer's wall time on 1,000 pairs with cached vectors; with --full, the
full trainer (fine-tuning) at the sizes given, and its time per epoch beside a plain
SentenceTransformerTrainer on the same data, measured in one run.

    .venv/bin/python bench/training_quality.py [--full 200] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import scratch

# Fine-tuned encoders of this script go to a scratch store, never the real one, and the
# live model is read from a scratch database (migrated in main), not the project's.
scratch.setup("bench-store-")

from django.core.management import call_command  # noqa: E402

from matching.models_store import PRETRAINED_KEY, pretrained_model_path  # noqa: E402
from matching.scoring.heads import scorer_for  # noqa: E402
from matching.scoring.inputs import PairInputs  # noqa: E402
from training.datasets import Example, split_by_resume  # noqa: E402
from training.fast import train_fast  # noqa: E402
from training.metrics import evaluate, evaluate_with_ci, within_group_spearman  # noqa: E402
from training.steps import examples_features  # noqa: E402

PRETRAINED = scratch.pretrained()
SIZES = (50, 200, 500, None)
BY = ("resume", "job")  # what the cross-validation's folds hold out


def features(examples: list[Example], encoder_key: str) -> PairInputs:
    # Nothing of the benchmark is written to the embedding cache.
    return examples_features(examples, encoder_key, cache=False)


def fast_curve(train, val, train_in, val_in, seed: int) -> tuple[list[dict], dict]:
    rng = np.random.default_rng(seed)
    y = np.array([e.score for e in train])
    groups = np.array([e.group for e in train])
    y_val = np.array([e.score for e in val])
    pre = scorer_for(PRETRAINED)(val_in.resume_vectors, val_in.job_vectors, val_in.features)
    pretrained = evaluate(y_val, pre)
    curve = []
    for size in SIZES:
        rows = np.arange(len(train)) if size is None else rng.choice(len(train), size, False)
        t = time.perf_counter()
        head, chosen = train_fast(train_in.take(rows), y[rows], groups[rows])
        seconds = time.perf_counter() - t
        pred = head(val_in.resume_vectors, val_in.job_vectors, val_in.features)
        curve.append(
            {
                "train_pairs": len(rows),
                "pretrained": pretrained,
                "fast": evaluate(y_val, pred),
                "fast_seconds": round(seconds, 2),
                "alpha": chosen["alpha"],
            }
        )
    return curve, pretrained


def fast_cross_validation(
    examples: list[Example], inputs: PairInputs, folds: int = 5, by: str = "resume"
) -> dict:
    """The fast head over grouped folds of the whole set: every resume (by="resume") or
    every job (by="job") held out once, both new in real use. Beside it, the pre-trained
    scorer and a plain ridge on the frozen vectors ([u * v, |u - v|], penalty 1), each
    figure with its 95% interval resampling resumes."""
    from training.fast import _ridge, group_folds

    y = np.array([e.score for e in examples])
    resumes = np.array([e.group for e in examples])
    jobs = np.array([e.key[1] for e in examples])
    groups = resumes if by == "resume" else jobs
    u, v = inputs.resume_vectors, inputs.job_vectors
    plain = np.hstack([u * v, np.abs(u - v)])
    pred, ridge = np.empty(len(y)), np.empty(len(y))
    for fold in group_folds(groups, folds):
        rest = np.setdiff1d(np.arange(len(y)), fold)
        head, _ = train_fast(inputs.take(rest), y[rest], resumes[rest])
        held = inputs.take(fold)
        pred[fold] = head(held.resume_vectors, held.job_vectors, held.features)
        coef, intercept = _ridge(plain[rest], y[rest], 1.0)
        ridge[fold] = plain[fold] @ coef + intercept
    pre = scorer_for(PRETRAINED)(u, v, inputs.features)
    predictions = (("fast", pred), ("plain_ridge", ridge), ("pretrained", pre))
    return {
        "folds": folds,
        "grouped_by": by,
        **{name: evaluate_with_ci(y, p, resumes) for name, p in predictions},
        # The order within each job, as a ranking page shows it. Read it where the folds
        # hold out jobs: there one head predicts all of a job's pairs.
        "within_job": {name: within_group_spearman(y, p, jobs) for name, p in predictions},
    }


def fast_speed(train, train_in) -> dict:
    """Wall time of the fast trainer on 1,000 pairs whose vectors are cached."""
    rows = np.arange(min(1000, len(train)))
    y = np.array([e.score for e in train])[rows]
    groups = np.array([e.group for e in train])[rows]
    t = time.perf_counter()
    train_fast(train_in.take(rows), y, groups)
    return {"pairs": len(rows), "seconds": round(time.perf_counter() - t, 2)}


def full_runs(train, val, sizes: list[int], epochs: int, seed: int) -> list[dict]:
    from training.full import FullParams, fine_tune

    rng = np.random.default_rng(seed)
    y_val = np.array([e.score for e in val])
    store = Path(os.environ["MODELS_STORE_DIR"])
    out = []
    for size in sizes:
        rows = rng.choice(len(train), min(size, len(train)), replace=False)
        subset = [train[i] for i in rows]
        key = f"bench-full-{size}"
        report = fine_tune(
            subset,
            val,
            base_path=pretrained_model_path(),
            output_dir=store / key,
            params=FullParams(epochs=epochs, batch_size=16),
            progress=lambda f, s: None,
        )
        tr_in, val_in = features(subset, key), features(val, key)
        # The fine-tuned encoder alone (cosine of its vectors), then with the head on top.
        cosine = evaluate(y_val, val_in.features["cosine"])
        y = np.array([e.score for e in subset])
        head, _ = train_fast(tr_in, y, np.array([e.group for e in subset]))
        pred = head(val_in.resume_vectors, val_in.job_vectors, val_in.features)
        out.append(
            {
                "train_pairs": len(subset),
                "epochs": epochs,
                "fine_tuned_cosine": cosine,
                "full": evaluate(y_val, pred),
                "fine_tune": report,
                "plain_trainer_epoch_seconds": plain_epoch_seconds(subset, epochs),
            }
        )
    return out


def plain_epoch_seconds(examples: list[Example], epochs: int) -> list[float]:
    """sentence-transformers' own trainer, same data and loss, no evaluation: the baseline."""
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.losses import CoSENTLoss
    from transformers import TrainerCallback

    model = SentenceTransformer(str(pretrained_model_path()), device="cpu", local_files_only=True)
    times: list[float] = []

    class Clock(TrainerCallback):
        def on_epoch_begin(self, args, state, control, **kw):
            self.t = time.perf_counter()

        def on_epoch_end(self, args, state, control, **kw):
            times.append(round(time.perf_counter() - self.t, 1))

    ds = Dataset.from_dict(
        {
            "resume": [e.resume for e in examples],
            "job": [e.job for e in examples],
            "score": [e.score for e in examples],
        }
    )
    args = SentenceTransformerTrainingArguments(
        output_dir=tempfile.mkdtemp(),
        num_train_epochs=epochs,
        per_device_train_batch_size=16,
        save_strategy="no",
        logging_strategy="no",
        report_to=[],
        disable_tqdm=True,
        use_cpu=True,
        seed=0,
    )
    SentenceTransformerTrainer(
        model=model, args=args, train_dataset=ds, loss=CoSENTLoss(model), callbacks=[Clock()]
    ).train()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gulp", type=Path, default=scratch.GULP)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--full", type=int, nargs="*", default=[], help="Train sizes, full mode.")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    examples = scratch.gulp_examples(args.gulp)
    train, val = split_by_resume(examples, fraction=0.2, seed=args.seed)
    t = time.perf_counter()
    train_in, val_in = features(train, PRETRAINED_KEY), features(val, PRETRAINED_KEY)
    embed_s = time.perf_counter() - t
    curve, pretrained = fast_curve(train, val, train_in, val_in, args.seed)
    both = PairInputs(
        resume_vectors=np.vstack([train_in.resume_vectors, val_in.resume_vectors]),
        job_vectors=np.vstack([train_in.job_vectors, val_in.job_vectors]),
        features={
            k: np.concatenate([train_in.features[k], val_in.features[k]]) for k in train_in.features
        },
    )
    results = {
        "split": {
            "train_pairs": len(train),
            "validation_pairs": len(val),
            "train_resumes": len({e.group for e in train}),
            "validation_resumes": len({e.group for e in val}),
        },
        "embedding_seconds": round(embed_s, 1),
        "pretrained": pretrained,
        "learning_curve": curve,
        "fast_speed_1000_cached": fast_speed(train, train_in),
        "fast_grouped_cv": [fast_cross_validation(train + val, both, by=by) for by in BY],
    }
    if args.full:
        results["full"] = full_runs(train, val, args.full, args.epochs, args.seed)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
