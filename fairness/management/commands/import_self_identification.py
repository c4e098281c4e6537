"""manage.py import_self_identification survey.csv: the applicant tracking system's survey
answers, all or nothing (fairness.importing says the columns)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fairness import importing


class Command(BaseCommand):
    help = (
        "Import applicants' voluntary self-identification from a CSV with resume_id or "
        "sha256 and any of sex, race_ethnicity, age_band, disability, veteran."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", type=Path)

    def handle(self, *args, csv: Path, **options) -> None:
        try:
            content = csv.read_bytes()
        except OSError as exc:
            raise CommandError(f"{csv}: {exc.strerror or exc}") from exc
        source = f"csv:{csv.name}"
        try:
            result = importing.import_rows(importing.parse_csv(content, name=source), source=source)
        except importing.SelfIdImportError as exc:
            raise CommandError("\n  ".join([f"{csv}: nothing imported.", *exc.problems])) from exc
        self.stdout.write(f"{csv}: {result.created} added, {result.updated} replaced.")
