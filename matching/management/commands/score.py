from __future__ import annotations

import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matching.errors import ExtractionError
from matching.intake.extraction import extract_text
from matching.scoring.activation import scoring_model_active
from matching.scoring.inputs import TextPair
from matching.scoring.services import texts_score


class Command(BaseCommand):
    help = "Score one resume file against one job description file, without storing either."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--resume", required=True, help="PDF, DOCX, TXT or Markdown file.")
        parser.add_argument("--job", required=True, help="Job description (text, PDF or DOCX).")
        parser.add_argument("--json", action="store_true", help="Print the features as JSON.")

    def handle(self, *args, resume: str, job: str, **options) -> None:
        resume_text = _read(resume)
        job_text = _read(job)
        model = scoring_model_active()
        scores, features = texts_score(
            pairs=[TextPair(resume=resume_text, job=job_text)], model=model, cache=False
        )
        score = float(scores[0])
        if options["json"]:
            payload = {"score": round(score, 4), "model": model.version}
            payload["features"] = {k: round(float(v[0]), 4) for k, v in features.items()}
            self.stdout.write(_dumps(payload))
            return
        self.stdout.write(
            f"{score:.1%}  {Path(resume).name} vs {Path(job).name}  ({model.version})"
        )


def _dumps(payload: dict) -> str:
    return jsonlib.dumps(payload)


def _read(path: str) -> str:
    p = Path(path)
    if not p.is_file():
        raise CommandError(f"{path}: no such file.")
    try:
        return extract_text(p.name, p.read_bytes())
    except ExtractionError as exc:
        raise CommandError(exc.message) from None
