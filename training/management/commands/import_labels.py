from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from training.datasets import parse_examples, parse_history
from training.errors import DatasetError
from training.labels import examples_import
from training.models import LabeledExample


class Command(BaseCommand):
    help = (
        "Store labeled examples for training: a JSON file in the notes' format, or hiring "
        "history (--history: CSV or JSON with resume, job, outcome; outcomes are mapped by "
        "HIRING_OUTCOME_SCORES). All or nothing: a bad row stops the import."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--history", action="store_true", help="Hiring outcomes.")

    def handle(self, *args, file: str, history: bool, **opts) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        raw = path.read_bytes()
        try:
            if history:
                examples = parse_history(
                    raw, name=path.name, outcome_scores=settings.HIRING_OUTCOME_SCORES
                )
                source = LabeledExample.Source.HISTORY
            else:
                examples = parse_examples(raw, name=path.name)
                source = LabeledExample.Source.IMPORT
        except DatasetError as exc:
            raise CommandError(f"Nothing imported. {exc}") from exc
        n = examples_import(examples=examples, source=source, origin=path.name)
        self.stdout.write(self.style.SUCCESS(f"Imported {n} labeled examples from {path.name}."))
