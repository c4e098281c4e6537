"""The full trainer: fine-tunes the transformer with sentence-transformers.

CoSENT loss on (resume, job, score) pairs, one window of each text (the model reads 256
word pieces), evaluated after every epoch on the validation pairs; the epoch with the best
validation Spearman is kept (load_best_model_at_end). The fast head is then trained on
the new encoder's vectors, so a full model is the fine-tuned encoder plus a head.

torch and the trainer are imported inside the function: this module is imported by the
training service, which the qcluster parent process may load before forking workers.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from training.datasets import Example

Progress = Callable[[float, str], None]


@dataclass
class FullParams:
    epochs: int = 2
    batch_size: int = 16
    learning_rate: float = 2e-5
    warmup_ratio: float = 0.1
    seed: int = 0


METRIC = "eval_validation_spearman_cosine"


def fine_tune(
    train: list[Example],
    validation: list[Example],
    *,
    base_path: Path,
    output_dir: Path,
    params: FullParams,
    progress: Progress,
) -> dict:
    """Fine-tune the encoder at base_path into output_dir; returns timings and epochs."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("WANDB_DISABLED", "true")
    # why: torch loads with these; the qcluster parent must not load it before forking
    from datasets import Dataset
    from sentence_transformers import SentenceTransformer, SentenceTransformerTrainer
    from sentence_transformers.evaluation import EmbeddingSimilarityEvaluator
    from sentence_transformers.losses import CoSENTLoss

    model = SentenceTransformer(str(base_path), device="cpu", local_files_only=True)
    train_ds = Dataset.from_dict(_columns(train))
    evaluator = EmbeddingSimilarityEvaluator(
        sentences1=[e.resume for e in validation],
        sentences2=[e.job for e in validation],
        scores=[float(e.score) for e in validation],
        name="validation",
        show_progress_bar=False,
    )
    epoch_times: list[float] = []
    trainer = SentenceTransformerTrainer(
        model=model,
        args=_training_arguments(params, output_dir, METRIC),
        train_dataset=train_ds,
        loss=CoSENTLoss(model),
        evaluator=evaluator,
        callbacks=[_epoch_reporter(progress, epoch_times)],
    )
    started = time.perf_counter()
    trainer.train()
    history = _history(trainer, METRIC)
    encoder_dir = output_dir / "encoder"
    model.save(str(encoder_dir))
    # Checkpoints served only to keep the best epoch; the model folder is what remains.
    shutil.rmtree(output_dir / "checkpoints", ignore_errors=True)
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "epoch_seconds": [round(t, 1) for t in epoch_times],
        "epochs": history,
        "best_epoch": max(history, key=lambda h: h["spearman"])["epoch"] if history else None,
    }


def _columns(examples: list[Example]) -> dict[str, list]:
    return {
        "resume": [e.resume for e in examples],
        "job": [e.job for e in examples],
        "score": [float(e.score) for e in examples],
    }


def _training_arguments(params: FullParams, output_dir: Path, metric: str) -> Any:
    """One evaluation and one checkpoint per epoch; the best epoch is kept."""
    # why: sentence_transformers loads torch (see fine_tune)
    from sentence_transformers import SentenceTransformerTrainingArguments

    return SentenceTransformerTrainingArguments(
        output_dir=str(output_dir / "checkpoints"),
        num_train_epochs=params.epochs,
        per_device_train_batch_size=params.batch_size,
        per_device_eval_batch_size=params.batch_size,
        learning_rate=params.learning_rate,
        warmup_steps=params.warmup_ratio,  # a float below 1 is a ratio (transformers 5)
        seed=params.seed,
        eval_strategy="epoch",
        save_strategy="epoch",
        save_total_limit=1,
        load_best_model_at_end=True,
        metric_for_best_model=metric,
        greater_is_better=True,
        logging_strategy="no",
        report_to=[],
        disable_tqdm=True,
        use_cpu=True,
        dataloader_num_workers=0,
    )


def _epoch_reporter(progress: Progress, epoch_times: list[float]) -> Any:
    """A trainer callback that reports steps to `progress` and times each epoch."""
    # why: transformers loads torch (see fine_tune)
    from transformers import TrainerCallback

    class Report(TrainerCallback):
        started = 0.0

        def on_epoch_begin(self, args, state, control, **kwargs):
            self.started = time.perf_counter()

        def on_epoch_end(self, args, state, control, **kwargs):
            epoch_times.append(time.perf_counter() - self.started)

        def on_step_end(self, args, state, control, **kwargs):
            if state.max_steps:
                fraction = state.global_step / state.max_steps
                progress(fraction, f"fine-tuning step {state.global_step} of {state.max_steps}")

    return Report()


def _history(trainer: Any, metric: str) -> list[dict]:
    """Validation Spearman after each epoch."""
    return [
        {"epoch": round(float(e["epoch"]), 2), "spearman": round(float(e[metric]), 4)}
        for e in trainer.state.log_history
        if metric in e
    ]
