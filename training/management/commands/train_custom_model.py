from __future__ import annotations

import json
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from training.errors import DatasetError
from training.models import TrainingRun
from training.runs import training_run_create, training_run_execute

SAMPLE = Path(__file__).resolve().parents[2] / "sample" / "training_data.json"
DEFAULT_SAMPLE_TARGET = Path("data/training/training_data.json")


class Command(BaseCommand):
    help = (
        "Train a custom model from a JSON file in the notes' format and/or the database's "
        "labels, measure it against the live model on the same validation set, and "
        "optionally activate it. Runs here with a progress bar, or on the cluster (--queue)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--create-sample",
            nargs="?",
            const=str(DEFAULT_SAMPLE_TARGET),
            metavar="PATH",
            help=f"Write a sample training file (default {DEFAULT_SAMPLE_TARGET}) and stop.",
        )
        parser.add_argument("--train", metavar="FILE", help="Training examples (JSON).")
        parser.add_argument(
            "--validation",
            metavar="FILE",
            help="Validation examples; without it 20%% of the resumes are held out.",
        )
        parser.add_argument("--from-ratings", action="store_true", help="Train on the DB's labels.")
        parser.add_argument("--mode", choices=TrainingRun.Mode.values, default="")
        parser.add_argument("--epochs", type=int, help="Full mode: epochs (default 2).")
        parser.add_argument("--batch-size", type=int, help="Full mode: batch size (default 16).")
        parser.add_argument("--force", action="store_true", help="Train despite failed checks.")
        parser.add_argument(
            "--train-on-gold",
            action="store_true",
            help="Train on the gold set too (pairs several reviewers rated, or settled); "
            "the candidate is then compared on the validation set only.",
        )
        parser.add_argument("--activate", action="store_true", help="Activate if it is better.")
        parser.add_argument(
            "--activate-if-worse", action="store_true", help="With --activate: even if worse."
        )
        parser.add_argument("--queue", action="store_true", help="Queue on the django-q2 cluster.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts) -> None:
        if opts["create_sample"]:
            target = Path(opts["create_sample"])
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(SAMPLE, target)
            n = len(json.loads(target.read_text()))
            self.stdout.write(self.style.SUCCESS(f"Wrote {n} sample examples to {target}"))
            return
        files = {}
        for key in ("train", "validation"):
            if opts[key]:
                path = Path(opts[key])
                if not path.is_file():
                    raise CommandError(f"{path}: no such file.")
                files[key] = (path.name, path.read_bytes())
        try:
            run = training_run_create(
                mode=opts["mode"],
                epochs=opts["epochs"],
                batch_size=opts["batch_size"],
                from_ratings=opts["from_ratings"],
                train_file=files.get("train"),
                validation_file=files.get("validation"),
                force=opts["force"],
                train_on_gold=opts["train_on_gold"],
                activate=opts["activate"],
                activate_if_worse=opts["activate_if_worse"],
                enqueue=opts["queue"],
            )
        except (DatasetError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if opts["queue"]:
            self.stdout.write(f"Queued training run {run.pk}; follow it in the admin.")
            return
        bar = tqdm(total=100, unit="%", disable=opts["no_progress"], file=self.stderr._out)

        def listener(progress: float, stage: str) -> None:
            bar.n = round(progress * 100)
            bar.set_description(stage[:40])

        run = training_run_execute(run.pk, listener=listener)
        bar.close()
        self._report(run)

    def _report(self, run: TrainingRun) -> None:
        for check in run.checks:
            style = {"error": self.style.ERROR, "warning": self.style.WARNING}.get(
                check["level"], str
            )
            self.stdout.write(style(f"{check['level']:8} {check['message']}"))
        if run.status != TrainingRun.Status.SUCCEEDED:
            raise CommandError(f"Run {run.pk} {run.status}: {run.error}")
        live, cand = run.metrics_live, run.metrics_candidate
        self.stdout.write(
            f"{'':12}{'spearman':>10}{'95% interval':>16}{'pearson':>10}{'mae':>8}{'bands':>8}"
        )
        for name, m in (("live", live), ("candidate", cand)):
            ci = (m.get("ci") or {}).get("spearman")
            interval = f"{ci[0]:.3f} to {ci[1]:.3f}" if ci else "-"
            self.stdout.write(
                f"{name:12}{m['spearman']!s:>10}{interval:>16}{m['pearson']!s:>10}"
                f"{m['mae']!s:>8}{m['band_accuracy']!s:>8}   {m['model']}"
            )
        model = run.output_model
        comparison = model.metrics.get("comparison") or {}
        if comparison:
            reasons = "; ".join(comparison.get("reasons", []))
            self.stdout.write(f"Against the live model: {comparison['verdict']} ({reasons})")
        state = "active" if model.is_active else "not active"
        self.stdout.write(self.style.SUCCESS(f"Saved {model.version} ({state})"))
        for line in run.log.splitlines():
            if "activated" in line or "not activated" in line:
                self.stdout.write(line)
