from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from matching.models import ScoringModel
from matching.scoring.activation import scoring_model_active
from matching.scoring.inputs import TextPair
from matching.scoring.services import texts_score
from training.datasets import parse_examples
from training.errors import DatasetError
from training.metrics import evaluate


class Command(BaseCommand):
    help = (
        "Score every pair of a file in the notes' format with a model (the live one by "
        "default) and print the metrics; the last line is one JSON object."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--data", required=True, metavar="FILE")
        parser.add_argument("--model", metavar="VERSION", help="Default: the live model.")

    def handle(self, *args, data: str, model: str | None, **opts) -> None:
        path = Path(data)
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            examples = parse_examples(path.read_bytes(), name=path.name)
        except DatasetError as exc:
            raise CommandError(str(exc)) from exc
        live = scoring_model_active()  # the pre-trained row exists from the first call
        if model:
            scoring = ScoringModel.objects.filter(version=model).first()
            if scoring is None:
                known = ", ".join(ScoringModel.objects.values_list("version", flat=True))
                raise CommandError(f"No model {model!r}. Known: {known or 'none'}.")
        else:
            scoring = live
        pairs = [TextPair(resume=e.resume, job=e.job) for e in examples]
        scores, _ = texts_score(pairs=pairs, model=scoring)
        result = {
            **evaluate(np.array([e.score for e in examples]), scores),
            "model": scoring.version,
        }
        self.stdout.write(
            f"{result['n']} pairs, model {result['model']}: Spearman {result['spearman']}, "
            f"Pearson {result['pearson']}, MAE {result['mae']}, "
            f"band accuracy {result['band_accuracy']}"
        )
        self.stdout.write(json.dumps(result))
