from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from matching.services import collect_resume_files, resumes_import_paths


class Command(BaseCommand):
    help = "Import resume files (PDF, DOCX, TXT, Markdown) from files and folders."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", help="Files or folders (searched recursively).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, paths: list[str], no_progress: bool, **options) -> None:
        files = collect_resume_files(paths)
        if not files:
            raise CommandError("No files found under the given paths.")
        bar = tqdm(total=len(files), unit="file", disable=no_progress, file=self.stderr._out)
        summary = resumes_import_paths(paths=paths, progress=lambda path, result: bar.update(1))
        bar.close()
        for _path, reason in summary.rejected:
            self.stdout.write(self.style.ERROR(f"rejected  {reason}"))
        for path in summary.duplicates:
            self.stdout.write(f"duplicate {path}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(summary.imported)} imported, {len(summary.duplicates)} skipped as "
                f"duplicate, {len(summary.rejected)} rejected."
            )
        )
        if summary.imported:
            self.stdout.write("Scoring against open jobs is queued in the background.")
